using System.Collections.Immutable;

namespace Dashboard.Client.Model;

/// <summary>
/// What the load balancers of the cluster cost, as of <see cref="AsOf"/>: an estimate from usage (hours × hourly price +
/// ConsumedLCUs × LCU price, always available) reconciled with Cost Explorer where it answers. Built once per server and
/// shared by every viewer; amounts in <see cref="Currency"/>.
/// </summary>
public sealed record CostReport
{
    /// <summary>The key of the one report the cost feed carries.</summary>
    public const string SingletonKey = "cost-report";

    public static CostReport Empty { get; } = new() { AsOf = DateTimeOffset.MinValue, MonthStart = DateOnly.MinValue };

    /// <summary>When the report was assembled from its parts (each part carries its own age in <see cref="Sources"/>).</summary>
    public required DateTimeOffset AsOf { get; init; }

    /// <summary>The first day of the month the month-to-date figures cover (UTC).</summary>
    public required DateOnly MonthStart { get; init; }

    public string Currency { get; init; } = "USD";

    /// <summary>The EKS cluster whose balancers are costed (the <c>elbv2.k8s.aws/cluster</c> tag value); null when unknown.</summary>
    public string? ClusterName { get; init; }

    public string? Region { get; init; }

    public CostTotals Totals { get; init; } = new();

    public ImmutableArray<BalancerCost> Balancers { get; init; } = [];

    public ImmutableArray<NamespaceCost> Namespaces { get; init; } = [];

    /// <summary>Monthly Elastic Load Balancing cost from Cost Explorer, oldest first; the last month is the current one.</summary>
    public ImmutableArray<MonthlyCost> Months { get; init; } = [];

    /// <summary>Daily cost of the cluster's balancers this month from Cost Explorer, oldest first.</summary>
    public ImmutableArray<DailyCost> Days { get; init; } = [];

    /// <summary>Where each part came from, how old it is, and why a part is missing or stale.</summary>
    public ImmutableArray<CostSourceInfo> Sources { get; init; } = [];

    /// <summary>Cost Explorer requests this server has made since it started (each costs <see cref="CostExplorerRequestPrice"/>).</summary>
    public long CostExplorerRequests { get; init; }

    public decimal CostExplorerRequestPrice { get; init; } = 0.01m;

    /// <summary>What the Cost Explorer requests above cost.</summary>
    public decimal CostExplorerSpend => CostExplorerRequests * CostExplorerRequestPrice;

    /// <summary>
    /// Metrics this server has requested from CloudWatch (GetMetricData) since it started: target-health host counts
    /// every <c>MetricsInterval</c>, usage for this report, the charts people open. CloudWatch bills them per 1,000.
    /// </summary>
    public long CloudWatchMetricsRequested { get; init; }

    public decimal CloudWatchPricePerThousandMetrics { get; init; } = 0.01m;

    /// <summary>What the metrics above cost.</summary>
    public decimal CloudWatchSpend => CloudWatchMetricsRequested / 1000m * CloudWatchPricePerThousandMetrics;

    /// <summary>The same rate over a 30-day month; null until the server has run a minute.</summary>
    public decimal? CloudWatchMonthlyProjection { get; init; }

    /// <summary>True when any part is stale (its last refresh failed and an older value is shown).</summary>
    public bool IsStale => Sources.Any(s => s.State == CostSourceState.Stale);
}

/// <summary>The headline figures a manager reads first.</summary>
public sealed record CostTotals
{
    /// <summary>Estimated cost of the cluster's balancers since the first of the month.</summary>
    public decimal MonthToDate { get; init; }

    /// <summary>Estimated cost of the whole month at the current rate.</summary>
    public decimal Projected { get; init; }

    /// <summary>
    /// Cost Explorer's figure this month for the balancers it can attribute (per resource or by stack tag); null when it
    /// attributes none. Compare it with <see cref="CostExplorerEstimate"/>, the estimate of the same balancers.
    /// </summary>
    public decimal? CostExplorerMonthToDate { get; init; }

