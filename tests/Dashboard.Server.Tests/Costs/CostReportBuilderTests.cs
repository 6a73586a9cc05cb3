using System.Collections.Immutable;
using Dashboard.Client.Model;
using Dashboard.Server.Costs;
using Dashboard.Server.LoadBalancers;

namespace Dashboard.Server.Tests.Costs;

public sealed class CostReportBuilderTests
{
    private static CostInputs Inputs(ImmutableArray<LoadBalancerViewModel> balancers, BalancerUsage? usage = null, ImmutableDictionary<string, string>? teams = null) => new()
    {
        Now = CostFixtures.Now,
        ClusterName = CostFixtures.Cluster,
        Prices = new ElbPrices(),
        Balancers = balancers,
        Teams = teams ?? ImmutableDictionary<string, string>.Empty,
        Usage = usage ?? CostFixtures.Busy([.. balancers]),
    };

    [Fact]
    public void A_shared_alb_is_split_between_its_ingresses_by_the_topologys_shares_and_so_are_the_namespace_totals()
    {
        var alb = CostFixtures.GroupAlb("shop", ("storefront", "storefront", 0.75), ("catalog", "catalog", 0.25));
        var usage = CostFixtures.Busy(alb) with { LcuHours = ImmutableDictionary<string, double>.Empty.Add(alb.Arn, 100) };

        var report = CostReportBuilder.Build(Inputs([alb], usage));

        var balancer = Assert.Single(report.Balancers);
        Assert.Equal(alb.Owners.AsEnumerable(), balancer.Owners.AsEnumerable());
        var storefront = balancer.Owners.Single(o => o.Namespace == "storefront");
        var catalog = balancer.Owners.Single(o => o.Namespace == "catalog");
        Assert.Equal(CostEstimator.Round(balancer.MonthToDate * 0.75m), balancer.MonthToDateOf(storefront));
        Assert.Equal(balancer.MonthToDate, balancer.MonthToDateOf(storefront) + balancer.MonthToDateOf(catalog), 3);
        Assert.Equal(balancer.ProjectedOf(storefront), report.Namespaces.Single(n => n.Namespace == "storefront").Projected);
        Assert.Equal(balancer.MonthToDateOf(catalog), report.Namespaces.Single(n => n.Namespace == "catalog").MonthToDate);
        Assert.False(balancer.Orphan);
    }

    [Fact]
    public void A_balancer_the_topology_calls_an_orphan_is_billed_to_the_object_its_tags_name()
    {
        var ghost = CostFixtures.OrphanNlb("mlops", "old-nlb");
        var live = CostFixtures.ServiceNlb("mlops", "retail-forecast-nlb");
        var teams = ImmutableDictionary<string, string>.Empty.Add("Service/mlops/retail-forecast-nlb", "forecasting");

        var report = CostReportBuilder.Build(Inputs([ghost, live], teams: teams));

        var orphan = report.Balancers.Single(b => b.Arn == ghost.Arn);
        Assert.True(orphan.Orphan);
        Assert.Empty(orphan.Owners);
        Assert.Equal(new ObjectRef(ObjectKind.Service, "mlops", "old-nlb"), orphan.TaggedOwner);
        Assert.Equal("mlops", orphan.Namespace);
        Assert.Contains("Service mlops/old-nlb no longer exists", orphan.Fix, StringComparison.Ordinal);
        var kept = report.Balancers.Single(b => b.Arn == live.Arn);
        Assert.False(kept.Orphan);
        Assert.Null(kept.TaggedOwner);
        Assert.Equal("forecasting", kept.Team);
        Assert.Equal(orphan.Projected, report.Totals.OrphanProjected);
    }

