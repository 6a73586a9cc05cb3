using System.Collections.Immutable;
using Dashboard.Server.Aws.ElasticLoadBalancing;

namespace Dashboard.Server.LoadBalancers;

/// <summary>
/// Everything the dashboard knows about the region's load balancers at one moment, as immutable data:
/// the input of the topology join (with the Kubernetes snapshot). Produced by the AWS pollers, shared by every viewer.
/// Each part carries the time it was read, so pages can show its age and staleness honestly.
/// </summary>
public sealed record AwsSnapshot
{
    public static AwsSnapshot Empty { get; } = new();

    public ImmutableArray<LoadBalancer> LoadBalancers { get; init; } = [];
    /// <summary>Listeners by load balancer ARN.</summary>
    public ImmutableDictionary<string, ImmutableArray<Listener>> Listeners { get; init; } = ImmutableDictionary<string, ImmutableArray<Listener>>.Empty;
    /// <summary>Rules by listener ARN.</summary>
    public ImmutableDictionary<string, ImmutableArray<ListenerRule>> Rules { get; init; } = ImmutableDictionary<string, ImmutableArray<ListenerRule>>.Empty;
    public ImmutableArray<TargetGroup> TargetGroups { get; init; } = [];
    /// <summary>Attributes by load balancer ARN.</summary>
    public ImmutableDictionary<string, ImmutableDictionary<string, string>> LoadBalancerAttributes { get; init; } = ImmutableDictionary<string, ImmutableDictionary<string, string>>.Empty;
    /// <summary>Attributes by target group ARN.</summary>
    public ImmutableDictionary<string, ImmutableDictionary<string, string>> TargetGroupAttributes { get; init; } = ImmutableDictionary<string, ImmutableDictionary<string, string>>.Empty;
    /// <summary>Tags by resource ARN (load balancers and target groups).</summary>
    public ImmutableDictionary<string, ImmutableDictionary<string, string>> Tags { get; init; } = ImmutableDictionary<string, ImmutableDictionary<string, string>>.Empty;
    /// <summary>Target health by target group ARN, with when it was read and since when each target has been in its state.</summary>
    public ImmutableDictionary<string, TargetGroupHealth> TargetHealth { get; init; } = ImmutableDictionary<string, TargetGroupHealth>.Empty;
    /// <summary>The balancers' usage this month (null until read, or when nothing asks for it: see <see cref="AwsPollingOptions.UsageInterval"/>).</summary>
    public BalancerUsage? Usage { get; init; }
    /// <summary>Security groups, subnets, certificates and WAF associations of the balancers (null until first read).</summary>
    public Security.AwsSecurity? Security { get; init; }
    /// <summary>When the configuration part (balancers, listeners, rules, groups, attributes, tags) was last read completely.</summary>
    public DateTimeOffset? ConfigurationAsOf { get; init; }
}

/// <summary>The health of one target group's targets as last read.</summary>
public sealed record TargetGroupHealth(string TargetGroupArn, ImmutableArray<ObservedTargetHealth> Targets, DateTimeOffset AsOf);

/// <summary>A target's health plus the first time the dashboard saw it in this state (AWS does not say).</summary>
public sealed record ObservedTargetHealth(TargetHealthDescription Description, DateTimeOffset Since)
{
    /// <summary>
    /// True when the dashboard saw the state begin (a change between two reads, or a target newly registered), so
    /// <see cref="Since"/> is accurate to one poll; false when the target was already in this state at the first read,
    /// so the time in state is at least <c>now - Since</c>.
    /// </summary>
    public bool ChangeObserved { get; init; }
}
