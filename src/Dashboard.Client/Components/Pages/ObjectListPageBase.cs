using Dashboard.Client.Feed;
using Dashboard.Client.Model;
using Microsoft.AspNetCore.Components.Web;

namespace Dashboard.Client.Components.Pages;

/// <summary>
/// A live list of Kubernetes objects with a detail pane (Services, Ingresses): <see cref="ListQuery.Selected"/> in the URL
/// opens the pane, whose YAML, endpoints and events the page reads through <see cref="IDashboardFeed.GetDetailAsync"/>
/// and hands down. Enter opens the cursor's row, Esc closes, the pane follows the cursor while open.
/// </summary>
public abstract class ObjectListPageBase<T> : QueryListPageBase<T, ListQuery> where T : class
{
    private string? _detailKey;

    /// <summary>The kind listed, for the details read.</summary>
    protected abstract ObjectKind Kind { get; }

    /// <summary>Every object, and the filtered, sorted rows.</summary>
    protected abstract LiveList<T> Items { get; }

    protected override ILiveRows<T> Rows => Items;

    /// <summary>The open object's YAML, endpoints and events.</summary>
    protected OnDemandRead<ObjectDetail> Detail { get; } = new();

    /// <summary>The object whose details are open, if the list knows it.</summary>
    protected T? SelectedItem => Query.Selected is { } key ? Items.Find(key) : null;

    protected override void OnUrlChanged(string uri)
    {
        base.OnUrlChanged(uri);
        if (Query.Selected is { } selected && selected != CursorKey)
        {
            CursorKey = selected;
            RevealCursor();
        }
        if (Query.Selected != _detailKey)
        {
            _detailKey = Query.Selected;
            Detail.Clear();
            _ = InvokeAsync(ReloadDetailAsync);
        }
    }

    /// <summary>Reads the open object's details (again).</summary>
    protected async Task ReloadDetailAsync()
    {
        if (_detailKey is not { } key)
        {
            return;
        }
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var (ns, name) = slash < 0 ? ("", key) : (key[..slash], key[(slash + 1)..]);
        await Detail.LoadAsync(
            token => Feed.GetDetailAsync(Kind, ns, name, token),
            detail => detail is null ? $"The {Kind} no longer exists." : null,
            ex => "Could not load details: " + ex.Message);
        StateHasChanged();
    }

    protected void SetNamespace(string? ns) => Navigate(Query with { Namespace = ns }, replace: false);

    protected void SetSearch(string? text) => Navigate(Query with { Search = text }, replace: true);

    /// <summary>Highlights the row and opens its details (click or Enter).</summary>
    protected void Open(string key)
    {
        CursorKey = key;
        Navigate(Query with { Selected = key }, replace: false);
    }

    protected async Task CloseAsync()
    {
        Navigate(Query with { Selected = null }, replace: false);
        if (Browser is not null)
        {
            await Browser.FocusAsync(Grid);
        }
    }

    /// <summary>Enter opens the cursor's row; without a cursor, the first row.</summary>
    protected override Task OnEnterAsync(string? cursor)
    {
        if (cursor is null)
        {
            MoveCursor(1);
            cursor = CursorKey;
        }
        if (cursor is not null)
        {
            Open(cursor);
        }
        return Task.CompletedTask;
    }

    protected override Task OnEscapeAsync() => Query.Selected is null ? Task.CompletedTask : CloseAsync();

    /// <summary>Details follow the cursor, without a history entry per row.</summary>
    protected override void OnCursorMoved()
    {
        if (Query.Selected is not null)
        {
            Navigate(Query with { Selected = CursorKey }, replace: true);
        }
    }

    /// <summary>Esc anywhere in the details closes them.</summary>
    protected async Task OnDetailKeyDownAsync(KeyboardEventArgs e)
    {
        if (e.Key == "Escape")
        {
            await CloseAsync();
        }
    }

    protected override ValueTask DisposeAsyncCore()
    {
        Detail.Dispose();
        return ValueTask.CompletedTask;
    }
}