    [Fact]
    public void An_ingress_group_with_no_member_left_is_an_orphan_named_by_its_group()
    {
        var report = CostReportBuilder.Build(Inputs([CostFixtures.GroupAlb("shop")]));

        var balancer = Assert.Single(report.Balancers);
        Assert.True(balancer.Orphan);
        Assert.Contains("Ingress group shop", balancer.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void An_idle_balancer_offers_deleting_its_kubernetes_object_not_the_balancer()
    {
        var nlb = CostFixtures.ServiceNlb("mlops", "retail-forecast-loadbalancer");
        var usage = new BalancerUsage { RecentRequests = ImmutableDictionary<string, double>.Empty.Add(nlb.Arn, 0) };

        var report = CostReportBuilder.Build(Inputs([nlb], usage));

        var balancer = Assert.Single(report.Balancers);
        Assert.True(balancer.Idle);
        Assert.Contains("kubectl delete service -n mlops retail-forecast-loadbalancer", balancer.Fix, StringComparison.Ordinal);
        Assert.Equal(balancer.Projected, report.Totals.IdleProjected);
    }

    [Fact]
    public void Balancers_of_other_clusters_or_of_none_are_left_out()
    {
        var other = CostFixtures.ServiceNlb("mlops", "x", cluster: "another-cluster");
        var untagged = CostFixtures.ServiceNlb("mlops", "y") with { Cluster = null };

        Assert.Empty(CostReportBuilder.Build(Inputs([other, untagged])).Balancers);
    }

    [Fact]
    public void Cost_explorer_per_resource_wins_over_the_stack_tag_and_the_difference_is_shown()
    {
        var a = CostFixtures.ServiceNlb("mlops", "a");
        var b = CostFixtures.ServiceNlb("mlops", "b");
        var inputs = Inputs([a, b]) with
        {
            ByResource = new CostByResource(ImmutableDictionary<string, decimal>.Empty.Add(a.Arn, 6.0m)),
            ByStackTag = new CostByStackTag([], ImmutableDictionary<string, decimal>.Empty
                .Add("service.k8s.aws/stack$mlops/a", 5.0m).Add("service.k8s.aws/stack$mlops/b", 5.5m), TagsActivated: true),
        };

        var report = CostReportBuilder.Build(inputs);

        var first = report.Balancers.Single(x => x.Arn == a.Arn);
        var second = report.Balancers.Single(x => x.Arn == b.Arn);
        Assert.Equal((6.0m, "resource"), (first.CostExplorerMonthToDate!.Value, first.CostExplorerRoute));
        Assert.Equal((5.5m, "tag"), (second.CostExplorerMonthToDate!.Value, second.CostExplorerRoute));
        Assert.Equal(5.5m - second.MonthToDate, second.Difference);
        Assert.Equal(11.5m, report.Totals.CostExplorerMonthToDate);
        Assert.Equal(first.MonthToDate + second.MonthToDate, report.Totals.CostExplorerEstimate);
        Assert.Equal(11.5m - report.Totals.CostExplorerEstimate, report.Totals.Difference);
    }

    [Fact]
    public void Totals_take_this_and_last_month_from_cost_explorers_cluster_tag_group()
    {
        var inputs = Inputs([CostFixtures.ServiceNlb("mlops", "a")]) with
        {
            ByClusterTag = new CostByClusterTag(
            [
                new MonthlyCost(new DateOnly(2025, 5, 1), 40.10m, 55m, false),
                new MonthlyCost(new DateOnly(2025, 6, 1), 12.30m, 17m, true),
            ]),
        };

        var totals = CostReportBuilder.Build(inputs).Totals;

        Assert.Equal(40.10m, totals.LastMonth);
        Assert.Equal(12.30m, totals.ClusterTagMonthToDate);
        Assert.Null(totals.CostExplorerMonthToDate); // no balancer attributed: nothing to compare
        Assert.Null(totals.Difference);
    }

    [Theory]
    [InlineData(0.5, 1000, null)]
    // 1,000 metrics a minute (500 target groups × 2 host counts) for an hour: 43.2 million a month, $432.00 at $0.01 per 1,000.
    [InlineData(60, 60_000, "432.00")]
    public void The_cloudwatch_projection_is_the_rate_since_start_over_a_30_day_month(double minutes, long metrics, string? monthly)
    {
        var inputs = Inputs([]) with
        {
            CloudWatchMetricsRequested = metrics,
            CloudWatchMetricsSince = CostFixtures.Now - TimeSpan.FromMinutes(minutes),
        };

        var report = CostReportBuilder.Build(inputs);

        Assert.Equal(monthly is null ? null : decimal.Parse(monthly, System.Globalization.CultureInfo.InvariantCulture), report.CloudWatchMonthlyProjection);
        Assert.Equal(metrics / 1000m * 0.01m, report.CloudWatchSpend);
    }
}
