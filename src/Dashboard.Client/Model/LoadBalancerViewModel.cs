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
    public ImmutableArray<ObjectRef> Owners { get; init; } = [];
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
