namespace Dashboard.Client.Model;

/// <summary>The Ingresses page's state: every Ingress, the URL query, and the filtered, sorted rows.</summary>
public sealed class IngressListModel
{
    /// <summary>The sortable columns, as written in the URL.</summary>
    public static IReadOnlyList<string> SortColumns { get; } = ["name", "namespace", "class", "age"];

    public LiveList<IngressViewModel> Items { get; } =
        new(static i => i.Key, static i => i.Namespace, OrderFor(null, descending: false));

    public ListQuery Query { get; private set; } = ListQuery.Empty;

    /// <summary>The ingress classes seen so far, for the class filter.</summary>
    public IReadOnlyList<string> Classes
    {
        get
        {
            if (_classesVersion != Items.Version)
            {
                _classes = [.. Items.All
                    .Select(static i => i.IngressClass)
                    .OfType<string>()
                    .Distinct(StringComparer.Ordinal)
                    .Order(StringComparer.Ordinal)];
                _classesVersion = Items.Version;
            }
            return _classes;
        }
    }

    private IReadOnlyList<string> _classes = [];
    private long _classesVersion = -1;

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
            Items.SetFilter(i => Matches(i, query, terms));
        }
    }

    /// <summary>True when the Ingress passes the namespace, class and search filters.</summary>
    public static bool Matches(IngressViewModel ingress, ListQuery query) => Matches(ingress, query, query.SearchTerms);

    private static bool Matches(IngressViewModel ingress, ListQuery query, IReadOnlyList<string> terms)
    {
        if (query.Namespace is { } ns && !string.Equals(ingress.Namespace, ns, StringComparison.Ordinal))
        {
            return false;
        }
        if (query.Class is { } cls && !string.Equals(ingress.IngressClass, cls, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        foreach (var term in terms)
        {
            if (!MatchesTerm(ingress, term))
            {
                return false;
            }
        }
        return true;
    }

    private static bool MatchesTerm(IngressViewModel ingress, string term)
    {
        if (Contains(ingress.Name, term) || Contains(ingress.Namespace, term) || Contains(ingress.GroupName, term))
        {
            return true;
        }
        foreach (var address in ingress.Addresses)
        {
            if (Contains(address, term))
            {
                return true;
            }
        }
        foreach (var rule in ingress.Rules)
        {
            if (Contains(rule.Host, term))
            {
                return true;
            }
            foreach (var path in rule.Paths)
            {
                if (Contains(path.Path, term) || Contains(path.Backend.ServiceName, term))
                {
                    return true;
                }
            }
        }
        foreach (var value in ingress.Annotations.Values)
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

    private static IComparer<IngressViewModel> OrderFor(string? column, bool descending)
    {
        Comparison<IngressViewModel> comparison = column switch
        {
            "name" => static (a, b) => string.CompareOrdinal(a.Name, b.Name),
            "class" => static (a, b) => string.CompareOrdinal(a.IngressClass, b.IngressClass),
            "age" => static (a, b) => b.CreatedAt.CompareTo(a.CreatedAt),
            _ => static (a, b) => string.CompareOrdinal(a.Namespace, b.Namespace) is var c && c != 0
                ? c
                : string.CompareOrdinal(a.Name, b.Name),
        };
        return Comparer<IngressViewModel>.Create(descending ? (a, b) => comparison(b, a) : comparison);
    }
}
