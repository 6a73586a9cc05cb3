namespace Dashboard.Client.Model;

/// <summary>
/// A list page's state: every item in a <see cref="LiveList{T}"/>, the URL query, and the filtered, sorted rows,
/// recomputed only when the filters or the order changed. Subclasses name the order of each column and the filters.
/// </summary>
public abstract class ListModel<T, TQuery>
    where T : class
    where TQuery : IListQuery<TQuery>
{
    private readonly Func<string?, Comparison<T>> _comparisonFor;
    private readonly Func<T, TQuery, IReadOnlyList<string>, bool> _matches;

    /// <param name="keyOf">The item's key in the live list.</param>
    /// <param name="namespaceOf">The item's namespace, for the namespace counts.</param>
    /// <param name="empty">The query before the URL is read.</param>
    /// <param name="comparisonFor">The ascending order of a sort column (null: the default order).</param>
    /// <param name="matches">True when the item passes the query's filters and every search term.</param>
    protected ListModel(Func<T, string> keyOf, Func<T, string> namespaceOf, TQuery empty,
        Func<string?, Comparison<T>> comparisonFor, Func<T, TQuery, IReadOnlyList<string>, bool> matches)
    {
        _comparisonFor = comparisonFor;
        _matches = matches;
        Query = empty;
        Items = new(keyOf, namespaceOf, Order(comparisonFor(null), descending: false));
    }

    public LiveList<T> Items { get; }

    public TQuery Query { get; private set; }

    /// <summary>Takes a new URL query; the view is recomputed only when filters or order changed.</summary>
    public void SetQuery(TQuery query)
    {
        var previous = Query;
        Query = query;
        if (!string.Equals(previous.Sort, query.Sort, StringComparison.Ordinal))
        {
            Items.SetOrder(Order(_comparisonFor(query.SortColumn), query.SortDescending));
        }
        if (previous.FiltersDiffer(query))
        {
            var terms = query.SearchTerms;
            Items.SetFilter(item => _matches(item, query, terms));
        }
    }

    /// <summary>True when <paramref name="value"/> holds <paramref name="term"/>, ignoring case.</summary>
    protected static bool Contains(string? value, string term) =>
        value is not null && value.Contains(term, StringComparison.OrdinalIgnoreCase);

    /// <summary>True when any of <paramref name="values"/> holds <paramref name="term"/>, ignoring case.</summary>
    protected static bool ContainsAny(IEnumerable<string?> values, string term)
    {
        foreach (var value in values)
        {
            if (Contains(value, term))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>True when every search term matches the item.</summary>
    protected static bool MatchesAll(T item, IReadOnlyList<string> terms, Func<T, string, bool> matchesTerm)
    {
        foreach (var term in terms)
        {
            if (!matchesTerm(item, term))
            {
                return false;
            }
        }
        return true;
    }

    private static IComparer<T> Order(Comparison<T> comparison, bool descending) =>
        Comparer<T>.Create(descending ? (a, b) => comparison(b, a) : comparison);
}
