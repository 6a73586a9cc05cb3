namespace Dashboard.Client.Model;

/// <summary>
/// What a list page shows, as carried in its URL so a pasted link opens the same view:
/// <c>/services?ns=mlops&amp;q=forecast&amp;type=LoadBalancer&amp;sort=-age&amp;selected=mlops/retail-forecast-nlb</c>.
/// </summary>
public sealed record ListQuery : IListQuery<ListQuery>
{
    public static ListQuery Empty { get; } = new();

    /// <summary>Namespace filter (<c>ns</c>); null for all namespaces.</summary>
    public string? Namespace { get; init; }

    /// <summary>Free-text search (<c>q</c>): every space-separated term must match.</summary>
    public string? Search { get; init; }

    /// <summary>Service type filter (<c>type</c>), e.g. LoadBalancer.</summary>
    public string? Type { get; init; }

    /// <summary>Ingress class filter (<c>class</c>), e.g. alb.</summary>
    public string? Class { get; init; }

    /// <summary>Load-balancer scheme filter (<c>scheme</c>): internet-facing or internal, the decoded (effective) scheme.</summary>
    public string? Scheme { get; init; }

    /// <summary>Sort column (<c>sort</c>); a leading '-' sorts descending, e.g. "-age".</summary>
    public string? Sort { get; init; }

    /// <summary>The object whose details are open (<c>selected</c>), as "namespace/name".</summary>
    public string? Selected { get; init; }

    /// <summary>Reads the query from an absolute or relative URI; unknown parameters are ignored.</summary>
    public static ListQuery Parse(string uri)
    {
        var query = QueryUrl.Read(uri);
        return query.IsEmpty ? Empty : new ListQuery
        {
            Namespace = query.Get("ns"),
            Search = query.Get("q"),
            Type = query.Get("type"),
            Class = query.Get("class"),
            Scheme = query.Get("scheme"),
            Sort = query.Sort("sort"),
            Selected = query.Get("selected"),
        };
    }

    /// <summary>The relative URL for <paramref name="path"/> with this query, empty parameters left out.</summary>
    public string ToUrl(string path) => QueryUrl.Build(
        path,
        ("ns", Namespace),
        ("q", Search),
        ("type", Type),
        ("class", Class),
        ("scheme", Scheme),
        ("sort", Sort),
        ("selected", Selected));

    /// <summary>True when the rows shown differ (anything but the selection changed).</summary>
    public bool FiltersDiffer(ListQuery other) =>
        !string.Equals(Namespace, other.Namespace, StringComparison.Ordinal)
        || !string.Equals(Search, other.Search, StringComparison.Ordinal)
        || !string.Equals(Type, other.Type, StringComparison.Ordinal)
        || !string.Equals(Class, other.Class, StringComparison.Ordinal)
        || !string.Equals(Scheme, other.Scheme, StringComparison.Ordinal);

    /// <summary>The sort column without its direction, or null for the default order.</summary>
    public string? SortColumn => QueryUrl.SortColumn(Sort);

    public bool SortDescending => QueryUrl.SortDescending(Sort);

    /// <summary>The terms of <see cref="Search"/>, lower-cased.</summary>
    public IReadOnlyList<string> SearchTerms => QueryUrl.SearchTerms(Search);

    /// <summary>The same query sorted by <paramref name="column"/>: ascending first, descending on a second click.</summary>
    public ListQuery ToggleSort(string column) =>
        this with { Sort = QueryUrl.ToggleSort(Sort, column) };
}
