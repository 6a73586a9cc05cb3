namespace Dashboard.Client.Model;

/// <summary>What a list page's URL query tells its model: the sort, the search terms and whether the rows changed.</summary>
public interface IListQuery<in TSelf>
{
    /// <summary>The sort as written in the URL: a column, <c>-</c> in front for descending; null for the default order.</summary>
    string? Sort { get; }

    /// <summary>The sort column without its direction, or null for the default order.</summary>
    string? SortColumn { get; }

    bool SortDescending { get; }

    /// <summary>The search terms, lower-cased.</summary>
    IReadOnlyList<string> SearchTerms { get; }

    /// <summary>True when the rows shown differ in membership (not just in order) from those of <paramref name="other"/>.</summary>
    bool FiltersDiffer(TSelf other);
}
