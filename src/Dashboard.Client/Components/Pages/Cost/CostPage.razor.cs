using System.Collections.Immutable;
using Dashboard.Client.Feed;
using Dashboard.Client.Model;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.Extensions.Logging;

namespace Dashboard.Client.Components.Pages.Cost;

/// <summary>
/// What each load balancer costs, who owns it, which are idle or orphaned. Shows the server's one cost report, live
/// through <see cref="IDashboardFeed.CostReport"/> (no AWS call per viewer): a new report replaces the shown one as soon
/// as the server has built it. Filters live in the URL (<c>ns</c>, <c>type</c>, <c>idle</c>).
/// </summary>
public sealed partial class CostPage : IAsyncDisposable
{
    private readonly FeedWatches _watches = new();
    private PageClock? _clock;

    [Inject]
    private IDashboardFeed Feed { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private ILogger<CostPage> Logger { get; set; } = default!;

    [Inject]
    private IServiceProvider ServiceProvider { get; set; } = default!;

    private CostReport? Report { get; set; }

    private CostQuery Query { get; set; } = CostQuery.Empty;

    private ImmutableArray<BalancerCost> Shown { get; set; } = [];

    /// <summary>The cards' figures for the balancers the filters keep.</summary>
    private CostSelection Selection { get; set; } = new();

    private string? Error { get; set; }

    private bool Refreshing { get; set; }

    /// <summary>The time ages are computed against; costs change slowly, so it advances every 30 s.</summary>
    private DateTimeOffset Now => _clock?.Now ?? default;

    protected override void OnInitialized()
    {
        _clock = PageClock.Start(ServiceProvider, TimeSpan.FromSeconds(30), InvokeAsync, StateHasChanged);
        SetQuery(CostQuery.Parse(Navigation.Uri));
        Navigation.LocationChanged += OnLocationChanged;

        var subscription = Feed.CostReport.Subscribe(_watches.Token);
        Show(subscription.SingleItem());
        _watches.Consume(subscription, InvokeAsync, batch => Show(batch.Latest(Report)), StateHasChanged, ex =>
        {
            Logger.LogError(ex, "The cost report feed failed");
            Error = ex.Message;
        });
    }

    /// <summary>Asks the server for a new report; it arrives through the feed like any other.</summary>
    private async Task RefreshAsync()
    {
        Refreshing = true;
        try
        {
            await Feed.RefreshCostReportAsync(CancellationToken.None);
            Error = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "The cost report could not be refreshed");
            Error = ex.Message;
        }
        finally
        {
            Refreshing = false;
        }
    }

    private void Show(CostReport? report)
    {
        Report = report;
        Select();
    }

    private void SetQuery(CostQuery query)
    {
        Query = query;
        Select();
    }

    private void Select()
    {
        Shown = Report is null ? [] : Query.Apply(Report.Balancers);
        Selection = Report is null ? new() : CostSelection.Of(Report, Query);
    }

    private void OnLocationChanged(object? sender, LocationChangedEventArgs e)
    {
        var path = Navigation.ToBaseRelativePath(e.Location).Split('?', '#')[0];
        if (!string.Equals(path, DashboardUrls.Cost, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }
        _ = InvokeAsync(() =>
        {
            SetQuery(CostQuery.Parse(e.Location));
            StateHasChanged();
        });
    }

    private void Navigate(CostQuery query) => Navigation.NavigateTo(query.ToUrl());

    private void SetNamespace(string? ns) => Navigate(Query with { Namespace = string.IsNullOrEmpty(ns) ? null : ns });

    private void SetType(string? type) => Navigate(Query with { Type = string.IsNullOrEmpty(type) ? null : type });

    private void SetIdleOnly(bool idle) => Navigate(Query with { IdleOnly = idle });

    private void SetSort(string column) => Navigate(Query with { Sort = QueryUrl.ToggleSort(Query.Sort, column) });

    public async ValueTask DisposeAsync()
    {
        Navigation.LocationChanged -= OnLocationChanged;
        _clock?.Dispose();
        await _watches.DisposeAsync();
    }
}
