using System.Collections.Immutable;
using Dashboard.Client.Feed;
using Dashboard.Client.Model;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.Logging;
using Microsoft.JSInterop;

namespace Dashboard.Client.Components.Pages;

/// <summary>
/// The one shape of a live list page (Services, Ingresses, Load balancers, Triage), after the Aspire dashboard's:
/// subscribe to the page's <see cref="IFeed{T}"/> once, apply the snapshot to <see cref="Rows"/>, then consume change
/// batches on a background task with one render per batch; disposal cancels and awaits it. A clock for ages, a keyboard
/// cursor over the rows (arrow keys / j k, PageUp/PageDown, Home/End; Enter and Esc as the page decides), and the page's
/// URL followed as it changes. <see cref="QueryListPageBase{T, TQuery}"/> adds filters carried in the URL,
/// <see cref="ObjectListPageBase{T}"/> a detail pane for the selected object.
/// </summary>
public abstract class ListPageBase<T> : ComponentBase, IAsyncDisposable where T : class
{
    /// <summary>Height of one grid row in pixels; rows are fixed-height so the list can be virtualised.</summary>
    protected const float RowHeight = 34;

    private readonly FeedWatches _watches = new();
    private PageClock? _clock;
    private BrowserInterop? _browser;
    private string? _installedGrid;
    private bool _revealCursor;

    [Inject]
    protected IDashboardFeed Feed { get; set; } = default!;

    [Inject]
    protected NavigationManager Navigation { get; set; } = default!;

    [Inject]
    protected IJSRuntime JS { get; set; } = default!;

    [Inject]
    private ILoggerFactory LoggerFactory { get; set; } = default!;

    [Inject]
    private IServiceProvider ServiceProvider { get; set; } = default!;

    /// <summary>The page's path, e.g. "services"; the page follows URL changes on this path only.</summary>
    protected abstract string PagePath { get; }

    /// <summary>The feed the rows come from.</summary>
    protected abstract IFeed<T> ListFeed { get; }

    /// <summary>The page's items and the rows the cursor walks.</summary>
    protected abstract ILiveRows<T> Rows { get; }

    /// <summary>How often <see cref="Now"/> advances (and the page re-renders for ages).</summary>
    protected virtual TimeSpan ClockPeriod => TimeSpan.FromSeconds(30);

    /// <summary>How many rows PageUp/PageDown move.</summary>
    protected virtual int PageStep => 20;

    /// <summary>The highlighted row (keyboard cursor).</summary>
    protected string? CursorKey { get; set; }

    /// <summary>The time ages are computed against; advances every <see cref="ClockPeriod"/>.</summary>
    protected DateTimeOffset Now => _clock?.Now ?? default;

    /// <summary>Why live updates stopped, when they did.</summary>
    protected string? FeedError { get; private set; }

    /// <summary>The element that takes the keyboard (arrow keys stop scrolling the page once it is installed).</summary>
    protected ElementReference Grid { get; set; }

    /// <summary>The scrolling body of a virtualised grid, for bringing the cursor's row into view.</summary>
    protected ElementReference Scroller { get; set; }

    /// <summary>The browser calls; null before the first render.</summary>
    protected BrowserInterop? Browser => _browser;

    protected override void OnInitialized()
    {
        _clock = PageClock.Start(ServiceProvider, ClockPeriod, InvokeAsync, StateHasChanged);
        OnUrlChanged(Navigation.Uri);
        Navigation.LocationChanged += OnLocationChanged;
        Follow(ListFeed, snapshot => Rows.Reset(snapshot), Rows.Apply);
    }

    /// <summary>
    /// Subscribes to <paramref name="feed"/> for as long as the page lives: <paramref name="reset"/> takes the snapshot
    /// now, <paramref name="apply"/> each batch on the renderer's context, followed by one render.
    /// </summary>
    protected void Follow<TItem>(IFeed<TItem> feed, Action<ImmutableArray<TItem>> reset, Action<IReadOnlyList<FeedChange<TItem>>> apply)
        where TItem : class
    {
        var subscription = feed.Subscribe(_watches.Token);
        reset(subscription.Snapshot);
        _watches.Consume(subscription, InvokeAsync, apply, StateHasChanged, ex =>
        {
            LoggerFactory.CreateLogger(GetType()).LogError(ex, "The {Page} feed failed", PagePath);
            FeedError = ex.Message;
        });
    }

