using Bunit;
using Dashboard.Client.Components.Pages.Cost;
using Dashboard.Client.Model;
using Dashboard.Client.Tests.Support;

namespace Dashboard.Client.Tests.Cost;

/// <summary>The Cost page's cards say what they count and follow the filters; the table agrees with By namespace, sorts and draws each balancer's days.</summary>
public sealed class CostLikeForLikePageTests : DashboardTestContext
{
    public CostLikeForLikePageTests()
    {
        RenderPopoverProvider();
    }

    private static CostReport Report()
    {
        var report = CostReports.Scenario();
        return report with
        {
            Balancers =
            [
                .. report.Balancers.Select(b => b.Arn == CostReports.ShopArn
                    ? b with
                    {
                        PublicIpv4Addresses = 2, PublicIpv4Counted = true, PublicIpv4Cost = 0.12m, PublicIpv4Projected = 7.20m,
                        Daily = [new DailyCost(new DateOnly(2025, 5, 30), 0.80m), new DailyCost(new DateOnly(2025, 5, 31), 1.10m)],
                    }
                    : b.Arn == CostReports.NlbArn ? b with { Team = "payments", TeamSource = "tag" } : b),
            ],
            Months =
            [
                new MonthlyCost(new DateOnly(2025, 5, 1), 58.12m, 80.00m, false, Untagged: 21.88m, OtherClusters: 0m),
                new MonthlyCost(new DateOnly(2025, 6, 1), 21.90m, 30.00m, true),
            ],
        };
    }

    private static string[] Rows(IRenderedComponent<CostPage> cut) => [.. cut.FindAll("tr.cost-row").Select(r => r.GetAttribute("data-arn")!)];

    private static string Text(IRenderedComponent<CostPage> cut, string testId) =>
        string.Join(' ', cut.Find($"[data-testid={testId}]").TextContent.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries));

    [Fact]
    public void Every_card_says_what_it_counts_and_which_days()
    {
        Feed.CostReport = Report();

        var cut = Render<CostPage>();

        Assert.Contains("3 balancers of the cluster · 1 Jun · hours × price + LCU-hours × price", Text(cut, "total-mtd"), StringComparison.Ordinal);
        Assert.Contains("+ public IPv4 $0.12 (2 addresses, counted from EC2; billed as VPC, not ELB)", Text(cut, "total-ipv4"), StringComparison.Ordinal);
        Assert.Contains("CE forecast, whole account (all ELB): $70.00", Text(cut, "total-projected"), StringComparison.Ordinal);
        Assert.Contains("actual · tagged elbv2.k8s.aws/cluster=retail-forecast-cluster · 1 Jun", Text(cut, "total-this-month"), StringComparison.Ordinal);
        Assert.Contains("all of May 2025", Text(cut, "total-last-month"), StringComparison.Ordinal);
        Assert.Contains("the other $21.88 is not this cluster's tag: $21.88 under no cluster tag", Text(cut, "total-last-month-gap"), StringComparison.Ordinal);
    }

    [Fact]
    public void This_months_cost_explorer_figure_is_the_same_on_the_card_and_in_the_trend()
    {
        Feed.CostReport = Report();

        var cut = Render<CostPage>();

        var card = cut.Find("[data-testid=total-this-month] .cost-total-value").TextContent.Trim();
        var trend = cut.Find("[data-month='2025-06'] .cost-trend-value").TextContent.Trim();
        Assert.Equal("$21.90", card);
        Assert.Equal(card, trend);
        Assert.Contains("(1 Jun)", cut.Find("[data-month='2025-06'] .cost-trend-label").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void A_namespace_filter_counts_its_share_of_a_shared_balancer_as_by_namespace_does()
    {
        Feed.CostReport = Report();
        Navigation.NavigateTo("cost?ns=catalog");

        var cut = Render<CostPage>();

        Assert.Equal([CostReports.ShopArn], Rows(cut));
        var byNamespace = cut.Find("tr[data-namespace=catalog]").QuerySelectorAll("td")[2].TextContent.Trim();
        // The shared ALB's $10.00 at catalog's 25 %: the card and the By-namespace row agree.
        Assert.Equal("$2.50", byNamespace);
        Assert.Contains("$2.50", cut.Find("[data-testid=total-mtd] .cost-total-value").TextContent, StringComparison.Ordinal);
        Assert.Contains("1 balancer (namespace catalog's share)", Text(cut, "total-mtd-scope"), StringComparison.Ordinal);
        Assert.Contains("whole cluster, filters do not apply", Text(cut, "total-this-month"), StringComparison.Ordinal);
        Assert.Equal("api/cost/export.csv?ns=catalog", cut.Find("[data-testid=cost-export]").GetAttribute("href"));
    }

    [Fact]
    public void The_namespace_column_shows_each_owners_share_and_the_team_says_where_it_comes_from()
    {
        Feed.CostReport = Report();

        var cut = Render<CostPage>();

        var shop = cut.Find($"tr[data-arn='{CostReports.ShopArn}']");
        var namespaces = shop.QuerySelectorAll("[data-namespace]").Select(n => string.Join(' ', n.TextContent.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries))).ToList();
        Assert.Equal(["storefront 75%", "catalog 25%"], namespaces);
        var nlb = cut.Find($"tr[data-arn='{CostReports.NlbArn}']");
        Assert.Equal("tag", nlb.QuerySelector("[data-team-source]")!.GetAttribute("data-team-source"));
        Assert.Contains("payments", nlb.QuerySelector("[data-team-source]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("$0.12", shop.QuerySelector("[data-testid=cost-ipv4]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("2", shop.QuerySelector("svg.cost-sparkline")!.GetAttribute("data-days"));
        Assert.Empty(nlb.QuerySelectorAll("svg.cost-sparkline"));
    }

    [Fact]
    public void A_header_click_sorts_by_its_column_and_a_second_click_reverses()
    {
        Feed.CostReport = Report();
        var cut = Render<CostPage>();

        cut.Find("button[data-sort=mtd]").Click();

        cut.WaitForAssertion(() => Assert.Equal([CostReports.GhostArn, CostReports.NlbArn, CostReports.ShopArn], Rows(cut)), Timeout);
        Assert.EndsWith("cost?sort=mtd", Navigation.Uri, StringComparison.Ordinal);
        Assert.Equal("ascending", cut.Find("button[data-sort=mtd]").ParentElement!.GetAttribute("aria-sort"));

        cut.Find("button[data-sort=mtd]").Click();

        cut.WaitForAssertion(() => Assert.Equal([CostReports.ShopArn, CostReports.NlbArn, CostReports.GhostArn], Rows(cut)), Timeout);
        Assert.EndsWith("cost?sort=-mtd", Navigation.Uri, StringComparison.Ordinal);
    }
}
