using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Dashboard.Server.Kubernetes;

/// <summary>
/// The AWS Load Balancer Controller's <c>elbv2.k8s.aws/v1beta1 TargetGroupBinding</c>, reduced to the fields the dashboard
/// reads. Hand-written: KubernetesClient ships no model for custom resources.
/// </summary>
public sealed class TargetGroupBindingResource : IKubernetesObject<V1ObjectMeta>
{
    public const string Group = "elbv2.k8s.aws";
    public const string Version = "v1beta1";
    public const string Plural = "targetgroupbindings";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = Group + "/" + Version;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "TargetGroupBinding";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public TargetGroupBindingSpec? Spec { get; set; }
}

/// <summary>The spec of a TargetGroupBinding: which target group, how targets register, which Service port feeds it.</summary>
public sealed class TargetGroupBindingSpec
{
    [JsonPropertyName("targetGroupARN")]
    public string? TargetGroupArn { get; set; }

    /// <summary><c>ip</c> or <c>instance</c>.</summary>
    [JsonPropertyName("targetType")]
    public string? TargetType { get; set; }

    [JsonPropertyName("serviceRef")]
    public TargetGroupBindingServiceRef? ServiceRef { get; set; }
}

/// <summary>The Service (same namespace) and port (number or name) whose endpoints are registered.</summary>
public sealed class TargetGroupBindingServiceRef
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("port")]
    public IntOrString? Port { get; set; }
}

/// <summary>A list of TargetGroupBindings as the API server returns it.</summary>
public sealed class TargetGroupBindingList : IKubernetesObject<V1ListMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = TargetGroupBindingResource.Group + "/" + TargetGroupBindingResource.Version;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "TargetGroupBindingList";

    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    public IList<TargetGroupBindingResource> Items { get; set; } = [];
}
