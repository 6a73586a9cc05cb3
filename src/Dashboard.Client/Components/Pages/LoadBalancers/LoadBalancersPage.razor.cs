using Dashboard.Client.Feed;
using Dashboard.Client.Metrics;
using Dashboard.Client.Model;
using Microsoft.AspNetCore.Components;

namespace Dashboard.Client.Components.Pages.LoadBalancers;

/// <summary>
/// Every load balancer in the region, live and virtualised, filtered by the URL (type, scheme, flags, search, sort).
/// Arrow keys / j k move the cursor, Enter opens the first owner's endpoint page, c copies the DNS name.
/// </summary>
public sealed partial class LoadBalancersPage
{
    private static readonly (string Title, string? Column)[] Columns =
    [
        ("Name", "name"), ("Type", "type"), ("Scheme", null), ("State", "state"), ("DNS name", null), ("Owners", null),
        ("Listeners", null), ("Targets", "targets"), ("Last hour", null), ("Flags", null), ("Data age", "asof"),
    ];

    private readonly LoadBalancerListModel _model = new();
    private string? _searchText;
    private string? _lastEmittedSearch;
    private PageSparklines? _sparklines;

    [Inject]
    private IServiceProvider Services { get; set; } = default!;

    protected override string PagePath => TopologyUrls.LoadBalancers;

    protected override IFeed<LoadBalancerViewModel> ListFeed => Feed.LoadBalancers;

    protected override ILiveRows<LoadBalancerViewModel> Rows => Items;

    /// <summary>Data ages matter here: the clock advances every 10 s.</summary>
    protected override TimeSpan ClockPeriod => TimeSpan.FromSeconds(10);

    protected override LoadBalancerQuery Query => _model.Query;

    private LiveList<LoadBalancerViewModel> Items => _model.Items;

    protected override void OnInitialized()
    {
        _sparklines = new PageSparklines(Services);
        if (_sparklines.Available)
        {
            _sparklines.Attach(InvokeAsync, () => Now, StateHasChanged);
        }
        base.OnInitialized();
    }

    /// <summary>The rows on screen registered their sparklines while rendering: read the due ones in one call.</summary>
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        await base.OnAfterRenderAsync(firstRender);
        if (_sparklines is not null && await _sparklines.RefreshIfDueAsync(Now))
        {
            StateHasChanged();
        }
    }

    protected override ValueTask DisposeAsyncCore()
    {
        _sparklines?.Dispose();
        return ValueTask.CompletedTask;
    }

    protected override void ApplyQuery(LoadBalancerQuery query)
    {
        // Take the URL's text only when it came from elsewhere (back button, a link), never the echo of what the search
        // box just sent, which would overwrite characters typed since.
        if (!string.Equals(query.Search, _lastEmittedSearch, StringComparison.Ordinal))
        {
            _searchText = query.Search;
        }
        _model.SetQuery(query);
    }

    private void SetType(string? type) => Navigate(Query with { Type = string.IsNullOrEmpty(type) ? null : type, Problems = [] }, replace: false);

    private void SetScheme(string? scheme) => Navigate(Query with { Scheme = string.IsNullOrEmpty(scheme) ? null : scheme, Problems = [] }, replace: false);

    private void ToggleFlag(LoadBalancerFlags flag) => Navigate(Query.ToggleFlag(flag), replace: false);

    private void SetSearch(string? text)
    {
        _searchText = text;
        _lastEmittedSearch = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        Navigate(Query with { Search = _lastEmittedSearch, Problems = [] }, replace: true);
    }

    private string AriaSort(string? column) => column is null || Query.SortColumn != column
        ? "none"
        : Query.SortDescending ? "descending" : "ascending";

    private void Select(string key) => CursorKey = key;

    /// <summary>Enter opens the endpoint page of the cursor's first owner.</summary>
    protected override Task OnEnterAsync(string? cursor)
    {
        if (cursor is not null && Items.Find(cursor) is { Owners: [var owner, ..] })
        {
            Navigation.NavigateTo(TopologyUrls.Endpoint(owner.Object));
        }
        return Task.CompletedTask;
    }

    /// <summary>c copies the cursor's DNS name.</summary>
    protected override async Task OnKeyAsync(string key, string? cursor)
    {
        if (key == "c" && cursor is not null && Items.Find(cursor) is { } lb && Browser is not null)
        {
            await Browser.CopyTextAsync(lb.DnsName);
        }
    }
}
