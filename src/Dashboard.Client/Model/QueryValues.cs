using System.Collections.Immutable;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace Dashboard.Client.Model;

/// <summary>
/// The parameters of one URL query, read the same way for every page: the first value of a parameter counts, values are
/// trimmed, blank values read as absent, unknown parameters are ignored. Values a page does not accept are dropped and
/// described in <see cref="Problems"/> (one sentence each, naming the parameter and the fix), in the order they were
/// asked for — pages ask in URL order. Not thread-safe; one instance per parse.
/// </summary>
public sealed class QueryValues
{
    private readonly Dictionary<string, StringValues> _values;
    private readonly List<string> _problems = [];

    private QueryValues(Dictionary<string, StringValues> values) => _values = values;

    /// <summary>True when the URI carries no query at all.</summary>
    public bool IsEmpty => _values.Count == 0;

    /// <summary>The most distinct problems listed; a URL can repeat a bad value thousands of times.</summary>
    public const int MaxProblems = 10;

    /// <summary>
    /// What was dropped so far, one sentence each: each distinct problem once (with how often it occurred), at most
    /// <see cref="MaxProblems"/>, in URL order, then how many more were left out.
    /// </summary>
    public IReadOnlyList<string> Problems
    {
        get
        {
            var distinct = _problems
                .GroupBy(problem => problem, StringComparer.Ordinal)
                .Select(group => group.Count() == 1 ? group.Key : $"{group.Key} ({group.Count()} times)")
                .ToList();
            return distinct.Count <= MaxProblems
                ? distinct
                : [.. distinct.Take(MaxProblems), $"… and {distinct.Count - MaxProblems} more ignored values."];
        }
    }

    internal static QueryValues Parse(string uri)
    {
        var start = uri.IndexOf('?', StringComparison.Ordinal);
        if (start < 0)
        {
            return new(new Dictionary<string, StringValues>(StringComparer.OrdinalIgnoreCase));
        }
        var end = uri.IndexOf('#', start);
        return new(QueryHelpers.ParseQuery(end < 0 ? uri[start..] : uri[start..end]));
    }

    /// <summary>The trimmed value of <paramref name="name"/>, or null when absent or blank.</summary>
    public string? Get(string name) =>
        _values.TryGetValue(name, out var values) && values.Count > 0 && !string.IsNullOrWhiteSpace(values[0])
            ? values[0]!.Trim()
            : null;

    /// <summary>True when <paramref name="name"/> is "true" (any case); anything else is false.</summary>
    public bool IsTrue(string name) => string.Equals(Get(name), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The lower-cased value of <paramref name="name"/> when <paramref name="allowed"/> holds it; otherwise null and a
    /// problem ("Ignored type=gwlb: use alb or nlb.").
    /// </summary>
    public string? OneOf(string name, IReadOnlyList<string> allowed)
    {
        var value = Get(name)?.ToLowerInvariant();
        if (value is null || allowed.Contains(value))
        {
            return value;
        }
        _problems.Add($"Ignored {name}={value}: use {string.Join(" or ", allowed)}.");
        return null;
    }

    /// <summary>
    /// The comma-separated values of <paramref name="name"/> that <paramref name="allowed"/> holds (ignoring case, spelled
    /// as in <paramref name="allowed"/>); each other value is dropped with a problem naming <paramref name="what"/>
    /// ("Ignored flag 'broken' in flags=: use drift, orphan.").
    /// </summary>
    public ImmutableArray<string> SomeOf(string name, IReadOnlyList<string> allowed, string what)
    {
        var found = ImmutableArray.CreateBuilder<string>();
        foreach (var token in (Get(name) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var known = allowed.FirstOrDefault(a => string.Equals(a, token, StringComparison.OrdinalIgnoreCase));
            if (known is null)
            {
                _problems.Add($"Ignored {what} '{token}' in {name}=: use {string.Join(", ", allowed)}.");
            }
            else
            {
                found.Add(known);
            }
        }
        return found.ToImmutable();
    }

    /// <summary>
    /// A sort (<c>column</c> or <c>-column</c> for descending) when <paramref name="columns"/> holds its column; otherwise
    /// null and a problem. With no <paramref name="columns"/> any value is taken (the page falls back to its default order).
    /// </summary>
    public string? Sort(string name, IReadOnlyList<string>? columns = null)
    {
        var sort = Get(name);
        if (sort is null || columns is null || columns.Contains(sort.TrimStart('-')))
        {
            return sort;
        }
        _problems.Add($"Ignored {name}={sort}: use {string.Join(", ", columns)} (a leading '-' reverses).");
        return null;
    }
}