    /// <summary>The month-to-date estimate of the balancers Cost Explorer has a figure for.</summary>
    public decimal CostExplorerEstimate { get; init; }

    /// <summary>How many balancers Cost Explorer has a figure for.</summary>
    public int CostExplorerBalancers { get; init; }

    /// <summary>Cost Explorer's figure this month for everything tagged with the cluster (the cluster-tag group); null when unavailable.</summary>
    public decimal? ClusterTagMonthToDate { get; init; }

    /// <summary>Last month's cost of the cluster's balancers from Cost Explorer; null when unavailable.</summary>
    public decimal? LastMonth { get; init; }

    /// <summary>Cost Explorer's month-end forecast for Elastic Load Balancing in the account; null when unavailable.</summary>
    public decimal? Forecast { get; init; }

    /// <summary>Estimated monthly cost of idle balancers (what deleting them would save).</summary>
    public decimal IdleProjected { get; init; }

    /// <summary>Estimated monthly cost of orphan balancers.</summary>
    public decimal OrphanProjected { get; init; }

    /// <summary>Cost Explorer minus the estimate of the same balancers; null when Cost Explorer has no figure.</summary>
    public decimal? Difference => CostExplorerMonthToDate is { } ce ? ce - CostExplorerEstimate : null;

    /// <summary>How many balancers the estimates count (every balancer tagged for the cluster, ALB and NLB).</summary>
    public int Balancers { get; init; }

    /// <summary>Public IPv4 addresses of the internet-facing balancers (counted from EC2, or estimated: see <see cref="PublicIpv4Estimated"/>).</summary>
    public int PublicIpv4Addresses { get; init; }

    /// <summary>Balancers whose addresses are estimated as one per Availability Zone (EC2 network interfaces not read).</summary>
    public int PublicIpv4Estimated { get; init; }

    /// <summary>What the public IPv4 addresses cost since the first of the month (billed outside Elastic Load Balancing).</summary>
    public decimal PublicIpv4MonthToDate { get; init; }

    /// <summary>What they cost over the whole month.</summary>
    public decimal PublicIpv4Projected { get; init; }

    /// <summary>The balancers without the <c>elbv2.k8s.aws/cluster</c> tag (the in-tree provider's): not in the cluster-tag figures.</summary>
    public int NotUnderClusterTag { get; init; }

    /// <summary>Their estimated cost this month: the part of <see cref="MonthToDate"/> that <see cref="ClusterTagMonthToDate"/> cannot contain.</summary>
    public decimal NotUnderClusterTagMonthToDate { get; init; }

    /// <summary>
    /// The least last month can have cost under the cluster tag: the hourly charge alone of the cluster-tagged balancers
    /// that existed for the whole of last month (<see cref="LastMonthFloorBalancers"/>).
    /// </summary>
    public decimal LastMonthHourlyFloor { get; init; }

    public int LastMonthFloorBalancers { get; init; }
}

/// <summary>Cost totals of one namespace: its balancers, shared ones split by request share.</summary>
public sealed record NamespaceCost(string Namespace, decimal MonthToDate, decimal Projected, int Balancers);

/// <summary>
/// The Elastic Load Balancing cost of one month: the cluster's balancers (under its <c>elbv2.k8s.aws/cluster</c> tag) and
/// the whole account; of the rest, what is under no cluster tag (<see cref="Untagged"/>: balancers without the tag, or
/// cost from before the tag was activated for cost allocation) and under other clusters' tags (<see cref="OtherClusters"/>).
/// </summary>
public sealed record MonthlyCost(DateOnly Month, decimal? Cluster, decimal Account, bool Estimated, decimal? Untagged = null, decimal? OtherClusters = null);

/// <summary>The Elastic Load Balancing cost of one day of the current month.</summary>
public sealed record DailyCost(DateOnly Day, decimal Amount);
