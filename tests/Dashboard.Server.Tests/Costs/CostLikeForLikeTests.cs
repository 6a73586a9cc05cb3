using System.Collections.Immutable;
using Dashboard.Client.Model;
using Dashboard.Server.Costs;
using Dashboard.Server.LoadBalancers;

namespace Dashboard.Server.Tests.Costs;

/// <summary>
/// Figures that compare like with like: the public IPv4 addresses priced apart from Elastic Load Balancing, the team from
/// the balancer's AWS tag, last month's tagged figure explained against the account and the hourly floor, the balancers
/// the cluster tag cannot cover, and each balancer's days from the same Cost Explorer source as its month.
/// </summary>
public sealed class CostLikeForLikeTests
{
    private static CostInputs Inputs(params LoadBalancerViewModel[] balancers) => new()
    {
        Now = CostFixtures.Now,
        ClusterName = CostFixtures.Cluster,
        Prices = new ElbPrices(),
        Balancers = [.. balancers],
        Usage = CostFixtures.Busy(balancers),
    };

    [Fact]
    public void Public_ipv4_addresses_are_priced_per_address_hour_apart_from_the_elb_figures()
    {
        var counted = CostFixtures.ServiceNlb("mlops", "a");
        var estimated = CostFixtures.ServiceNlb("mlops", "b") with { Arn = CostFixtures.ServiceNlb("mlops", "b").Arn + "b" };
        var inputs = Inputs(counted, estimated) with
        {
            PublicIpv4 = ImmutableDictionary<string, PublicIpv4Count>.Empty
                .Add(counted.Arn, new PublicIpv4Count(3, Counted: true))
                .Add(estimated.Arn, new PublicIpv4Count(2, Counted: false)),
        };
        var without = CostReportBuilder.Build(Inputs(counted, estimated));

        var report = CostReportBuilder.Build(inputs);

        var a = report.Balancers.Single(b => b.Arn == counted.Arn);
        // 2025-06-11 10:30: 10 days and 11 started hours = 251 billed hours; 3 addresses at USD 0.005 an hour.
        Assert.Equal(251, a.Hours);
        Assert.Equal(3 * 251 * 0.005m, a.PublicIpv4Cost);
        Assert.Equal(3 * 720 * 0.005m, a.PublicIpv4Projected);
        Assert.True(a.PublicIpv4Counted);
        Assert.False(report.Balancers.Single(b => b.Arn == estimated.Arn).PublicIpv4Counted);
        // Not inside the ELB estimate, which Cost Explorer's ELB figure is compared with.
        Assert.Equal(without.Balancers.Single(b => b.Arn == counted.Arn).MonthToDate, a.MonthToDate);
        Assert.Equal(a.MonthToDate + a.PublicIpv4Cost, a.WithAddressesMonthToDate);
        Assert.Equal(5, report.Totals.PublicIpv4Addresses);
        Assert.Equal(1, report.Totals.PublicIpv4Estimated);
        Assert.Equal(5 * 251 * 0.005m, report.Totals.PublicIpv4MonthToDate);
    }

    [Fact]
    public void The_team_comes_from_the_balancers_aws_tag_when_no_owner_has_the_label()
    {
        var tagged = CostFixtures.ServiceNlb("payments", "payments-api-nlb");
        tagged = tagged with { Tags = tagged.Tags.Add("Team", "payments") };
        var labelled = CostFixtures.ServiceNlb("mlops", "retail");
        labelled = labelled with { Tags = labelled.Tags.Add("team", "from-tag") };
        var inputs = Inputs(tagged, labelled) with
        {
            Teams = ImmutableDictionary<string, string>.Empty.Add("Service/mlops/retail", "forecasting"),
        };

        var report = CostReportBuilder.Build(inputs);

        var payments = report.Balancers.Single(b => b.Arn == tagged.Arn);
        Assert.Equal(("payments", "tag"), (payments.Team, payments.TeamSource));
        var retail = report.Balancers.Single(b => b.Arn == labelled.Arn);
        Assert.Equal(("forecasting", "label"), (retail.Team, retail.TeamSource));
    }

