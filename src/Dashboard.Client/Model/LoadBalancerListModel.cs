namespace Dashboard.Client.Model;

/// <summary>The Load balancers page's state: every balancer, the URL query, and the filtered, sorted rows.</summary>
public sealed class LoadBalancerListModel() : ListModel<LoadBalancerViewModel, LoadBalancerQuery>(
    static lb => lb.Key, static lb => lb.Owners.Length > 0 ? lb.Owners[0].Namespace : "", LoadBalancerQuery.Empty, ComparisonFor, Matches)
{
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
        return MatchesAll(lb, terms, MatchesTerm);
    }

    private static bool MatchesTerm(LoadBalancerViewModel lb, string term) =>
        Contains(lb.Name, term) || Contains(lb.DnsName, term) || Contains(lb.Arn, term) || Contains(lb.State, term)
        || ContainsAny(lb.Owners.Select(static o => o.Namespace + "/" + o.Name), term)
        || ContainsAny(lb.TargetGroups.Select(static g => g.Name), term);

    private static Comparison<LoadBalancerViewModel> ComparisonFor(string? column) => column switch
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

    private static double UnhealthyShare(LoadBalancerViewModel lb) =>
        lb.TotalTargets == 0 ? 0 : (lb.TotalTargets - lb.HealthyTargets) / (double)lb.TotalTargets;
}
