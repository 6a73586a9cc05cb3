using System.Collections.Immutable;

namespace Dashboard.Client.Model;

/// <summary>The cost of one load balancer this month, who owns it, and whether it is idle or orphaned.</summary>
public sealed record BalancerCost
{
    public required string Arn { get; init; }
    public required string Name { get; init; }

    /// <summary><c>application</c> or <c>network</c>.</summary>
    public required string Type { get; init; }

    public DateTimeOffset? CreatedTime { get; init; }

    /// <summary>The namespace of the (first) owner object; null when the balancer names none.</summary>
    public string? Namespace { get; init; }

    /// <summary>The owner's <c>team</c> label, else the balancer's <c>Team</c> AWS tag (both configurable); null when neither is set.</summary>
    public string? Team { get; init; }

    /// <summary>Where <see cref="Team"/> comes from: <c>label</c> (the owner's Kubernetes label) or <c>tag</c> (the balancer's AWS tag).</summary>
    public string? TeamSource { get; init; }

    /// <summary>The namespaces of the owners, with the share of the balancer each accounts for (one row for a sole owner).</summary>
    public ImmutableArray<NamespaceShare> NamespaceShares => Owners.IsEmpty
        ? Namespace is null ? [] : [new NamespaceShare(Namespace, 1.0)]
        : [.. Owners.GroupBy(o => o.Namespace, StringComparer.Ordinal).Select(g => new NamespaceShare(g.Key, g.Sum(o => o.Share)))
            .OrderByDescending(n => n.Share).ThenBy(n => n.Namespace, StringComparer.Ordinal)];

    /// <summary>Public IPv4 addresses of the balancer's nodes (0 when internal).</summary>
    public int PublicIpv4Addresses { get; init; }

    /// <summary>True when <see cref="PublicIpv4Addresses"/> was counted from EC2; false when estimated as one per Availability Zone.</summary>
    public bool PublicIpv4Counted { get; init; }

    /// <summary>What the addresses cost since the first of the month (billed as VPC public IPv4, not Elastic Load Balancing).</summary>
    public decimal PublicIpv4Cost { get; init; }

    /// <summary>What the addresses cost over the whole month.</summary>
    public decimal PublicIpv4Projected { get; init; }

    /// <summary>Everything this balancer costs since the first of the month: <see cref="MonthToDate"/> + <see cref="PublicIpv4Cost"/>.</summary>
    public decimal WithAddressesMonthToDate => MonthToDate + PublicIpv4Cost;

    /// <summary>Cost Explorer's figure for each day of this month so far (resource-level data or the stack tag), oldest first.</summary>
    public ImmutableArray<DailyCost> Daily { get; init; } = [];

    /// <summary>The topology's owners of the balancer (the same record the Load balancers page shows), each with its share.</summary>
    public ImmutableArray<BalancerOwner> Owners { get; init; } = [];

    /// <summary>For an orphan: the object the controller's tags name, which no longer exists.</summary>
    public ObjectRef? TaggedOwner { get; init; }

    /// <summary>Billed hours this month (each started hour counts).</summary>
    public int Hours { get; init; }

    /// <summary>Σ hourly ConsumedLCUs this month (LCU-hours, or NLCU-hours for an NLB).</summary>
    public double LcuHours { get; init; }

    public decimal HourlyCost { get; init; }
    public decimal LcuCost { get; init; }

    /// <summary>Estimate since the first of the month: <see cref="HourlyCost"/> + <see cref="LcuCost"/>.</summary>
    public decimal MonthToDate => HourlyCost + LcuCost;

    /// <summary>Estimate of Elastic Load Balancing for the whole month at the current rate (without the public IPv4 addresses).</summary>
    public decimal Projected { get; init; }

    /// <summary>Share of the month-to-date estimate that comes from LCUs (0–1); the rest is the hourly charge.</summary>
    public double LcuShare => MonthToDate == 0 ? 0 : (double)(LcuCost / MonthToDate);

    /// <summary>Cost Explorer's month-to-date figure for this balancer; null when it has none.</summary>
    public decimal? CostExplorerMonthToDate { get; init; }

    /// <summary>How <see cref="CostExplorerMonthToDate"/> was found: "resource" (per-resource data) or "tag" (the stack tag).</summary>
    public string? CostExplorerRoute { get; init; }

    public decimal? Difference => CostExplorerMonthToDate is { } ce ? ce - MonthToDate : null;

    /// <summary>Requests (ALB) or new flows (NLB) over the idle window; null when CloudWatch did not answer.</summary>
    public double? RecentRequests { get; init; }

    /// <summary>No requests or flows worth counting over the idle window.</summary>
    public bool Idle { get; init; }

    /// <summary>Tagged for the cluster, but the Kubernetes object that owns it is gone.</summary>
    public bool Orphan { get; init; }

    /// <summary>An owner's part of <see cref="MonthToDate"/>: its share, to a hundredth of a cent.</summary>
    public decimal MonthToDateOf(BalancerOwner owner) => ShareOf(MonthToDate, owner);

    /// <summary>An owner's part of <see cref="Projected"/>.</summary>
    public decimal ProjectedOf(BalancerOwner owner) => ShareOf(Projected, owner);

    private static decimal ShareOf(decimal amount, BalancerOwner owner) =>
        Math.Round(amount * (decimal)owner.Share, 4, MidpointRounding.AwayFromZero);

    /// <summary>The fix a person can apply, e.g. "Delete Service mlops/old-nlb (the controller then deletes the balancer)".</summary>
    public string? Fix { get; init; }
}

/// <summary>A namespace's part of a balancer: the summed shares of its owners there.</summary>
public sealed record NamespaceShare(string Namespace, double Share);

/// <summary>The state of one part of the report.</summary>
public enum CostSourceState
{
    /// <summary>Not read yet.</summary>
    Pending,
    /// <summary>Last read succeeded.</summary>
    Live,
    /// <summary>Last read failed; the older value is shown.</summary>
    Stale,
    /// <summary>The source cannot answer here (e.g. resource-level data not opted in); the report falls back.</summary>
    Unavailable,
}

/// <summary>One part of the report (balancers, usage metrics, Cost Explorer by tag, per resource, forecast) and its age.</summary>
public sealed record CostSourceInfo
{
    public required string Key { get; init; }
    public required string DisplayName { get; init; }
    public required CostSourceState State { get; init; }

    /// <summary>When the value shown was read; null before the first success.</summary>
    public DateTimeOffset? AsOf { get; init; }

    /// <summary>Why the part is stale or unavailable.</summary>
    public string? Message { get; init; }

    /// <summary>When the part is read again (its cache expires).</summary>
    public DateTimeOffset? NextRefreshAt { get; init; }
}
