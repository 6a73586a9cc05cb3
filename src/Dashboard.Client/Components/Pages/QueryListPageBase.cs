using Dashboard.Client.Model;

namespace Dashboard.Client.Components.Pages;

/// <summary>
/// A live list page whose filters and order live in its URL, so a pasted link opens the same view: the query is read
/// (through <see cref="QueryUrl"/>) at start and after every navigation, and every change the page makes is a
/// navigation the page then follows.
/// </summary>
public abstract class QueryListPageBase<T, TQuery> : ListPageBase<T>
    where T : class
    where TQuery : IListQuery<TQuery>
{
    /// <summary>The query the model currently shows.</summary>
    protected abstract TQuery Query { get; }

    /// <summary>Hands a query read from the URL to the page's model.</summary>
    protected abstract void ApplyQuery(TQuery query);

    protected override void OnUrlChanged(string uri) => ApplyQuery(TQuery.Parse(uri));

    /// <summary>Puts <paramref name="query"/> in the URL; the page follows through <see cref="OnUrlChanged"/>.</summary>
    protected void Navigate(TQuery query, bool replace) =>
        Navigation.NavigateTo(query.ToUrl(PagePath), replace: replace);

    /// <summary>Sorts by <paramref name="column"/>: ascending first, descending on a second click.</summary>
    protected void SetSort(string column) => Navigate(Query.ToggleSort(column), replace: true);
}
