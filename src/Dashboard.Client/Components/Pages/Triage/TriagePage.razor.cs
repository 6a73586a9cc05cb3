using Dashboard.Client.Feed;
using Dashboard.Client.Model;

namespace Dashboard.Client.Components.Pages.Triage;

/// <summary>
/// Every target that is not healthy, grouped by endpoint, most severe first; live: items come and go with the feed.
/// j/k (or arrows), PageUp/PageDown and Home/End move a cursor over the items, Enter opens the item's endpoint page.
/// </summary>
public sealed partial class TriagePage
{
    private readonly TriageBoard _board = new();
    private TargetHealthSummary _summary = TargetHealthSummary.Empty;
    private TopologyBrowser? _topology;

    protected override string PagePath => TopologyUrls.Triage;

    protected override IFeed<TriageItem> ListFeed => Feed.Triage;

    protected override ILiveRows<TriageItem> Rows => _board;

    /// <summary>"In state" counts seconds here: the clock advances every 5 s.</summary>
    protected override TimeSpan ClockPeriod => TimeSpan.FromSeconds(5);

    protected override int PageStep => 10;

    private string Title => _board.Count == 0 ? "Triage" : $"({_board.Count}) Triage";

    private string EmptyText => _summary.AsOf is { } asOf
        ? $"All {DisplayFormat.Count(_summary.TotalTargets)} targets healthy as of {DisplayFormat.ClockTime(asOf)}"
        : $"All {DisplayFormat.Count(_summary.TotalTargets)} targets healthy (no target health read yet)";

    protected override void OnInitialized()
    {
        base.OnInitialized();
        Follow(Feed.TargetHealth,
            snapshot => _summary = snapshot.IsDefaultOrEmpty ? TargetHealthSummary.Empty : snapshot[^1],
            batch => _summary = batch.Latest(_summary) ?? TargetHealthSummary.Empty);
    }

    /// <summary>Items are grouped, not a virtualised grid: the browser finds the item by its key.</summary>
    protected override async Task RevealAsync(int index, string key)
    {
        _topology ??= new TopologyBrowser(JS);
        await _topology.RevealItemAsync(Grid, key);
    }

    /// <summary>Enter opens the endpoint page of the cursor's item.</summary>
    protected override Task OnEnterAsync(string? cursor)
    {
        if (cursor is not null && _board.Find(cursor) is { } item)
        {
            Navigation.NavigateTo(TopologyUrls.Endpoint(item.Endpoint));
        }
        return Task.CompletedTask;
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        if (_topology is not null)
        {
            await _topology.DisposeAsync();
        }
    }
}
