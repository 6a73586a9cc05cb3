namespace Dashboard.Client.Model;

/// <summary>The Ingresses page's state: every Ingress, the URL query, and the filtered, sorted rows.</summary>
public sealed class IngressListModel() : ListModel<IngressViewModel, ListQuery>(
    static i => i.Key, static i => i.Namespace, ListQuery.Empty, ComparisonFor, Matches)
{
    /// <summary>The sortable columns, as written in the URL.</summary>
    public static IReadOnlyList<string> SortColumns { get; } = ["name", "namespace", "class", "age"];

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
        return MatchesAll(ingress, terms, MatchesTerm);
    }

    private static bool MatchesTerm(IngressViewModel ingress, string term)
    {
        if (Contains(ingress.Name, term) || Contains(ingress.Namespace, term) || Contains(ingress.GroupName, term)
            || ContainsAny(ingress.Addresses, term))
        {
            return true;
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
        // Decoded values too: the effective scheme (internal by default), target type and listeners.
        return ContainsAny(ingress.Annotations.Values, term) || Contains(ingress.Scheme ?? "internal", term)
            || Contains((ingress.TargetType ?? "instance") + " targets", term)
            || ingress.Listeners.Any(l => Contains(l.ToString(), term));
    }

    private static Comparison<IngressViewModel> ComparisonFor(string? column) => column switch
    {
        "name" => static (a, b) => string.CompareOrdinal(a.Name, b.Name),
        "class" => static (a, b) => string.CompareOrdinal(a.IngressClass, b.IngressClass),
        "age" => static (a, b) => b.CreatedAt.CompareTo(a.CreatedAt),
        _ => static (a, b) => string.CompareOrdinal(a.Namespace, b.Namespace) is var c && c != 0
            ? c
            : string.CompareOrdinal(a.Name, b.Name),
    };
}
