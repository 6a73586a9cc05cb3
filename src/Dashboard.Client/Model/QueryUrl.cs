using System.Text;

namespace Dashboard.Client.Model;

/// <summary>
/// The one place page URLs are read and written: <see cref="Read"/> parses the query of an address the browser shows,
/// <see cref="Build"/> writes one (empty parameters left out, values escaped). Every page query (<see cref="ListQuery"/>,
/// <see cref="LoadBalancerQuery"/>, <see cref="CostQuery"/>) goes through both, so blank, repeated and unknown parameters
/// mean the same on every page.
/// </summary>
public static class QueryUrl
{
    /// <summary>Reads the query of an absolute or relative URI (the fragment ignored); no query reads as no parameters.</summary>
    public static QueryValues Read(string uri) => QueryValues.Parse(uri);

    /// <summary>The column of a <c>sort</c> value without its direction, or null for the default order.</summary>
    public static string? SortColumn(string? sort) => sort?.TrimStart('-');

    /// <summary>True when a <c>sort</c> value reads descending (a leading '-').</summary>
    public static bool SortDescending(string? sort) => sort?.StartsWith('-') == true;

    /// <summary>The <c>sort</c> value after a click on <paramref name="column"/>: ascending first, descending on a second click.</summary>
    public static string ToggleSort(string? sort, string column) =>
        SortColumn(sort) == column && !SortDescending(sort) ? "-" + column : column;

    /// <summary>The space-separated terms of a <c>q</c> value, lower-cased; every term must match.</summary>
    public static IReadOnlyList<string> SearchTerms(string? search) =>
        search is null ? [] : search.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// <paramref name="path"/> followed by the non-empty parameters in order. '/' and ',' are legal in a query string and
    /// stay readable ("selected=ns/name", "flags=drift,orphan").
    /// </summary>
    public static string Build(string path, params ReadOnlySpan<(string Name, string? Value)> parameters)
    {
        var builder = new StringBuilder(path);
        var first = true;
        foreach (var (name, value) in parameters)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                continue;
            }
            builder.Append(first ? '?' : '&').Append(name).Append('=')
                .Append(Uri.EscapeDataString(value.Trim())
                    .Replace("%2F", "/", StringComparison.Ordinal)
                    .Replace("%2C", ",", StringComparison.Ordinal));
            first = false;
        }
        return builder.ToString();
    }
}
