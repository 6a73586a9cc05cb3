using Dashboard.Client.Localization;
using Dashboard.Client.Feed;
using Dashboard.Client.Metrics;
using Dashboard.Client.Model;
using Microsoft.AspNetCore.Components;

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
    private PageSparklines? _sparklines;

    [Inject]
    private IServiceProvider Services { get; set; } = default!;

    protected override string PagePath => TopologyUrls.Triage;

    protected override IFeed<TriageItem> ListFeed => Feed.Triage;

    protected override ILiveRows<TriageItem> Rows => _board;

    /// <summary>"In state" counts seconds here: the clock advances every 5 s.</summary>
    protected override TimeSpan ClockPeriod => TimeSpan.FromSeconds(5);

    protected override int PageStep => 10;

    private string Title => _board.Count == 0 ? UiText.Get("Triage") : $"({_board.Count}) {UiText.Get("Triage")}";

    private readonly Dictionary<string, SourceStatus> _sources = new(StringComparer.Ordinal);

    /// <summary>
    /// "All healthy" only when it is known: every endpoint's pods serve and its targets are healthy, and the data is
    /// fresh. While a source is stale the text says what is not known since when.
    /// </summary>
    private string EmptyText => Unknown is { } unknown
        ? UiText.Format("No problem known as of {0} across {1} targets, but {2}", _summary.AsOf is { } read ? DisplayFormat.ClockTime(read) : UiText.Get("the last read"), DisplayFormat.Count(_summary.TotalTargets), unknown)
        : _summary.AsOf is { } asOf
            ? UiText.Format("All {0} targets healthy as of {1}", DisplayFormat.Count(_summary.TotalTargets), DisplayFormat.ClockTime(asOf))
            : UiText.Format("All {0} targets healthy (no target health read yet)", DisplayFormat.Count(_summary.TotalTargets));

    /// <summary>What is not known because a source is stale: null when every source is live.</summary>
    private string? Unknown
    {
        get
        {
            var stale = _sources.Values.Where(s => s.State == SourceState.Stale).OrderBy(s => s.Key, StringComparer.Ordinal).ToList();
            if (stale.Count == 0)
            {
                return null;
            }
            return string.Join("; ", stale.Select(s =>
                (s.LastGoodAt is { } at ? UiText.Format("{0} data is stale since {1}", UiText.Get(s.DisplayName), DisplayFormat.ClockTime(at)) : UiText.Format("{0} data is stale", UiText.Get(s.DisplayName))) +
                (s.Message is null ? "" : $" ({s.Message})") + UiText.Get(": what changed after that is not known")));
        }
    }

    /// <summary>The groups registered their sparklines while rendering: read the due ones in one call.</summary>
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        await base.OnAfterRenderAsync(firstRender);
        if (_sparklines is not null && await _sparklines.RefreshIfDueAsync(Now))
        {
            StateHasChanged();
        }
    }

    protected override void OnInitialized()
    {
        _sparklines = new PageSparklines(Services);
        if (_sparklines.Available)
        {
            _sparklines.Attach(InvokeAsync, () => Now, StateHasChanged);
        }
        base.OnInitialized();
        Follow(Feed.Sources,
            snapshot =>
            {
                _sources.Clear();
                foreach (var s in snapshot.Where(s => s.Key is "aws" or "kubernetes"))
                {
                    _sources[s.Key] = s;
                }
            },
            batch =>
            {
                foreach (var change in batch.Where(c => c.Key is "aws" or "kubernetes"))
                {
                    if (change.Item is { } item)
                    {
                        _sources[change.Key] = item;
                    }
                    else
                    {
                        _sources.Remove(change.Key);
                    }
                }
            });
        Follow(Feed.TargetHealth,
            snapshot => _summary = snapshot.IsDefaultOrEmpty ? TargetHealthSummary.Empty : snapshot[^1],
            batch => _summary = batch.Latest(_summary) ?? TargetHealthSummary.Empty);
    }

    /// <summary><c>?namespace=</c> keeps one namespace's endpoints (deep-linkable, as the API's <c>?namespace=</c>).</summary>
    protected override void OnUrlChanged(string uri) => _board.Namespace = QueryUrl.Read(uri).Get("namespace") is { Length: > 0 } ns ? ns : null;

    private void SetNamespace(string? ns) =>
        Navigation.NavigateTo(QueryUrl.Build(PagePath, ("namespace", string.IsNullOrEmpty(ns) ? null : ns)), replace: true);

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
        _sparklines?.Dispose();
        if (_topology is not null)
        {
            await _topology.DisposeAsync();
        }
    }
}
