using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Dashboard.Server.Kubernetes;

/// <summary>
/// The AWS Load Balancer Controller's cluster-scoped <c>elbv2.k8s.aws/v1beta1 IngressClassParams</c>, reduced to the
/// settings it forces on every Ingress of the IngressClasses naming it. Hand-written: KubernetesClient ships no model for
/// custom resources.
/// </summary>
public sealed class IngressClassParamsResource : IKubernetesObject<V1ObjectMeta>
{
    public const string Group = "elbv2.k8s.aws";
    public const string Version = "v1beta1";
    public const string Plural = "ingressclassparams";
    public const string KindName = "IngressClassParams";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = Group + "/" + Version;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KindName;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public IngressClassParamsSpec? Spec { get; set; }
}

/// <summary>The settings of an IngressClassParams the dashboard shows as effective values (they win over annotations).</summary>
public sealed class IngressClassParamsSpec
{
    [JsonPropertyName("scheme")]
    public string? Scheme { get; set; }

    [JsonPropertyName("ipAddressType")]
    public string? IpAddressType { get; set; }

    [JsonPropertyName("sslPolicy")]
    public string? SslPolicy { get; set; }

    [JsonPropertyName("inboundCIDRs")]
    public IList<string>? InboundCidrs { get; set; }

    [JsonPropertyName("group")]
    public IngressClassParamsGroup? Group { get; set; }
}

public sealed class IngressClassParamsGroup
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }
}

/// <summary>A list of IngressClassParams as the API server returns it.</summary>
public sealed class IngressClassParamsList : IKubernetesObject<V1ListMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = IngressClassParamsResource.Group + "/" + IngressClassParamsResource.Version;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "IngressClassParamsList";

    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    public IList<IngressClassParamsResource> Items { get; set; } = [];
}