    /// <summary>Called with the page's URL at start and whenever it changes (on this page's path) later.</summary>
    protected virtual void OnUrlChanged(string uri)
    {
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            _browser = new BrowserInterop(JS);
        }
        if (_browser is null)
        {
            return;
        }
        // The grid may appear later (Triage shows it only when there is something to list): install once per element.
        if (Grid.Id is { Length: > 0 } grid && grid != _installedGrid)
        {
            _installedGrid = grid;
            await _browser.InstallGridAsync(Grid);
        }
        if (_revealCursor && CursorKey is { } key && Rows.IndexOf(key) is var index and >= 0)
        {
            _revealCursor = false;
            await RevealAsync(index, key);
        }
    }

    /// <summary>Brings the cursor's row into view after the next render.</summary>
    protected void RevealCursor() => _revealCursor = true;

    /// <summary>Scrolls row <paramref name="index"/> into view; by default, of a virtualised grid in <see cref="Scroller"/>.</summary>
    protected virtual async Task RevealAsync(int index, string key)
    {
        if (_browser is not null)
        {
            await _browser.ScrollRowIntoViewAsync(Scroller, index, RowHeight);
        }
    }

    private void OnLocationChanged(object? sender, LocationChangedEventArgs e)
    {
        var path = Navigation.ToBaseRelativePath(e.Location).Split('?', '#')[0];
        if (!string.Equals(path, PagePath, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }
        _ = InvokeAsync(() =>
        {
            OnUrlChanged(e.Location);
            StateHasChanged();
        });
    }

    /// <summary>Cursor keys move the cursor; Enter, Esc and other keys go to the page (<see cref="OnEnterAsync"/>, …).</summary>
    protected async Task OnGridKeyDownAsync(KeyboardEventArgs e)
    {
        var step = GridCursor.Step(e.Key, PageStep);
        if (step != 0)
        {
            MoveCursor(step);
            return;
        }
        var cursor = CursorKey is { } key && Rows.IndexOf(key) >= 0 ? key : null;
        switch (e.Key)
        {
            case "Enter":
                await OnEnterAsync(cursor);
                break;
            case "Escape":
                await OnEscapeAsync();
                break;
            default:
                await OnKeyAsync(e.Key, cursor);
                break;
        }
    }

    /// <summary>Moves the cursor <paramref name="step"/> rows (clamped to the list) and brings it into view.</summary>
    protected void MoveCursor(int step)
    {
        var count = Rows.RowCount;
        if (count == 0)
        {
            return;
        }
        var current = CursorKey is null ? -1 : Rows.IndexOf(CursorKey);
        CursorKey = Rows.KeyAt(GridCursor.Move(current, step, count));
        RevealCursor();
        OnCursorMoved();
    }

    /// <summary>After the cursor moved by keyboard.</summary>
    protected virtual void OnCursorMoved()
    {
    }

    /// <summary>Enter on the grid; <paramref name="cursor"/> is the cursor's key when it is on a shown row.</summary>
    protected virtual Task OnEnterAsync(string? cursor) => Task.CompletedTask;

    /// <summary>Esc on the grid.</summary>
    protected virtual Task OnEscapeAsync() => Task.CompletedTask;

    /// <summary>Any other key on the grid.</summary>
    protected virtual Task OnKeyAsync(string key, string? cursor) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        Navigation.LocationChanged -= OnLocationChanged;
        _clock?.Dispose();
        await _watches.DisposeAsync();
        await DisposeAsyncCore();
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what a page holds beyond the base (after its feeds have stopped).</summary>
    protected virtual ValueTask DisposeAsyncCore() => ValueTask.CompletedTask;
}
