namespace Dashboard.Server.Api;

/// <summary>
/// <c>GET /api/v1/costs</c>: the cost report's headline figures and, as a paged list in <c>items</c>, the balancers with
/// their owners (the same owners as <c>/load-balancers</c>). Amounts in <c>currency</c>.
/// </summary>
public sealed record CostReportDto
{
    public required DateTimeOffset AsOf { get; init; }
    /// <summary>The first day of the month the month-to-date figures cover.</summary>
    public required DateOnly MonthStart { get; init; }
    public required string Currency { get; init; }
    public string? ClusterName { get; init; }
    public string? Region { get; init; }
    public required CostTotalsDto Totals { get; init; }
    public required IReadOnlyList<NamespaceCostDto> Namespaces { get; init; }
    public required IReadOnlyList<MonthlyCostDto> Months { get; init; }
    public required IReadOnlyList<DailyCostDto> Days { get; init; }
    /// <summary>Each part of the report, its state and its age.</summary>
    public required IReadOnlyList<CostSourceDto> Sources { get; init; }
    /// <summary>True when any part is stale.</summary>
    public required bool Stale { get; init; }
    /// <summary>The balancers of this page.</summary>
    public required IReadOnlyList<BalancerCostDto> Items { get; init; }
    public string? Continue { get; init; }
}

/// <summary>
/// The headline figures. <c>monthToDate</c>/<c>projected</c> are estimates of Elastic Load Balancing for <c>balancers</c>
/// balancers over <c>days</c>; the public IPv4 addresses are apart (billed as VPC); <c>clusterTagMonthToDate</c> and
/// <c>lastMonth</c> are Cost Explorer's actual figures under the cluster tag, <c>forecast</c> the whole account's;
/// <c>thisMonthScope</c> and <c>lastMonthGap</c> say why they differ from the estimate and the account's total.
/// </summary>
public sealed record CostTotalsDto(decimal MonthToDate, decimal Projected, decimal? CostExplorerMonthToDate, decimal CostExplorerEstimate,
    int CostExplorerBalancers, decimal? ClusterTagMonthToDate, decimal? LastMonth, decimal? Forecast, decimal IdleProjected, decimal OrphanProjected)
{
    public int Balancers { get; init; }
    /// <summary>The days of the month the month-to-date figures cover, e.g. "1–3 Dec".</summary>
    public string? Days { get; init; }
    public int PublicIpv4Addresses { get; init; }
    /// <summary>Balancers whose addresses are estimated as one per Availability Zone (EC2 network interfaces not read).</summary>
    public int PublicIpv4Estimated { get; init; }
    public decimal PublicIpv4MonthToDate { get; init; }
    public decimal PublicIpv4Projected { get; init; }
    public int NotUnderClusterTag { get; init; }
    public decimal NotUnderClusterTagMonthToDate { get; init; }
    public string? ThisMonthScope { get; init; }
    public decimal LastMonthHourlyFloor { get; init; }
    public string? LastMonthGap { get; init; }
}

public sealed record NamespaceCostDto(string Namespace, decimal MonthToDate, decimal Projected, int Balancers);

/// <summary>A month: under the cluster tag, the account's total, and of the rest what is under no cluster tag and under other clusters'.</summary>
public sealed record MonthlyCostDto(DateOnly Month, decimal? Cluster, decimal Account, bool Estimated, decimal? Untagged = null, decimal? OtherClusters = null);

public sealed record DailyCostDto(DateOnly Day, decimal Amount);

/// <summary>A part of the report; <c>state</c> is pending, live, stale or unavailable.</summary>
public sealed record CostSourceDto(string Key, string DisplayName, string State, DateTimeOffset? AsOf, string? Message, DateTimeOffset? NextRefreshAt);

/// <summary>The cost of one balancer this month.</summary>
public sealed record BalancerCostDto
{
    public required string Arn { get; init; }
    public required string Name { get; init; }
    public required string Type { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public string? Namespace { get; init; }
    public string? Team { get; init; }
    /// <summary>Owners with their share of the cost; the same objects as the balancer's owners in <c>/load-balancers</c>.</summary>
    public required IReadOnlyList<OwnerDto> Owners { get; init; }
    public required int Hours { get; init; }
    public required double LcuHours { get; init; }
    public required decimal HourlyCost { get; init; }
    public required decimal LcuCost { get; init; }
    public required decimal MonthToDate { get; init; }
    public required decimal Projected { get; init; }
    public decimal? CostExplorerMonthToDate { get; init; }
    /// <summary>resource or tag: how Cost Explorer's figure was found.</summary>
    public string? CostExplorerRoute { get; init; }
    public double? RecentRequests { get; init; }
    public required bool Idle { get; init; }
    public required bool Orphan { get; init; }
    public string? Fix { get; init; }
    /// <summary>label (the owner's Kubernetes label) or tag (the balancer's AWS tag): where <c>team</c> comes from.</summary>
    public string? TeamSource { get; init; }
    public int PublicIpv4Addresses { get; init; }
    /// <summary>True when the addresses were counted from EC2; false when estimated as one per Availability Zone.</summary>
    public bool PublicIpv4Counted { get; init; }
    /// <summary>The addresses' cost since the first of the month (billed as VPC public IPv4, not in <c>monthToDate</c>).</summary>
    public decimal PublicIpv4Cost { get; init; }
    public decimal PublicIpv4Projected { get; init; }
    /// <summary>Cost Explorer's figure per day this month.</summary>
    public IReadOnlyList<DailyCostDto> Daily { get; init; } = [];
}
