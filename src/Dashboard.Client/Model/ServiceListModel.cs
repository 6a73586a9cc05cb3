namespace Dashboard.Client.Model;

/// <summary>The Services page's state: every Service, the URL query, and the filtered, sorted rows.</summary>
public sealed class ServiceListModel
{
    /// <summary>The Service types offered by the type filter.</summary>
    public static IReadOnlyList<string> Types { get; } = ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"];

    /// <summary>The sortable columns, as written in the URL.</summary>
    public static IReadOnlyList<string> SortColumns { get; } = ["name", "namespace", "type", "age"];

    public LiveList<ServiceViewModel> Items { get; } =
        new(static s => s.Key, static s => s.Namespace, OrderFor(null, descending: false));

    public ListQuery Query { get; private set; } = ListQuery.Empty;

    /// <summary>Takes a new URL query; the view is recomputed only when filters or order changed.</summary>
    public void SetQuery(ListQuery query)
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
            Items.SetFilter(s => Matches(s, query, terms));
        }
    }

    /// <summary>True when the Service passes the namespace, type and search filters.</summary>
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
        foreach (var term in terms)
        {
            if (!MatchesTerm(service, term))
            {
                return false;
            }
        }
        return true;
    }

    private static bool MatchesTerm(ServiceViewModel service, string term)
    {
        if (Contains(service.Name, term) || Contains(service.Namespace, term) || Contains(service.ClusterIp, term))
        {
            return true;
        }
        foreach (var address in service.ExternalAddresses)
        {
            if (Contains(address, term))
            {
                return true;
            }
        }
        foreach (var value in service.Annotations.Values)
        {
            if (Contains(value, term))
            {
                return true;
            }
        }
        return false;
    }

    private static bool Contains(string? value, string term) =>
        value is not null && value.Contains(term, StringComparison.OrdinalIgnoreCase);

    private static IComparer<ServiceViewModel> OrderFor(string? column, bool descending)
    {
        Comparison<ServiceViewModel> comparison = column switch
        {
            "name" => static (a, b) => string.CompareOrdinal(a.Name, b.Name),
            "type" => static (a, b) => string.CompareOrdinal(a.Type, b.Type),
            // Age ascending = youngest first, as a person reading "age" expects.
            "age" => static (a, b) => b.CreatedAt.CompareTo(a.CreatedAt),
            _ => static (a, b) => string.CompareOrdinal(a.Namespace, b.Namespace) is var c && c != 0
                ? c
                : string.CompareOrdinal(a.Name, b.Name),
        };
        return Comparer<ServiceViewModel>.Create(descending ? (a, b) => comparison(b, a) : comparison);
    }
}
