namespace Dashboard.Client.Model;

/// <summary>The Services page's state: every Service, the URL query, and the filtered, sorted rows.</summary>
public sealed class ServiceListModel() : ListModel<ServiceViewModel, ListQuery>(
    static s => s.Key, static s => s.Namespace, ListQuery.Empty, ComparisonFor, Matches)
{
    /// <summary>The Service types offered by the type filter.</summary>
    public static IReadOnlyList<string> Types { get; } = ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"];

    /// <summary>The schemes offered by the scheme filter (the decoded scheme: a controller NLB without the annotation is internal).</summary>
    public static IReadOnlyList<string> Schemes { get; } = ["internet-facing", "internal"];

    /// <summary>The sortable columns, as written in the URL.</summary>
    public static IReadOnlyList<string> SortColumns { get; } = ["name", "namespace", "type", "age"];

    /// <summary>True when the Service passes the namespace, type, scheme and search filters.</summary>
    public static bool Matches(ServiceViewModel service, ListQuery query) => Matches(service, query, query.SearchTerms);

    private static bool Matches(ServiceViewModel service, ListQuery query, IReadOnlyList<string> terms)
    {
        if (query.Namespace is { } ns && !string.Equals(service.Namespace, ns, StringComparison.Ordinal))
        {
            return false;
        }
        if (query.Type is { } type && !string.Equals(service.Type, type, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        if (query.Scheme is { } scheme && !string.Equals(service.LoadBalancer?.Scheme, scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        return MatchesAll(service, terms, MatchesTerm);
    }

    private static bool MatchesTerm(ServiceViewModel service, string term) =>
        Contains(service.Name, term) || Contains(service.Namespace, term) || Contains(service.ClusterIp, term)
        || ContainsAny(service.ExternalAddresses, term)
        || ContainsAny(service.Annotations.Values, term)
        || (service.LoadBalancer is { } lb && MatchesDecoded(lb, term));

    /// <summary>The decoded balancer: scheme, type, controller and target type, so "internet-facing" finds an NLB that is so by default.</summary>
    private static bool MatchesDecoded(LoadBalancerFacts lb, string term) =>
        Contains(lb.Scheme, term) || Contains(lb.BalancerType, term) || Contains(lb.TargetType + " targets", term)
        || Contains(lb.Controller == LoadBalancerController.AwsLoadBalancerController ? "aws-load-balancer-controller" : "in-tree", term);

    private static Comparison<ServiceViewModel> ComparisonFor(string? column) => column switch
    {
        "name" => static (a, b) => string.CompareOrdinal(a.Name, b.Name),
        "type" => static (a, b) => string.CompareOrdinal(a.Type, b.Type),
        // Age ascending = youngest first, as a person reading "age" expects.
        "age" => static (a, b) => b.CreatedAt.CompareTo(a.CreatedAt),
        _ => static (a, b) => string.CompareOrdinal(a.Namespace, b.Namespace) is var c && c != 0
            ? c
            : string.CompareOrdinal(a.Name, b.Name),
    };
}
