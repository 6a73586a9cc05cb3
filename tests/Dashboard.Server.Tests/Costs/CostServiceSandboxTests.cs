using System.Collections.Immutable;
using System.Globalization;
using Dashboard.Client.Model;
using Dashboard.Sandbox.Aws;
using Dashboard.Sandbox.Aws.CloudWatch;
using Dashboard.Sandbox.Aws.CostExplorer;
using Dashboard.Server.Costs;
using Dashboard.Server.Feed;
using Dashboard.Server.LoadBalancers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Dashboard.Server.Tests.Costs;

/// <summary>The cost service against the sandbox with its seed scenario: real ELBv2, CloudWatch and Cost Explorer wire calls.</summary>
public sealed class CostServiceSandboxTests(CostSandboxFixture fixture) : IClassFixture<CostSandboxFixture>
{
    private const string Cluster = "retail-forecast-cluster";

    [Fact]
    public async Task Every_scenario_balancer_gets_a_positive_estimate_that_agrees_with_the_sandboxs_bill()
    {
        var costs = fixture.NewCostService();
        var model = new ElbCostModel(fixture.Sandbox.AwsTraffic);
        var before = Bill(model);
        var report = await costs.RefreshAsync(CancellationToken.None);
        var after = Bill(model);

        var scenario = fixture.Sandbox.AwsWorld.GetLoadBalancers().Where(lb => lb.Name != GhostName).ToList();
        Assert.True(scenario.Count >= 7, $"the scenario provisions at least 7 balancers, found {scenario.Count}");
        foreach (var lb in scenario)
        {
            var balancer = Assert.Single(report.Balancers, b => b.Arn == lb.Arn);
            Assert.True(balancer.MonthToDate > 0, $"{lb.Name}: month-to-date estimate {balancer.MonthToDate}");
            Assert.True(balancer.Projected >= balancer.MonthToDate, $"{lb.Name}: projected {balancer.Projected} < month to date {balancer.MonthToDate}");
            Assert.NotEmpty(balancer.Owners);
            Assert.False(balancer.Orphan, $"{lb.Name} is owned by a live object");

            // The stack-tag route must give the sandbox's own bill for the balancer (it is the same cost model).
            if (balancer.CostExplorerRoute == "tag")
            {
                Assert.InRange(balancer.CostExplorerMonthToDate!.Value, before.ByArn[lb.Arn] - 0.0001m, after.ByArn[lb.Arn] + 0.0001m);
            }

            // The estimate bills the same hours; it can only miss LCUs CloudWatch has not published yet: the minutes of the
            // creation hour before the balancer existed (Cost Explorer bills the whole hour) and the current hour's
            // unfinished minutes. So it is at most two hours of LCUs below the bill, and never above it.
            var bill = after.ByArn[lb.Arn];
            var prices = new Dashboard.Server.Costs.ElbPrices();
            var lcuPrice = prices.LcuHourFor(balancer.Type);
            var hour = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 3600 * 3600);
            var unpublished = (decimal)(fixture.Sandbox.AwsTraffic.HourlyLcu(lb, hour) + fixture.Sandbox.AwsTraffic.HourlyLcu(lb, hour.AddHours(-1))) * 2 * lcuPrice;
            var rolledOver = before.Hour != after.Hour ? prices.HourFor(balancer.Type) : 0;
            Assert.InRange(balancer.MonthToDate, before.ByArn[lb.Arn] - unpublished - 0.0002m, bill + rolledOver + 0.0002m);
        }

