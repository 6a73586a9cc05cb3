using Dashboard.Client.Feed;
using Dashboard.Client.Model;
using Dashboard.Server.Costs;
using Dashboard.Server.Feed;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Server.Tests.Costs;

/// <summary>The cost report as a live feed: every report the cost service builds reaches subscribers and the snapshot.</summary>
public sealed class CostReportFeedTests(CostSandboxFixture fixture) : IClassFixture<CostSandboxFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Each_report_built_is_published_to_a_subscriber_and_becomes_the_snapshot()
    {
        using var costs = fixture.NewCostService();
        using var feed = new CostReportFeed(costs, TimeProvider.System);
        using var cts = new CancellationTokenSource(Bound);
        var subscription = feed.Reports.Subscribe(cts.Token);
        Assert.Empty(subscription.Snapshot);
        Assert.Empty(feed.Reports.Snapshot);
        await using var changes = subscription.Changes.GetAsyncEnumerator(cts.Token);

        // The refresh loop builds a report…
        var built = await costs.RefreshAsync(cts.Token);

        Assert.True(await changes.MoveNextAsync());
        var change = Assert.Single(changes.Current);
        Assert.Equal((FeedChangeKind.Upsert, CostReport.SingletonKey), (change.Kind, change.Key));
        Assert.Same(built, change.Item);
        Assert.Same(built, Assert.Single(feed.Reports.Snapshot));

        // …and so does a viewer's Refresh; the export reads the same report without building another.
        await feed.RefreshAsync(cts.Token);

        Assert.True(await changes.MoveNextAsync());
        var rebuilt = Assert.Single(changes.Current).Item;
        Assert.NotSame(built, rebuilt);
        Assert.Same(rebuilt, await feed.GetReportAsync(cts.Token));
        Assert.Same(rebuilt, costs.Current);
    }

    [Fact]
    public async Task A_report_built_before_the_feed_existed_is_its_first_snapshot()
    {
        using var costs = fixture.NewCostService();
        var built = await costs.RefreshAsync(CancellationToken.None);

        using var feed = new CostReportFeed(costs, TimeProvider.System);

        Assert.Same(built, Assert.Single(feed.Reports.Snapshot));
    }

    [Fact]
    public void The_server_serves_the_cost_report_to_pages_through_the_one_dashboard_feed()
    {
        var dashboard = fixture.Services.GetRequiredService<Client.Feed.IDashboardFeed>();

        Assert.IsType<DashboardFeed>(dashboard);
        Assert.Same(fixture.Services.GetRequiredService<CostReportFeed>().Reports, dashboard.CostReport);
        Assert.Same(fixture.Services.GetRequiredService<CostReportFeed>(), fixture.Services.GetRequiredService<ICostReportSource>());
    }
}
