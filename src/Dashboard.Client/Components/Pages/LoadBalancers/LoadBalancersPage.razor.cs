using Dashboard.Client.Feed;
using Dashboard.Client.Model;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.Logging;
using Microsoft.JSInterop;

namespace Dashboard.Client.Components.Pages.LoadBalancers;

/// <summary>
/// Every load balancer in the region, live and virtualised, filtered by the URL (type, scheme, flags, search, sort).
/// Arrow keys / j k move the cursor, Enter opens the first owner's endpoint page, c copies the DNS name.
/// </summary>
public sealed partial class LoadBalancersPage : IAsyncDisposable
{
    /// <summary>Height of one row in pixels; fixed so the list can be virtualised.</summary>
    private const float RowHeight = 34;

    private const int PageStep = 20;

    private static readonly (string Title, string? Column)[] Columns =
    [
        ("Name", "name"), ("Type", "type"), ("Scheme", null), ("State", "state"), ("DNS name", null), ("Owners", null),
        ("Listeners", null), ("Targets", "targets"), ("Flags", null), ("Data age", "asof"),
    ];

    private readonly LoadBalancerListModel _model = new();
    private readonly FeedWatches _watches = new();
    private PageClock? _clock;
    private BrowserInterop? _browser;
    private ElementReference _grid;
    private ElementReference _scroller;
    private string? _cursor;
    private string? _searchText;
    private string? _lastEmittedSearch;

    [Inject]
    private ITopologyFeed Feed { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Inject]
    private ILogger<LoadBalancersPage> Logger { get; set; } = default!;

    [Inject]
    private IServiceProvider ServiceProvider { get; set; } = default!;

    private LiveList<LoadBalancerViewModel> Items => _model.Items;

    private LoadBalancerQuery Query => _model.Query;

    /// <summary>The time data ages are computed against; advances every 10 s.</summary>
    private DateTimeOffset Now => _clock?.Now ?? default;

    private string? FeedError { get; set; }

    protected override void OnInitialized()
    {
        _clock = PageClock.Start(ServiceProvider, TimeSpan.FromSeconds(10), InvokeAsync, StateHasChanged);

        _model.SetQuery(LoadBalancerQuery.Parse(Navigation.Uri));
        _searchText = Query.Search;
        _lastEmittedSearch = Query.Search;
        Navigation.LocationChanged += OnLocationChanged;

        var subscription = Feed.SubscribeLoadBalancers(_watches.Token);
        Items.Reset(subscription.Snapshot);
        _watches.Consume(subscription, InvokeAsync, Items.Apply, StateHasChanged, ex =>
        {
            Logger.LogError(ex, "The load balancer feed failed");
            FeedError = ex.Message;
        });
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            _browser = new BrowserInterop(JS);
            await _browser.InstallGridAsync(_grid);
        }
    }

    private void OnLocationChanged(object? sender, LocationChangedEventArgs e)
    {
        var path = Navigation.ToBaseRelativePath(e.Location).Split('?', '#')[0];
        if (!string.Equals(path, TopologyUrls.LoadBalancers, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }
        _ = InvokeAsync(() =>
        {
            var query = LoadBalancerQuery.Parse(e.Location);
            // Take the URL's text only when it came from elsewhere (back button, a link), never the echo of what the
            // search box just sent, which would overwrite characters typed since.
            if (!string.Equals(query.Search, _lastEmittedSearch, StringComparison.Ordinal))
            {
                _searchText = query.Search;
            }
            _model.SetQuery(query);
            StateHasChanged();
        });
    }

    private void Navigate(LoadBalancerQuery query, bool replace) =>
        Navigation.NavigateTo(query.ToUrl(TopologyUrls.LoadBalancers), replace: replace);

    private void SetType(string? type) => Navigate(Query with { Type = string.IsNullOrEmpty(type) ? null : type, Problems = [] }, replace: false);

    private void SetScheme(string? scheme) => Navigate(Query with { Scheme = string.IsNullOrEmpty(scheme) ? null : scheme, Problems = [] }, replace: false);

    private void ToggleFlag(LoadBalancerFlags flag) => Navigate(Query.ToggleFlag(flag), replace: false);

    private void SetSort(string column) => Navigate(Query.ToggleSort(column), replace: true);

    private void SetSearch(string? text)
    {
        _searchText = text;
        _lastEmittedSearch = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        Navigate(Query with { Search = _lastEmittedSearch, Problems = [] }, replace: true);
    }

    private string AriaSort(string? column) => column is null || Query.SortColumn != column
        ? "none"
        : Query.SortDescending ? "descending" : "ascending";

    private void Select(string key) => _cursor = key;

    private async Task OnGridKeyDownAsync(KeyboardEventArgs e)
    {
        var step = GridCursor.Step(e.Key, PageStep);
        var view = Items.View;
        if (view.Count == 0)
        {
            return;
        }
        var current = _cursor is null ? -1 : Items.IndexOf(_cursor);
        if (step != 0)
        {
            var next = GridCursor.Move(current, step, view.Count);
            _cursor = view[next].Key;
            if (_browser is not null)
            {
                await _browser.ScrollRowIntoViewAsync(_scroller, next, RowHeight);
            }
        }
        else if (current >= 0 && e.Key == "Enter" && view[current].Owners is [var owner, ..])
        {
            Navigation.NavigateTo(TopologyUrls.Endpoint(owner.Object));
        }
        else if (current >= 0 && e.Key == "c" && _browser is not null)
        {
            await _browser.CopyTextAsync(view[current].DnsName);
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
    }
}