        // Cost Explorer's cluster-tag group is the sandbox's bill for the cluster's controller balancers; the total it is
        // compared with covers exactly the balancers it attributes.
        Assert.NotNull(report.Totals.ClusterTagMonthToDate);
        Assert.InRange(report.Totals.ClusterTagMonthToDate!.Value, before.Cluster - 0.0001m, after.Cluster + 0.0001m);
        var attributed = report.Balancers.Where(b => b.CostExplorerMonthToDate is not null).ToList();
        Assert.Equal(attributed.Count, report.Totals.CostExplorerBalancers);
        Assert.Equal(attributed.Sum(b => b.MonthToDate), report.Totals.CostExplorerEstimate);
        Assert.Equal(Cluster, report.ClusterName);
        var shop = report.Balancers.Single(b => b.Owners.Length == 2);
        Assert.Equal(["catalog", "storefront"], shop.Owners.Select(o => o.Namespace).Order(StringComparer.Ordinal));
        Assert.Equal(1.0, shop.Owners.Sum(o => o.Share), 6);
    }

    [Fact]
    public async Task Cost_explorer_answers_are_cached_so_a_second_report_makes_no_request()
    {
        var costs = fixture.NewCostService();
        var start = fixture.CostExplorer.Calls;

        var first = await costs.GetReportAsync(CancellationToken.None);
        var afterFirst = fixture.CostExplorer.Calls;
        var second = await costs.RefreshAsync(CancellationToken.None);
        await costs.GetReportAsync(CancellationToken.None);

        Assert.InRange(afterFirst - start, 3, 4); // by cluster tag, by stack tag, forecast (+ per resource in a month's first 14 days)
        Assert.Equal(afterFirst, fixture.CostExplorer.Calls);
        Assert.Equal(afterFirst - start, second.CostExplorerRequests);
        Assert.Equal(second.CostExplorerRequests * 0.01m, second.CostExplorerSpend);
        Assert.Equal(first.Sources.Single(s => s.Key == "ce-stack-tag").AsOf, second.Sources.Single(s => s.Key == "ce-stack-tag").AsOf);
    }

    [Fact]
    public async Task The_report_counts_the_metrics_this_server_asked_cloudwatch_for_and_prices_them()
    {
        var statistics = fixture.Services.GetRequiredService<AwsCallStatistics>();
        var before = statistics.Snapshot().CloudWatchMetricsRequested;
        var asked = DateTimeOffset.UtcNow;

        // The poller reads the usage into the AWS snapshot every UsageRefresh; the report makes no CloudWatch call itself.
        await CostSandboxFixture.WaitUntilAsync(() => fixture.Aws.Current.Usage?.AsOf > asked, "the poller's next usage read");
        var report = await fixture.NewCostService().RefreshAsync(CancellationToken.None);

        // The usage read asks for ConsumedLCUs and requests (or flows) of every balancer of the seed.
        Assert.True(report.CloudWatchMetricsRequested - before >= 2 * report.Balancers.Length,
            $"{report.CloudWatchMetricsRequested - before} metrics for {report.Balancers.Length} balancers");
        Assert.Equal(report.CloudWatchMetricsRequested / 1000m * 0.01m, report.CloudWatchSpend);
    }

    [Fact]
    public async Task The_cost_report_and_its_csv_name_the_same_owners_and_shares_as_the_load_balancers_page_for_every_balancer()
    {
        var costs = fixture.NewCostService();
        var (page, report) = await PageAndReportOfOneTopologyAsync(costs);

        // Every balancer of the scenario is on the page, and every one tagged for the cluster is in the report.
        var world = fixture.Sandbox.AwsWorld.GetLoadBalancers();
        Assert.Equal(world.Select(lb => lb.Arn).Order(StringComparer.Ordinal), page.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(page.Values.Where(b => b.Cluster == Cluster).Select(b => b.Arn).Order(StringComparer.Ordinal), report.Balancers.Select(b => b.Arn).Order(StringComparer.Ordinal));
        var shop = page.Values.Single(b => b.IngressGroup == "shop");
        Assert.True(shop.Owners.Length >= 2, $"the shop group's ALB has {shop.Owners.Length} owners");
        Assert.Equal(1.0, shop.Owners.Sum(o => o.Share), 6);

        using var writer = new StringWriter();
        await CostCsv.WriteAsync(report, writer, CancellationToken.None);
        var lines = writer.ToString().Split(["\r\n", "\n"], StringSplitOptions.RemoveEmptyEntries);
        var column = CostCsv.Header.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i);
        var csv = lines.Skip(1).Select(l => l.Split(',')).Where(r => r[column["owner_exists"]] == "true")
            .ToLookup(r => r[column["arn"]], r => $"{r[column["owner_kind"]]} {r[column["owner_namespace"]]}/{r[column["owner_name"]]} {r[column["share"]]}", StringComparer.Ordinal);
        foreach (var balancer in report.Balancers)
        {
            var owners = page[balancer.Arn].Owners;
            // Element by element: ImmutableArray's own equality is the array's identity, and the page keeps the earlier
            // view model (another array) when a later join produced the same balancer.
            Assert.Equal(owners.AsEnumerable(), balancer.Owners.AsEnumerable());
            Assert.Equal(owners.Select(o => $"{o.Kind} {o.Namespace}/{o.Name} {o.Share.ToString("0.####", CultureInfo.InvariantCulture)}"), csv[balancer.Arn]);
        }
    }

    /// <summary>
    /// The Load balancers page's view models (its feed's snapshot) and a report built from the same topology: the feed is
    /// read before and after the report, and the pair is taken when no join came in between (usage re-reads move shares).
    /// </summary>
    private async Task<(Dictionary<string, LoadBalancerViewModel> Page, CostReport Report)> PageAndReportOfOneTopologyAsync(CostService costs)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var before = fixture.Topology.LoadBalancers.Snapshot;
            var report = await costs.RefreshAsync(CancellationToken.None);
            var after = fixture.Topology.LoadBalancers.Snapshot;
            if (before.SequenceEqual(after))
            {
                return (before.ToDictionary(b => b.Arn, StringComparer.Ordinal), report);
            }
        }
        throw new InvalidOperationException("The topology changed during each of 20 reports.");
    }

    [Fact]
    public async Task Cost_explorer_throttling_keeps_the_cached_figures_marked_stale_with_the_reason()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = new CostOptions();
        var costs = fixture.NewCostService(time, options);
        var first = await costs.RefreshAsync(CancellationToken.None);
        Assert.NotNull(first.Totals.ClusterTagMonthToDate);
        var firstAsOf = first.Sources.Single(s => s.Key == "ce-cluster-tag").AsOf;

        var fault = fixture.Sandbox.AwsFaults.Add(new AwsFaultRule { Kind = AwsFaultKind.Throttle, Service = "ce" });
        try
        {
            time.Advance(options.CostExplorerRefresh + TimeSpan.FromMinutes(1));
            var second = await costs.RefreshAsync(CancellationToken.None);

            Assert.Equal(first.Totals.ClusterTagMonthToDate, second.Totals.ClusterTagMonthToDate);
            Assert.Equal(first.Totals.CostExplorerMonthToDate, second.Totals.CostExplorerMonthToDate);
            Assert.Equal(first.Totals.LastMonth, second.Totals.LastMonth);
            var part = second.Sources.Single(s => s.Key == "ce-cluster-tag");
            Assert.Equal(CostSourceState.Stale, part.State);
            Assert.Equal(firstAsOf, part.AsOf);
            Assert.Contains("LimitExceededException", part.Message, StringComparison.Ordinal);
            Assert.True(second.IsStale);
            var status = fixture.Services.GetRequiredService<SourceStatusRegistry>().Get(CostService.SourceKey);
            Assert.Equal(SourceState.Stale, status?.State);
            Assert.Contains("Cost Explorer", status?.Message, StringComparison.Ordinal);

            // While stale, Cost Explorer is not asked again on every refresh: only after RetryAfterFailure.
            var calls = fixture.CostExplorer.Calls;
            await costs.RefreshAsync(CancellationToken.None);
            Assert.Equal(calls, fixture.CostExplorer.Calls);
        }
        finally
        {
            fixture.Sandbox.AwsFaults.Remove(fault);
        }
    }

    private const string GhostName = "k8s-mlops-ghost-3a5e7c9d1b";

    [Fact]
    public async Task A_balancer_whose_service_is_gone_and_that_serves_nothing_is_an_idle_orphan()
    {
        var world = fixture.Sandbox.AwsWorld;
        var created = DateTimeOffset.UtcNow.AddDays(-3);
        var ghost = world.FindLoadBalancerByName(GhostName) ?? world.CreateLoadBalancer(new LoadBalancerSpec
        {
            Name = GhostName,
            Type = LoadBalancerType.Network,
            CreatedTime = created,
            Tags = ImmutableDictionary<string, string>.Empty
                .Add("elbv2.k8s.aws/cluster", Cluster)
                .Add("service.k8s.aws/stack", "mlops/ghost")
                .Add("service.k8s.aws/resource", "LoadBalancer"),
        });
        world.SetLoadBalancerState(ghost.Arn, LoadBalancerStateCode.Active);
        fixture.Sandbox.AwsTraffic.SetProfile(ghost.Arn, new TrafficProfile { PeakRequestsPerSecond = 0 });
        await CostSandboxFixture.WaitUntilAsync(fixture.ScenarioJoined, "the ghost balancer polled, joined and its usage read");

        var report = await fixture.NewCostService().RefreshAsync(CancellationToken.None);

        var balancer = Assert.Single(report.Balancers, b => b.Arn == ghost.Arn);
        Assert.True(balancer.Orphan);
        Assert.True(balancer.Idle);
        Assert.Equal(0, balancer.RecentRequests);
        Assert.Equal(CostEstimator.BilledHours(ghost.CreatedTime, report.AsOf), balancer.Hours);
        Assert.Equal(balancer.Hours * 0.0225m, balancer.MonthToDate);
        Assert.Contains("Service mlops/ghost no longer exists", balancer.Fix, StringComparison.Ordinal);
        Assert.Empty(balancer.Owners);
        Assert.Equal(new ObjectRef(ObjectKind.Service, "mlops", "ghost"), balancer.TaggedOwner);
        Assert.DoesNotContain(report.Balancers, b => b.Arn != ghost.Arn && b.Orphan);
    }

    private sealed record SandboxBill(ImmutableDictionary<string, decimal> ByArn, decimal Cluster, long Hour);

    /// <summary>The sandbox's own month-to-date ELB bill (the oracle), per balancer and for the cluster tag.</summary>
    private static SandboxBill Bill(ElbCostModel model)
    {
        var now = DateTimeOffset.UtcNow;
        var items = model.LineItems(CostEstimator.MonthStart(now), now.AddHours(1)).Where(i => i.Service == ElbCostModel.ElbService).ToList();
        return new SandboxBill(
            items.GroupBy(i => i.ResourceId).ToImmutableDictionary(g => g.Key, g => g.Sum(i => i.Cost)),
            items.Where(i => i.Tags.GetValueOrDefault("elbv2.k8s.aws/cluster") == Cluster).Sum(i => i.Cost),
            now.ToUnixTimeSeconds() / 3600);
    }
}
