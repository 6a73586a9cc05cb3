using System.Collections.Immutable;

namespace Dashboard.Client.Model;

/// <summary>A Service as an operator thinks of it. Immutable; the feed replaces it on every change.</summary>
public sealed record ServiceViewModel
{
    /// <summary>"{namespace}/{name}" — the feed key.</summary>
    public string Key => $"{Namespace}/{Name}";
    public required string Uid { get; init; }
    public required string Namespace { get; init; }
    public required string Name { get; init; }
    /// <summary>ClusterIP, NodePort, LoadBalancer or ExternalName.</summary>
    public required string Type { get; init; }
    public string? ClusterIp { get; init; }
    /// <summary>Hostnames/IPs from status.loadBalancer.ingress (or externalIPs / externalName); empty when none.</summary>
    public ImmutableArray<string> ExternalAddresses { get; init; } = [];
    /// <summary>True for a LoadBalancer Service whose address has not been assigned yet.</summary>
    public bool ExternalPending { get; init; }
    public ImmutableArray<ServicePortView> Ports { get; init; } = [];
    public ImmutableDictionary<string, string> Selector { get; init; } = ImmutableDictionary<string, string>.Empty;
    public ImmutableDictionary<string, string> Labels { get; init; } = ImmutableDictionary<string, string>.Empty;
    public ImmutableDictionary<string, string> Annotations { get; init; } = ImmutableDictionary<string, string>.Empty;
    /// <summary>Decoded load-balancer facts; null when the Service is not of type LoadBalancer.</summary>
    public LoadBalancerFacts? LoadBalancer { get; init; }
    /// <summary>Ready and not-ready endpoint counts from EndpointSlices.</summary>
    public int ReadyEndpoints { get; init; }
    public int NotReadyEndpoints { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public ImmutableArray<Lint> Lints { get; init; } = [];
}

/// <summary>One port of a Service.</summary>
public sealed record ServicePortView(string? Name, int Port, string TargetPort, string Protocol, int? NodePort)
{
    public override string ToString() =>
        NodePort is { } np ? $"{Port}:{np}/{Protocol}" : $"{Port}/{Protocol}";
}

/// <summary>Which controller provisions a LoadBalancer Service's balancer.</summary>
public enum LoadBalancerController
{
    /// <summary>The AWS Load Balancer Controller (loadBalancerClass service.k8s.aws/nlb or type external).</summary>
    AwsLoadBalancerController,
    /// <summary>The in-tree cloud provider (aws-load-balancer-type: nlb, or classic ELB by default).</summary>
    InTree,
    /// <summary>Another loadBalancerClass: not an AWS balancer this dashboard manages.</summary>
    Other,
}

/// <summary>The load-balancer configuration a Service's spec and annotations ask for, decoded.</summary>
public sealed record LoadBalancerFacts
{
    public required LoadBalancerController Controller { get; init; }
    /// <summary>"nlb", "classic" (in-tree default) …</summary>
    public required string BalancerType { get; init; }
    /// <summary>"internet-facing" or "internal".</summary>
    public required string Scheme { get; init; }
    /// <summary>"ip" or "instance".</summary>
    public required string TargetType { get; init; }
    public HealthCheckFacts HealthCheck { get; init; } = new();
    public bool? CrossZone { get; init; }
    public ImmutableArray<string> SourceRanges { get; init; } = [];
    /// <summary>"Cluster" or "Local".</summary>
    public string ExternalTrafficPolicy { get; init; } = "Cluster";
    public string? LoadBalancerClass { get; init; }
    /// <summary>TLS certificate ARN(s) and TLS ports, when set.</summary>
    public string? CertificateArn { get; init; }
    public string? TlsPorts { get; init; }
    /// <summary>target-group-attributes / load-balancer-attributes as written.</summary>
    public ImmutableDictionary<string, string> TargetGroupAttributes { get; init; } = ImmutableDictionary<string, string>.Empty;
    public ImmutableDictionary<string, string> LoadBalancerAttributes { get; init; } = ImmutableDictionary<string, string>.Empty;
}

/// <summary>Health-check settings; null members mean "the controller's default".</summary>
public sealed record HealthCheckFacts
{
    public string? Protocol { get; init; }
    public string? Path { get; init; }
    public string? Port { get; init; }
    public int? IntervalSeconds { get; init; }
    public int? TimeoutSeconds { get; init; }
    public int? HealthyThreshold { get; init; }
    public int? UnhealthyThreshold { get; init; }
    public string? SuccessCodes { get; init; }
}
