namespace Dashboard.Client.Model;

/// <summary>
/// What the Load balancers page shows, as carried in its URL:
/// <c>/load-balancers?type=alb&amp;scheme=internet-facing&amp;flags=drift,orphan&amp;q=shop&amp;sort=-targets</c>.
/// Values the page does not know are dropped and reported in <see cref="Problems"/>, naming the parameter and the fix.
/// </summary>
public sealed record LoadBalancerQuery : IListQuery<LoadBalancerQuery>
{
    public static LoadBalancerQuery Empty { get; } = new();

    /// <summary>The values of <c>type</c>.</summary>
    public static IReadOnlyList<string> Types { get; } = ["alb", "nlb"];

    /// <summary>The values of <c>scheme</c>.</summary>
    public static IReadOnlyList<string> Schemes { get; } = ["internet-facing", "internal"];

    /// <summary>The flags offered as filters, with their URL names, in display order.</summary>
    public static IReadOnlyList<(LoadBalancerFlags Flag, string Name)> FlagNames { get; } =
    [
        (LoadBalancerFlags.AllUnhealthy, "all-unhealthy"),
        (LoadBalancerFlags.NoTargets, "no-targets"),
        (LoadBalancerFlags.Drift, "drift"),
        (LoadBalancerFlags.Orphan, "orphan"),
        (LoadBalancerFlags.Shared, "shared"),
    ];

    /// <summary>The values of <c>sort</c> without direction.</summary>
    public static IReadOnlyList<string> SortColumns { get; } = ["name", "type", "state", "targets", "asof"];

    /// <summary>"alb" or "nlb" (<c>type</c>); null for both.</summary>
    public string? Type { get; init; }

    /// <summary>"internet-facing" or "internal" (<c>scheme</c>); null for both.</summary>
    public string? Scheme { get; init; }

    /// <summary>Every flag a balancer must carry (<c>flags</c>, comma-separated).</summary>
    public LoadBalancerFlags Flags { get; init; }

    /// <summary>Free-text search (<c>q</c>): every space-separated term must match.</summary>
    public string? Search { get; init; }

    /// <summary>Sort column (<c>sort</c>), a leading '-' for descending.</summary>
    public string? Sort { get; init; }

    /// <summary>What in the URL was not understood, one sentence each.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    public string? SortColumn => QueryUrl.SortColumn(Sort);

    public bool SortDescending => QueryUrl.SortDescending(Sort);

    public IReadOnlyList<string> SearchTerms => QueryUrl.SearchTerms(Search);

    public static string FlagName(LoadBalancerFlags flag) =>
        FlagNames.FirstOrDefault(f => f.Flag == flag).Name ?? flag.ToString().ToLowerInvariant();

    /// <summary>Reads the query from an absolute or relative URI; unknown parameters are ignored.</summary>
    public static LoadBalancerQuery Parse(string uri)
    {
        var query = QueryUrl.Read(uri);
        if (query.IsEmpty)
        {
            return Empty;
        }
        // Read in URL order, so problems are listed in the order a person reads the URL.
        var type = query.OneOf("type", Types);
        var scheme = query.OneOf("scheme", Schemes);
        var flags = LoadBalancerFlags.None;
        foreach (var name in query.SomeOf("flags", [.. FlagNames.Select(static f => f.Name)], "flag"))
        {
            flags |= FlagNames.First(f => f.Name == name).Flag;
        }
        var sort = query.Sort("sort", SortColumns);
        return new LoadBalancerQuery
        {
            Type = type,
            Scheme = scheme,
            Flags = flags,
            Search = query.Get("q"),
            Sort = sort,
            Problems = [.. query.Problems],
        };
    }

    /// <summary>The relative URL for <paramref name="path"/> with this query, empty parameters left out.</summary>
    public string ToUrl(string path) => QueryUrl.Build(
        path,
        ("type", Type),
        ("scheme", Scheme),
        ("flags", string.Join(',', FlagNames.Where(f => Flags.HasFlag(f.Flag)).Select(f => f.Name))),
        ("q", Search),
        ("sort", Sort));

    /// <summary>The same query with <paramref name="flag"/> toggled.</summary>
    public LoadBalancerQuery ToggleFlag(LoadBalancerFlags flag) => this with { Flags = Flags ^ flag, Problems = [] };

    /// <summary>The same query sorted by <paramref name="column"/>: ascending first, descending on a second click.</summary>
    public LoadBalancerQuery ToggleSort(string column) =>
        this with { Sort = QueryUrl.ToggleSort(Sort, column), Problems = [] };

    /// <summary>True when the rows shown differ in membership (not just in order).</summary>
    public bool FiltersDiffer(LoadBalancerQuery other) =>
        !string.Equals(Type, other.Type, StringComparison.Ordinal)
        || !string.Equals(Scheme, other.Scheme, StringComparison.Ordinal)
        || Flags != other.Flags
        || !string.Equals(Search, other.Search, StringComparison.Ordinal);
}
