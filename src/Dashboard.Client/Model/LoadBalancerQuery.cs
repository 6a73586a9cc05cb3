using Microsoft.AspNetCore.WebUtilities;

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

    public string? SortColumn => Sort?.TrimStart('-');

    public bool SortDescending => Sort?.StartsWith('-') == true;

    public IReadOnlyList<string> SearchTerms =>
        Search is null ? [] : Search.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public static string FlagName(LoadBalancerFlags flag) =>
        FlagNames.FirstOrDefault(f => f.Flag == flag).Name ?? flag.ToString().ToLowerInvariant();

    /// <summary>Reads the query from an absolute or relative URI; unknown parameters are ignored.</summary>
    public static LoadBalancerQuery Parse(string uri)
    {
        var start = uri.IndexOf('?', StringComparison.Ordinal);
        if (start < 0)
        {
            return Empty;
        }
        var end = uri.IndexOf('#', start);
        var query = QueryHelpers.ParseQuery(end < 0 ? uri[start..] : uri[start..end]);
        string? Get(string name) =>
            query.TryGetValue(name, out var values) && values.Count > 0 && !string.IsNullOrWhiteSpace(values[0])
                ? values[0]!.Trim()
                : null;

        var problems = new List<string>();
        string? OneOf(string name, IReadOnlyList<string> allowed)
        {
            var value = Get(name)?.ToLowerInvariant();
            if (value is null || allowed.Contains(value))
            {
                return value;
            }
            problems.Add($"Ignored {name}={value}: use {string.Join(" or ", allowed)}.");
            return null;
        }

        // Read in URL order, so problems are listed in the order a person reads the URL.
        var type = OneOf("type", Types);
        var scheme = OneOf("scheme", Schemes);
        var flags = LoadBalancerFlags.None;
        foreach (var token in (Get("flags") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var known = FlagNames.FirstOrDefault(f => string.Equals(f.Name, token, StringComparison.OrdinalIgnoreCase));
            if (known.Name is null)
            {
                problems.Add($"Ignored flag '{token}' in flags=: use {string.Join(", ", FlagNames.Select(f => f.Name))}.");
            }
            else
            {
                flags |= known.Flag;
            }
        }

        var sort = Get("sort");
        if (sort is not null && !SortColumns.Contains(sort.TrimStart('-')))
        {
            problems.Add($"Ignored sort={sort}: use {string.Join(", ", SortColumns)} (a leading '-' reverses).");
            sort = null;
        }

        return new LoadBalancerQuery
        {
            Type = type,
            Scheme = scheme,
            Flags = flags,
            Search = Get("q"),
            Sort = sort,
            Problems = Summarise(problems),
        };
    }

    /// <summary>The most distinct problems listed; a URL can repeat a bad value thousands of times.</summary>
    public const int MaxProblems = 10;

    /// <summary>Each problem once (with how often it occurred), at most <see cref="MaxProblems"/>, in URL order.</summary>
    private static IReadOnlyList<string> Summarise(List<string> problems)
    {
        var distinct = problems
            .GroupBy(problem => problem, StringComparer.Ordinal)
            .Select(group => group.Count() == 1 ? group.Key : $"{group.Key} ({group.Count()} times)")
            .ToList();
        return distinct.Count <= MaxProblems
            ? distinct
            : [.. distinct.Take(MaxProblems), $"… and {distinct.Count - MaxProblems} more ignored values."];
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
        this with { Sort = SortColumn == column && !SortDescending ? "-" + column : column, Problems = [] };

    /// <summary>True when the rows shown differ in membership (not just in order).</summary>
    public bool FiltersDiffer(LoadBalancerQuery other) =>
        !string.Equals(Type, other.Type, StringComparison.Ordinal)
        || !string.Equals(Scheme, other.Scheme, StringComparison.Ordinal)
        || Flags != other.Flags
        || !string.Equals(Search, other.Search, StringComparison.Ordinal);
}
