namespace Dashboard.Client.Model;

/// <summary>
/// What a list page's URL query is: read from a URL and written back (both through <see cref="QueryUrl"/>), and what
/// it tells the page's model — the sort, the search terms and whether the rows changed.
/// </summary>
public interface IListQuery<TSelf> where TSelf : IListQuery<TSelf>
{
    /// <summary>Reads the query from an absolute or relative URI.</summary>
    static abstract TSelf Parse(string uri);

    /// <summary>The relative URL for <paramref name="path"/> with this query, empty parameters left out.</summary>
    string ToUrl(string path);

    /// <summary>The sort as written in the URL: a column, <c>-</c> in front for descending; null for the default order.</summary>
    string? Sort { get; }

    /// <summary>The sort column without its direction, or null for the default order.</summary>
    string? SortColumn { get; }

    bool SortDescending { get; }

    /// <summary>The same query sorted by <paramref name="column"/>: ascending first, descending on a second click.</summary>
    TSelf ToggleSort(string column);

    /// <summary>The search terms, lower-cased.</summary>
    IReadOnlyList<string> SearchTerms { get; }

    /// <summary>True when the rows shown differ in membership (not just in order) from those of <paramref name="other"/>.</summary>
    bool FiltersDiffer(TSelf other);
}