    [Fact]
    public void Last_months_tagged_figure_is_explained_against_the_account_and_the_hourly_floor()
    {
        var balancers = Enumerable.Range(1, 7).Select(i => CostFixtures.ServiceNlb("mlops", $"lb{i}") with
        {
            Arn = CostFixtures.ServiceNlb("mlops", $"lb{i}").Arn + i,
        }).ToArray();
        var inputs = Inputs(balancers) with
        {
            ByClusterTag = new CostByClusterTag(
            [
                new MonthlyCost(new DateOnly(2025, 5, 1), 109.19m, 147.62m, false, Untagged: 30.00m, OtherClusters: 8.43m),
                new MonthlyCost(new DateOnly(2025, 6, 1), 6.41m, 9.00m, true, 1.00m, 1.59m),
            ]),
        };

        var report = CostReportBuilder.Build(inputs);

        // Seven NLBs over May's 744 hours at USD 0.0225: USD 117.18 before a single LCU.
        Assert.Equal(117.18m, report.Totals.LastMonthHourlyFloor);
        Assert.Equal(7, report.Totals.LastMonthFloorBalancers);
        var gap = CostNotes.LastMonthGap(report);
        Assert.NotNull(gap);
        Assert.Contains("The account's ELB total was $147.62; the other $38.43 is not this cluster's tag", gap, StringComparison.Ordinal);
        Assert.Contains("$8.43 under other clusters' tags", gap, StringComparison.Ordinal);
        Assert.Contains("$30.00 under no cluster tag", gap, StringComparison.Ordinal);
        Assert.Contains("$109.19 is below the hourly charge alone ($117.18) of the 7 tagged balancers that ran all month", gap, StringComparison.Ordinal);
        Assert.Contains("activated as a cost allocation tag", gap, StringComparison.Ordinal);
        // The trend's current month and the "This month" card read the same figure.
        Assert.Equal(report.Months.Single(m => m.Month == report.MonthStart).Cluster, report.Totals.ClusterTagMonthToDate);
    }

    [Fact]
    public void A_month_above_the_floor_and_equal_to_the_account_needs_no_explanation()
    {
        var inputs = Inputs(CostFixtures.ServiceNlb("mlops", "a")) with
        {
            ByClusterTag = new CostByClusterTag([new MonthlyCost(new DateOnly(2025, 5, 1), 20.00m, 20.00m, false, 0m, 0m)]),
        };

        Assert.Null(CostNotes.LastMonthGap(CostReportBuilder.Build(inputs)));
    }

    [Fact]
    public void An_in_tree_balancer_is_named_as_outside_the_cluster_tag_figure()
    {
        var controller = CostFixtures.ServiceNlb("mlops", "a");
        var inTree = CostFixtures.ServiceNlb("legacy", "classic-nlb") with
        {
            Arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/a1b2c3/0000000000000009",
            Tags = ImmutableDictionary<string, string>.Empty.Add(ControllerTags.InTreeClusterPrefix + CostFixtures.Cluster, "owned"),
        };

        var report = CostReportBuilder.Build(Inputs(controller, inTree));

        Assert.Equal(1, report.Totals.NotUnderClusterTag);
        Assert.Equal(report.Balancers.Single(b => b.Arn == inTree.Arn).MonthToDate, report.Totals.NotUnderClusterTagMonthToDate);
        Assert.Contains("1 balancer without the elbv2.k8s.aws/cluster tag", CostNotes.ThisMonthScope(report), StringComparison.Ordinal);
    }

    [Fact]
    public void Each_balancer_has_its_days_from_the_same_source_as_its_month()
    {
        var a = CostFixtures.ServiceNlb("mlops", "a");
        var b = CostFixtures.ServiceNlb("mlops", "b");
        DailyCost[] resourceDays = [new(new DateOnly(2025, 6, 9), 0.50m), new(new DateOnly(2025, 6, 10), 0.70m)];
        DailyCost[] tagDays = [new(new DateOnly(2025, 6, 10), 0.60m)];
        var inputs = Inputs(a, b) with
        {
            ByResource = new CostByResource(ImmutableDictionary<string, decimal>.Empty.Add(a.Arn, 1.20m),
                ImmutableDictionary<string, ImmutableArray<DailyCost>>.Empty.Add(a.Arn, [.. resourceDays])),
            ByStackTag = new CostByStackTag([], ImmutableDictionary<string, decimal>.Empty.Add("service.k8s.aws/stack$mlops/b", 0.60m), TagsActivated: true,
                ImmutableDictionary<string, ImmutableArray<DailyCost>>.Empty.Add("service.k8s.aws/stack$mlops/b", [.. tagDays])),
        };

        var report = CostReportBuilder.Build(inputs);

        var first = report.Balancers.Single(x => x.Arn == a.Arn);
        Assert.Equal(resourceDays, first.Daily.AsEnumerable());
        Assert.Equal(first.CostExplorerMonthToDate, first.Daily.Sum(d => d.Amount));
        Assert.Equal(tagDays, report.Balancers.Single(x => x.Arn == b.Arn).Daily.AsEnumerable());
    }
}
