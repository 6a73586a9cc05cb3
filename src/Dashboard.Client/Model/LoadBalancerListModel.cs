namespace Dashboard.Client.Model;

/// <summary>The Load balancers page's state: every balancer, the URL query, and the filtered, sorted rows.</summary>
public sealed class LoadBalancerListModel
{
    public LiveList<LoadBalancerViewModel> Items { get; } =
        new(static lb => lb.Key, static lb => lb.Owners.Length > 0 ? lb.Owners[0].Namespace : "", OrderFor(null, descending: false));

    public LoadBalancerQuery Query { get; private set; } = LoadBalancerQuery.Empty;

    /// <summary>Takes a new URL query; the view is recomputed only when filters or order changed.</summary>
    public void SetQuery(LoadBalancerQuery query)
    {
        var previous = Query;
        Query = query;
        if (!string.Equals(previous.Sort, query.Sort, StringComparison.Ordinal))
        {
            Items.SetOrder(OrderFor(query.SortColumn, query.SortDescending));
        }
        if (previous.FiltersDiffer(query))
        {
            var terms = query.SearchTerms;
            Items.SetFilter(lb => Matches(lb, query, terms));
        }
    }

    /// <summary>"alb" for an application load balancer, "nlb" for a network one, else the AWS type.</summary>
    public static string ShortType(LoadBalancerViewModel lb) => lb.Type switch
    {
        "application" => "alb",
        "network" => "nlb",
        "gateway" => "gwlb",
        _ => lb.Type,
    };

    /// <summary>True when the balancer passes the type, scheme, flag and search filters.</summary>
    public static bool Matches(LoadBalancerViewModel lb, LoadBalancerQuery query) => Matches(lb, query, query.SearchTerms);

    private static bool Matches(LoadBalancerViewModel lb, LoadBalancerQuery query, IReadOnlyList<string> terms)
    {
        if (query.Type is { } type && !string.Equals(ShortType(lb), type, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        if (query.Scheme is { } scheme && !string.Equals(lb.Scheme, scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        if ((lb.Flags & query.Flags) != query.Flags)
        {
            return false;
        }
        foreach (var term in terms)
        {
            if (!MatchesTerm(lb, term))
            {
                return false;
            }
        }
        return true;
    }

    private static bool MatchesTerm(LoadBalancerViewModel lb, string term)
    {
        if (Contains(lb.Name, term) || Contains(lb.DnsName, term) || Contains(lb.Arn, term) || Contains(lb.State, term))
        {
            return true;
        }
        foreach (var owner in lb.Owners)
        {
            if (Contains(owner.Namespace + "/" + owner.Name, term))
            {
                return true;
            }
        }
        foreach (var group in lb.TargetGroups)
        {
            if (Contains(group.Name, term))
            {
                return true;
            }
        }
        return false;
    }

    private static bool Contains(string? value, string term) =>
        value is not null && value.Contains(term, StringComparison.OrdinalIgnoreCase);

    private static IComparer<LoadBalancerViewModel> OrderFor(string? column, bool descending)
    {
        Comparison<LoadBalancerViewModel> comparison = column switch
        {
            "type" => static (a, b) => string.CompareOrdinal(a.Type, b.Type),
            "state" => static (a, b) => string.CompareOrdinal(a.State, b.State),
            // Targets ascending = the worst first: the largest share of unhealthy targets, then the most unhealthy.
            "targets" => static (a, b) => UnhealthyShare(b).CompareTo(UnhealthyShare(a)) is var c && c != 0
                ? c
                : (b.TotalTargets - b.HealthyTargets).CompareTo(a.TotalTargets - a.HealthyTargets),
            // Data age ascending = the oldest read first.
            "asof" => static (a, b) => Nullable.Compare(a.AsOf, b.AsOf),
            _ => static (a, b) => string.CompareOrdinal(a.Name, b.Name),
        };
        return Comparer<LoadBalancerViewModel>.Create(descending ? (a, b) => comparison(b, a) : comparison);
    }

    private static double UnhealthyShare(LoadBalancerViewModel lb) =>
        lb.TotalTargets == 0 ? 0 : (lb.TotalTargets - lb.HealthyTargets) / (double)lb.TotalTargets;
}
