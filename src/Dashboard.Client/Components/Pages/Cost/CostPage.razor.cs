using System.Collections.Immutable;
using Dashboard.Client.Feed;
using Dashboard.Client.Model;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.Extensions.Logging;

namespace Dashboard.Client.Components.Pages.Cost;

/// <summary>
/// What each load balancer costs, who owns it, which are idle or orphaned. Reads the server's one cost report (no AWS call
/// per viewer); filters live in the URL (<c>ns</c>, <c>type</c>, <c>idle</c>).
/// </summary>
public sealed partial class CostPage
{
    [Inject]
    private ICostFeed Feed { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private ILogger<CostPage> Logger { get; set; } = default!;

    private CostReport? Report { get; set; }

    private CostQuery Query { get; set; } = CostQuery.Empty;

    private ImmutableArray<BalancerCost> Shown { get; set; } = [];

    private string? Error { get; set; }

    private bool Refreshing { get; set; }

    /// <summary>Ages change slowly here: re-render every 30 s.</summary>
    protected override TimeSpan TickInterval => TimeSpan.FromSeconds(30);

    protected override async Task OnInitializedAsync()
    {
        SetQuery(CostQuery.Parse(Navigation.Uri));
        Navigation.LocationChanged += OnLocationChanged;
        try
        {
            Show(await Feed.GetReportAsync(CancellationToken.None));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "The cost report could not be read");
            Error = ex.Message;
        }
    }

    private async Task RefreshAsync()
    {
        Refreshing = true;
        try
        {
            Show(await Feed.RefreshAsync(CancellationToken.None));
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

    private void Show(CostReport report)
    {
        Report = report;
        Shown = Query.Apply(report.Balancers);
    }

    private void SetQuery(CostQuery query)
    {
        Query = query;
        Shown = Report is null ? [] : query.Apply(Report.Balancers);
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

    void IDisposable.Dispose()
    {
        Navigation.LocationChanged -= OnLocationChanged;
        Dispose();
    }
}
