using System.Collections.Immutable;

namespace Dashboard.Server.Topology;

/// <summary>
/// What the join needs besides the two snapshots: which cluster this is (to read the controller's tags and find orphans),
/// the time (ages of target states), DNS answers for the checklist and which balancers have CloudWatch datapoints.
/// Everything here is data: the join itself does no I/O.
/// </summary>
public sealed record TopologyContext
{
    /// <summary>
    /// The EKS cluster name as the controller tags it (<c>elbv2.k8s.aws/cluster</c>). When null, the join infers it
    /// from the balancers whose tags name a live object; without any such balancer nothing is called an orphan.
    /// </summary>
    public string? ClusterName { get; init; }

    public required DateTimeOffset Now { get; init; }

    /// <summary>Answers for host names the previous join asked for (<see cref="EndpointTopology.HostsToResolve"/>), by lower-case name.</summary>
    public ImmutableDictionary<string, DnsAnswer> Dns { get; init; } = ImmutableDictionary<string, DnsAnswer>.Empty;

    /// <summary>
    /// Load balancer ARNs with CloudWatch datapoints in the last hour; null when metrics are not read at all (the AWS
    /// snapshot carries no metrics yet, so the feed leaves it null and the monitoring check says Unknown).
    /// </summary>
    public ImmutableHashSet<string>? BalancersWithMetrics { get; init; }

    /// <summary>
    /// What the metrics stage's live reads saw per balancer (by CloudWatch dimension <c>app/name/id</c>): the newest
    /// datapoint and when it was read; null when the host has no metrics stage. The "Monitoring present" row.
    /// </summary>
    public ImmutableDictionary<string, Metrics.BalancerMetricsFreshness>? MetricsFreshness { get; init; }

    /// <summary>
    /// Set while the AWS source is stale (a call failing, e.g. DescribeTargetHealth throttled): target states are frozen
    /// as last read, so a diagnosis that depends on elapsed time counts only the time up to each group's last read and
    /// says what is not known since.
    /// </summary>
    public AwsStaleness? AwsStale { get; init; }

    /// <summary>The last Verify and smoke test per endpoint (by <see cref="Client.Model.ObjectRef.Key"/>), for the checklist.</summary>
    public ImmutableDictionary<string, Verify.EndpointProbes> Probes { get; init; } = ImmutableDictionary<string, Verify.EndpointProbes>.Empty;

    /// <summary>Events shown per endpoint, newest first.</summary>
    public int MaxEventsPerEndpoint { get; init; } = 50;
}

/// <summary>The AWS source is failing: its last good read and a short reason ("AWS throttled", "AWS unreachable").</summary>
public sealed record AwsStaleness(DateTimeOffset? LastGoodAt, string Reason)
{
    /// <summary>The short reason for a stale AWS source's message.</summary>
    public static string ReasonOf(string? message) =>
        message is null ? "AWS failing"
        : message.Contains("throttl", StringComparison.OrdinalIgnoreCase) || message.Contains("rate exceeded", StringComparison.OrdinalIgnoreCase) ? "AWS throttled"
        : message.Contains("credential", StringComparison.OrdinalIgnoreCase) ? "AWS credentials failing"
        : message.Contains("could not be reached", StringComparison.OrdinalIgnoreCase) ? "AWS unreachable"
        : "AWS failing";
}
