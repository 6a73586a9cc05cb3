using System.Collections.Immutable;

namespace Dashboard.Client.Model;

/// <summary>
/// The Cost page's filters as carried in its URL, so a pasted link opens the same view:
/// <c>/cost?ns=mlops&amp;type=application&amp;idle=true</c>.
/// </summary>
public sealed record CostQuery
{
    public static CostQuery Empty { get; } = new();

    /// <summary>Balancer types the <c>type</c> filter accepts.</summary>
    public static ImmutableArray<string> Types { get; } = ["application", "network"];

    /// <summary>Namespace filter (<c>ns</c>): balancers with an owner in it.</summary>
    public string? Namespace { get; init; }

    /// <summary>Balancer type filter (<c>type</c>): application or network.</summary>
    public string? Type { get; init; }

    /// <summary>Only idle or orphan balancers (<c>idle=true</c>): the ones worth deleting.</summary>
    public bool IdleOnly { get; init; }

    /// <summary>Columns the table sorts by (<c>sort</c>, a leading '-' for descending); none: projected cost, highest first.</summary>
    public static ImmutableArray<string> SortColumns { get; } = ["name", "type", "namespace", "team", "mtd", "projected", "ipv4", "ce"];

    /// <summary>The <c>sort</c> value: a column of <see cref="SortColumns"/>, '-' first for descending; null for the default order.</summary>
    public string? Sort { get; init; }

    public string? SortColumn => QueryUrl.SortColumn(Sort);

    public bool SortDescending => QueryUrl.SortDescending(Sort);

    /// <summary>Whether any filter narrows the balancers (sorting does not).</summary>
    public bool IsFiltered => Namespace is not null || Type is not null || IdleOnly;

    /// <summary>Reads the filters from an absolute or relative URI; unknown parameters and values are ignored.</summary>
    public static CostQuery Parse(string uri)
    {
        var query = QueryUrl.Read(uri);
        return query.IsEmpty ? Empty : new CostQuery
        {
            Namespace = query.Get("ns"),
            Type = query.OneOf("type", Types),
            IdleOnly = query.IsTrue("idle"),
            Sort = query.Get("sort") is { } sort && SortColumns.Contains(QueryUrl.SortColumn(sort)!) ? sort : null,
        };
    }

    /// <summary>The relative URL of the Cost page with these filters.</summary>
    public string ToUrl() => QueryUrl.Build(DashboardUrls.Cost, ("ns", Namespace), ("type", Type), ("idle", IdleOnly ? "true" : null), ("sort", Sort));

    /// <summary>The CSV export of the balancers these filters keep (the export reads the same parameters).</summary>
    public string ToExportUrl() => QueryUrl.Build(DashboardUrls.CostExport, ("ns", Namespace), ("type", Type), ("idle", IdleOnly ? "true" : null), ("sort", Sort));

    /// <summary>Whether the filters keep <paramref name="balancer"/>.</summary>
    public bool Keeps(BalancerCost balancer) =>
        (Namespace is null || balancer.Owners.Any(o => o.Namespace == Namespace) || (balancer.Owners.IsEmpty && balancer.Namespace == Namespace))
        && (Type is null || balancer.Type == Type)
        && (!IdleOnly || balancer.Idle || balancer.Orphan);

    /// <summary>
    /// The part of <paramref name="balancer"/> the namespace filter counts: the summed shares of its owners in that
    /// namespace (the same split as "By namespace"), the whole balancer without a namespace filter.
    /// </summary>
    public double ShareOf(BalancerCost balancer)
    {
        ArgumentNullException.ThrowIfNull(balancer);
        return Namespace is null || balancer.Owners.IsEmpty ? 1 : balancer.Owners.Where(o => o.Namespace == Namespace).Sum(o => o.Share);
    }

    /// <summary>The balancers these filters keep, in the chosen order (default: most expensive first).</summary>
    public ImmutableArray<BalancerCost> Apply(IEnumerable<BalancerCost> balancers)
    {
        var kept = balancers.Where(Keeps);
        var ordered = SortColumn switch
        {
            "name" => OrderText(kept, b => b.Name),
            "type" => OrderText(kept, b => b.Type),
            "namespace" => OrderText(kept, b => b.NamespaceShares.FirstOrDefault()?.Namespace ?? ""),
            "team" => OrderText(kept, b => b.Team ?? ""),
            "mtd" => Order(kept, b => b.MonthToDate),
            "projected" => Order(kept, b => b.Projected),
            "ipv4" => Order(kept, b => b.PublicIpv4Cost),
            "ce" => Order(kept, b => b.CostExplorerMonthToDate ?? -1),
            _ => kept.OrderByDescending(b => b.Projected),
        };
        return [.. ordered.ThenBy(b => b.Name, StringComparer.Ordinal)];
    }

    private IOrderedEnumerable<BalancerCost> OrderText(IEnumerable<BalancerCost> balancers, Func<BalancerCost, string> key) =>
        SortDescending ? balancers.OrderByDescending(key, StringComparer.Ordinal) : balancers.OrderBy(key, StringComparer.Ordinal);

    private IOrderedEnumerable<BalancerCost> Order<TKey>(IEnumerable<BalancerCost> balancers, Func<BalancerCost, TKey> key) =>
        SortDescending ? balancers.OrderByDescending(key, Comparer<TKey>.Default) : balancers.OrderBy(key, Comparer<TKey>.Default);
}
