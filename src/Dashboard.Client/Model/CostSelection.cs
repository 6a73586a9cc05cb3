namespace Dashboard.Client.Model;

/// <summary>
/// The headline figures of the balancers a Cost page filter keeps, so the cards, the table and the CSV count the same
/// thing. A namespace filter counts each shared balancer at its owners' share in that namespace (the split "By namespace"
/// shows); the other filters count whole balancers. Pure, so it is tested without a page.
/// </summary>
public sealed record CostSelection
{
    public int Balancers { get; init; }

    /// <summary>Estimated Elastic Load Balancing cost since the first of the month (hours + LCUs, no addresses).</summary>
    public decimal MonthToDate { get; init; }

    public decimal Projected { get; init; }

    public int PublicIpv4Addresses { get; init; }

    /// <summary>Balancers whose addresses are estimated (one per Availability Zone) rather than counted from EC2.</summary>
    public int PublicIpv4Estimated { get; init; }

    public decimal PublicIpv4MonthToDate { get; init; }

    public decimal PublicIpv4Projected { get; init; }

    /// <summary>Cost Explorer's figure for the kept balancers it has one for; null when it has none.</summary>
    public decimal? CostExplorerMonthToDate { get; init; }

    /// <summary>The estimate of the same balancers, same days.</summary>
    public decimal CostExplorerEstimate { get; init; }

    public int CostExplorerBalancers { get; init; }

    /// <summary>Projected monthly cost of the idle and orphan balancers kept.</summary>
    public decimal Waste { get; init; }

    public int WasteBalancers { get; init; }

    public decimal? Difference => CostExplorerMonthToDate is { } ce ? ce - CostExplorerEstimate : null;

    public static CostSelection Of(CostReport report, CostQuery query)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(query);
        var kept = report.Balancers.Where(query.Keeps).Select(b => (Balancer: b, Share: (decimal)query.ShareOf(b))).ToList();
        var attributed = kept.Where(k => k.Balancer.CostExplorerMonthToDate is not null).ToList();
        var waste = kept.Where(k => k.Balancer.Idle || k.Balancer.Orphan).ToList();
        return new CostSelection
        {
            Balancers = kept.Count,
            MonthToDate = Sum(kept, b => b.MonthToDate),
            Projected = Sum(kept, b => b.Projected),
            PublicIpv4Addresses = kept.Sum(k => k.Balancer.PublicIpv4Addresses),
            PublicIpv4Estimated = kept.Count(k => k.Balancer.PublicIpv4Addresses > 0 && !k.Balancer.PublicIpv4Counted),
            PublicIpv4MonthToDate = Sum(kept, b => b.PublicIpv4Cost),
            PublicIpv4Projected = Sum(kept, b => b.PublicIpv4Projected),
            CostExplorerMonthToDate = attributed.Count == 0 ? null : Sum(attributed, b => b.CostExplorerMonthToDate!.Value),
            CostExplorerEstimate = Sum(attributed, b => b.MonthToDate),
            CostExplorerBalancers = attributed.Count,
            Waste = Sum(waste, b => b.Projected),
            WasteBalancers = waste.Count,
        };
    }

    private static decimal Sum(List<(BalancerCost Balancer, decimal Share)> rows, Func<BalancerCost, decimal> amount) =>
        rows.Sum(r => Math.Round(amount(r.Balancer) * r.Share, 4, MidpointRounding.AwayFromZero));
}

/// <summary>
/// The sentences that say what a cost figure counts and why two figures differ, written once for the page, the API and the
/// docs' examples. Amounts through <see cref="CostFormat"/>.
/// </summary>
public static class CostNotes
{
    /// <summary>"1–3 Dec": the days of the month the month-to-date figures cover, through the report's time.</summary>
    public static string Days(CostReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var through = DateOnly.FromDateTime(report.AsOf.UtcDateTime);
        var month = report.MonthStart.ToString("MMM", Localization.DashboardCultures.Format);
        return through <= report.MonthStart
            ? $"{report.MonthStart.Day} {month}"
            : $"{report.MonthStart.Day}–{through.Day} {month}";
    }

    /// <summary>
    /// Why last month's figure under the cluster tag is below the account's ELB total, with the amounts; and a warning when
    /// it is below the hourly charge alone of the balancers that ran all month (their cost is not all under the tag).
    /// Null when there is no figure for last month.
    /// </summary>
    public static string? LastMonthGap(CostReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var month = report.Months.FirstOrDefault(m => m.Month == report.MonthStart.AddMonths(-1));
        if (month?.Cluster is not { } tagged)
        {
            return null;
        }
        var parts = new List<string>();
        var gap = month.Account - tagged;
        if (gap > 0.005m)
        {
            var split = new List<string>();
            if (month.OtherClusters is > 0.005m)
            {
                split.Add(Localization.UiText.Format("{0} under other clusters' tags", CostFormat.Money(month.OtherClusters.Value)));
            }
            if (month.Untagged is > 0.005m)
            {
                split.Add(Localization.UiText.Format("{0} under no cluster tag (balancers without the elbv2.k8s.aws/cluster tag, such as in-tree ones, or cost from before the tag was activated for cost allocation)", CostFormat.Money(month.Untagged.Value)));
            }
            parts.Add(split.Count > 0
                ? Localization.UiText.Format("The account's ELB total was {0}; the other {1} is not this cluster's tag: {2}.", CostFormat.Money(month.Account), CostFormat.Money(gap), string.Join(", ", split))
                : Localization.UiText.Format("The account's ELB total was {0}; the other {1} is not this cluster's tag.", CostFormat.Money(month.Account), CostFormat.Money(gap)));
        }
        if (report.Totals.LastMonthFloorBalancers > 0 && tagged + 0.005m < report.Totals.LastMonthHourlyFloor)
        {
            parts.Add(Localization.UiText.Format(report.Totals.LastMonthFloorBalancers == 1
                    ? "{0} is below the hourly charge alone ({1}) of the {2} tagged balancer that ran all month: part of their cost is not under the tag — usually because elbv2.k8s.aws/cluster was activated as a cost allocation tag after the month began (Billing → Cost allocation tags); Cost Explorer does not move earlier cost under it."
                    : "{0} is below the hourly charge alone ({1}) of the {2} tagged balancers that ran all month: part of their cost is not under the tag — usually because elbv2.k8s.aws/cluster was activated as a cost allocation tag after the month began (Billing → Cost allocation tags); Cost Explorer does not move earlier cost under it.",
                CostFormat.Money(tagged), CostFormat.Money(report.Totals.LastMonthHourlyFloor), report.Totals.LastMonthFloorBalancers));
        }
        return parts.Count == 0 ? null : string.Join(" ", parts);
    }

    /// <summary>
    /// Why this month's figure under the cluster tag differs from the estimate of all the cluster's balancers: balancers
    /// the tag does not cover (in-tree ones), named with their estimate. Null when every balancer carries the tag.
    /// </summary>
    public static string? ThisMonthScope(CostReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var totals = report.Totals;
        return totals.NotUnderClusterTag == 0 ? null
            : Localization.UiText.Format(totals.NotUnderClusterTag == 1
                ? "{0} balancer without the elbv2.k8s.aws/cluster tag (the in-tree provider's, tagged kubernetes.io/cluster/…) is not in this figure: estimated {1} so far."
                : "{0} balancers without the elbv2.k8s.aws/cluster tag (the in-tree provider's, tagged kubernetes.io/cluster/…) are not in this figure: estimated {1} so far.",
                totals.NotUnderClusterTag, CostFormat.Money(totals.NotUnderClusterTagMonthToDate));
    }
}
