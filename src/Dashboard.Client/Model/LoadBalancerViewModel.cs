using System.Collections.Immutable;

namespace Dashboard.Client.Model;

/// <summary>One load balancer with its owners and a health summary.</summary>
public sealed record LoadBalancerViewModel
{
    public string Key => Arn;
    public required string Arn { get; init; }
    public required string Name { get; init; }
    /// <summary>"application" or "network".</summary>
    public required string Type { get; init; }
    public required string Scheme { get; init; }
    /// <summary>provisioning, active, active_impaired, failed.</summary>
    public required string State { get; init; }
    public required string DnsName { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    /// <summary>Who owns the balancer, each with its share; empty when no live object does.</summary>
    public ImmutableArray<BalancerOwner> Owners { get; init; } = [];
    /// <summary>The owner the controller's tags name, live or not (an orphan's former owner); null when the tags name none.</summary>
    public ObjectRef? TaggedOwner { get; init; }
    /// <summary>The explicit Ingress group (<c>alb.ingress.kubernetes.io/group.name</c>) the balancer serves, if any.</summary>
    public string? IngressGroup { get; init; }
    /// <summary>The EKS cluster the balancer's tags name, if any.</summary>
    public string? Cluster { get; init; }
    public LinkSource? LinkedBy { get; init; }
    public ImmutableArray<ListenerView> Listeners { get; init; } = [];
    public ImmutableArray<TargetGroupView> TargetGroups { get; init; } = [];
    public ImmutableDictionary<string, string> Attributes { get; init; } = ImmutableDictionary<string, string>.Empty;
    public ImmutableDictionary<string, string> Tags { get; init; } = ImmutableDictionary<string, string>.Empty;
    public int HealthyTargets { get; init; }
    public int TotalTargets { get; init; }
    public LoadBalancerFlags Flags { get; init; }
    public ImmutableArray<DriftItem> Drift { get; init; } = [];
    /// <summary>When the AWS data behind this row was read.</summary>
    public DateTimeOffset? AsOf { get; init; }
}
