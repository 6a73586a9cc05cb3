using Dashboard.Client.Feed;
using Dashboard.Client.Model;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.Logging;
using Microsoft.JSInterop;

namespace Dashboard.Client.Components.Pages.Triage;

/// <summary>
/// Every target that is not healthy, grouped by endpoint, most severe first; live: items come and go with the feed.
/// j/k (or arrows), PageUp/PageDown and Home/End move a cursor over the items, Enter opens the item's endpoint page.
/// </summary>
public sealed partial class TriagePage : IAsyncDisposable
{
    private readonly FeedWatches _watches = new();
    private readonly TriageBoard _board = new();
    private readonly HashSet<string> _expanded = new(StringComparer.Ordinal);
    private TargetHealthSummary _summary = TargetHealthSummary.Empty;
    private PageClock? _clock;
    private BrowserInterop? _browser;
    private TopologyBrowser? _topology;
    private bool _revealCursor;
    private ElementReference _list;
    private string? _cursor;

    [Inject]
    private IDashboardFeed Feed { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Inject]
    private ILogger<TriagePage> Logger { get; set; } = default!;

    [Inject]
    private IServiceProvider ServiceProvider { get; set; } = default!;

    /// <summary>The time "in state" is computed against; advances every 5 s.</summary>
    private DateTimeOffset Now => _clock?.Now ?? default;

    private string? FeedError { get; set; }

    private string Title => _board.Count == 0 ? "Triage" : $"({_board.Count}) Triage";

    private string EmptyText => _summary.AsOf is { } asOf
        ? $"All {DisplayFormat.Count(_summary.TotalTargets)} targets healthy as of {DisplayFormat.ClockTime(asOf)}"
        : $"All {DisplayFormat.Count(_summary.TotalTargets)} targets healthy (no target health read yet)";

    protected override void OnInitialized()
    {
        _clock = PageClock.Start(ServiceProvider, TimeSpan.FromSeconds(5), InvokeAsync, StateHasChanged);

        var items = Feed.Triage.Subscribe(_watches.Token);
        _board.Reset(items.Snapshot);
        var summary = Feed.TargetHealth.Subscribe(_watches.Token);
        _summary = summary.Snapshot.IsDefaultOrEmpty ? TargetHealthSummary.Empty : summary.Snapshot[^1];

        _watches.Consume(items, InvokeAsync, batch => _board.Apply(batch), StateHasChanged, ShowFeedError);
        _watches.Consume(summary, InvokeAsync, batch =>
        {
            foreach (var change in batch)
            {
                _summary = change.Item ?? TargetHealthSummary.Empty;
            }
        }, StateHasChanged, ShowFeedError);
    }

    private void ShowFeedError(Exception ex)
    {
        Logger.LogError(ex, "The triage feed failed");
        FeedError = ex.Message;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            _browser = new BrowserInterop(JS);
            _topology = new TopologyBrowser(JS);
        }
        if (_board.Count > 0 && _browser is not null)
        {
            // Arrow keys move the cursor instead of scrolling; installs once per list element.
            await _browser.InstallGridAsync(_list);
        }
        if (_revealCursor && _cursor is not null && _topology is not null)
        {
            _revealCursor = false;
            await _topology.RevealItemAsync(_list, _cursor);
        }
    }

    /// <summary>The items in display order (as far as groups are expanded), for the keyboard cursor.</summary>
    private List<TriageItem> VisibleItems() =>
    [
        .. _board.Groups.SelectMany(g => _expanded.Contains(g.Key) ? g.Items : g.Items.Take(TriageGroupView.CollapsedCount)),
    ];

    private void OnKeyDown(KeyboardEventArgs e)
    {
        var items = VisibleItems();
        if (items.Count == 0)
        {
            return;
        }
        var current = _cursor is null ? -1 : items.FindIndex(i => i.Key == _cursor);
        var step = GridCursor.Step(e.Key, pageStep: 10);
        if (step != 0)
        {
            var next = GridCursor.Move(current, step, items.Count);
            _cursor = items[next].Key;
            _revealCursor = true;
        }
        else if (e.Key == "Enter" && current >= 0)
        {
            Navigation.NavigateTo(TopologyUrls.Endpoint(items[current].Endpoint));
        }
    }

    public async ValueTask DisposeAsync()
    {
        _clock?.Dispose();
        await _watches.DisposeAsync();
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        if (_topology is not null)
        {
            await _topology.DisposeAsync();
        }
    }
}
