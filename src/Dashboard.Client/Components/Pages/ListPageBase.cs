using Dashboard.Client.Feed;
using Dashboard.Client.Model;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.Logging;
using Microsoft.JSInterop;

namespace Dashboard.Client.Components.Pages;

/// <summary>
/// What the list pages share: the feed subscription (snapshot, then one render per change batch on a background
/// task; disposal cancels and awaits it), the URL as the source of truth for filters and selection, and the keyboard.
/// </summary>
public abstract class ListPageBase<T> : ComponentBase, IAsyncDisposable where T : class
{
    /// <summary>Height of one row in pixels; rows are fixed-height so the list can be virtualised.</summary>
    protected const float RowHeight = 34;

    private const int PageStep = 20;

    private readonly FeedWatches _watches = new();
    private PageClock? _clock;
    private BrowserInterop? _browser;
    private bool _scrollToCursor;

    [Inject]
    protected IDashboardFeed Feed { get; set; } = default!;

    [Inject]
    protected NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Inject]
    private ILoggerFactory LoggerFactory { get; set; } = default!;

    [Inject]
    private IServiceProvider ServiceProvider { get; set; } = default!;

    /// <summary>The page's path, e.g. "services".</summary>
    protected abstract string PagePath { get; }

    protected abstract LiveList<T> Items { get; }

    /// <summary>The query the model currently shows.</summary>
    protected abstract ListQuery Query { get; }

    protected abstract void ApplyQuery(ListQuery query);

    protected abstract FeedSubscription<T> Subscribe(CancellationToken cancellationToken);

    protected abstract string KeyOf(T item);

    /// <summary>The highlighted row (keyboard cursor); details open for <see cref="ListQuery.Selected"/>.</summary>
    protected string? CursorKey { get; private set; }

    /// <summary>The time ages are computed against; advances every 30 s so rows re-render rarely.</summary>
    protected DateTimeOffset Now => _clock?.Now ?? default;

    protected string? FeedError { get; private set; }

    protected ElementReference Grid { get; set; }

    protected ElementReference Scroller { get; set; }

    /// <summary>The object whose details are open, if the list knows it.</summary>
    protected T? SelectedItem => Query.Selected is { } key ? Items.Find(key) : null;

    protected override void OnInitialized()
    {
        _clock = PageClock.Start(ServiceProvider, TimeSpan.FromSeconds(30), InvokeAsync, StateHasChanged);

        ApplyQuery(ListQuery.Parse(Navigation.Uri));
        CursorKey = Query.Selected;
        _scrollToCursor = CursorKey is not null;
        Navigation.LocationChanged += OnLocationChanged;

        var subscription = Subscribe(_watches.Token);
        Items.Reset(subscription.Snapshot);
        _watches.Consume(subscription, InvokeAsync, Items.Apply, StateHasChanged, ex =>
        {
            LoggerFactory.CreateLogger(GetType()).LogError(ex, "The {Page} feed failed", PagePath);
            FeedError = ex.Message;
        });
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            _browser = new BrowserInterop(JS);
            await _browser.InstallGridAsync(Grid);
        }
        if (_scrollToCursor && _browser is not null && CursorKey is not null)
        {
            _scrollToCursor = false;
            await _browser.ScrollRowIntoViewAsync(Scroller, Items.IndexOf(CursorKey), RowHeight);
        }
    }

    private void OnLocationChanged(object? sender, LocationChangedEventArgs e)
    {
        var relative = Navigation.ToBaseRelativePath(e.Location);
        var path = relative.Split('?', '#')[0];
        if (!string.Equals(path, PagePath, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }
        _ = InvokeAsync(() =>
        {
            var query = ListQuery.Parse(e.Location);
            ApplyQuery(query);
            if (query.Selected is not null && query.Selected != CursorKey)
            {
                CursorKey = query.Selected;
                _scrollToCursor = true;
            }
            StateHasChanged();
        });
    }

    /// <summary>Puts <paramref name="query"/> in the URL; the page follows through <see cref="OnLocationChanged"/>.</summary>
    protected void Navigate(ListQuery query, bool replace) =>
        Navigation.NavigateTo(query.ToUrl(PagePath), replace: replace);

    protected void SetNamespace(string? ns) => Navigate(Query with { Namespace = ns }, replace: false);

    protected void SetSearch(string? text) => Navigate(Query with { Search = text }, replace: true);

    protected void SetSort(string column) => Navigate(Query.ToggleSort(column), replace: true);

    /// <summary>Highlights the row and opens its details (click or Enter).</summary>
    protected void Open(string key)
    {
        CursorKey = key;
        Navigate(Query with { Selected = key }, replace: false);
    }

    protected async Task CloseAsync()
    {
        Navigate(Query with { Selected = null }, replace: false);
        if (_browser is not null)
        {
            await _browser.FocusAsync(Grid);
        }
    }

    /// <summary>Arrow keys / j k move the cursor, Enter opens, Esc closes, Home/End and PageUp/PageDown jump.</summary>
    protected async Task OnGridKeyDownAsync(KeyboardEventArgs e)
    {
        var step = GridCursor.Step(e.Key, PageStep);
        if (step != 0)
        {
            await MoveCursorAsync(step);
        }
        else if (e.Key == "Enter")
        {
            if (CursorKey is null || Items.IndexOf(CursorKey) < 0)
            {
                await MoveCursorAsync(1);
            }
            if (CursorKey is not null)
            {
                Open(CursorKey);
            }
        }
        else if (e.Key == "Escape" && Query.Selected is not null)
        {
            await CloseAsync();
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

    private async Task MoveCursorAsync(int step)
    {
        var view = Items.View;
        if (view.Count == 0)
        {
            return;
        }
        var current = CursorKey is null ? -1 : Items.IndexOf(CursorKey);
        var next = GridCursor.Move(current, step, view.Count);
        CursorKey = KeyOf(view[next]);
        if (Query.Selected is not null)
        {
            // Details follow the cursor, without a history entry per row.
            Navigate(Query with { Selected = CursorKey }, replace: true);
        }
        if (_browser is not null)
        {
            await _browser.ScrollRowIntoViewAsync(Scroller, next, RowHeight);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Navigation.LocationChanged -= OnLocationChanged;
        _clock?.Dispose();
        await _watches.DisposeAsync();
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }
}
