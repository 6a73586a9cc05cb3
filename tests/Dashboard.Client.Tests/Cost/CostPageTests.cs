using Bunit;
using Dashboard.Client.Components.Pages.Cost;
using Dashboard.Client.Model;
using Dashboard.Client.Tests.Support;

namespace Dashboard.Client.Tests.Cost;

public sealed class CostPageTests : DashboardTestContext
{
    public CostPageTests()
    {
        Feed.CostReport = CostReports.Scenario();
        RenderPopoverProvider();
    }

    private static string[] Rows(IRenderedComponent<CostPage> cut) => [.. cut.FindAll("tr.cost-row").Select(r => r.GetAttribute("data-arn")!)];

    [Fact]
    public void Shows_the_totals_with_cost_explorer_against_the_estimate()
    {
        var cut = Render<CostPage>();

        Assert.Equal("Cost", cut.Find("h1").TextContent);
        Assert.Contains("$21.35", cut.Find("[data-testid=total-mtd]").TextContent, StringComparison.Ordinal);
        Assert.Contains("$61.40", cut.Find("[data-testid=total-projected]").TextContent, StringComparison.Ordinal);
        Assert.Contains("$70.00", cut.Find("[data-testid=total-projected]").TextContent, StringComparison.Ordinal);
        Assert.Contains("$58.12", cut.Find("[data-testid=total-last-month]").TextContent, StringComparison.Ordinal);
        var ce = cut.Find("[data-testid=total-ce]").TextContent;
        Assert.Contains("$16.50", ce, StringComparison.Ordinal);
        Assert.Contains("+$0.40 vs estimate $16.10", ce, StringComparison.Ordinal);
        Assert.Contains("2 of 3 balancers", ce, StringComparison.Ordinal);
        Assert.Contains("$17.60", cut.Find("[data-testid=total-waste]").TextContent, StringComparison.Ordinal);
        Assert.Contains("4 ($0.04 at $0.01 each)", cut.Find("[data-testid=cost-ce-requests]").TextContent, StringComparison.Ordinal);
        Assert.Contains("12,000 ($0.12 at $0.01 per 1,000; at this rate $432.00 a month)",
            string.Join(' ', cut.Find("[data-testid=cost-cw-metrics]").TextContent.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    [Fact]
    public void Lists_balancers_most_expensive_first_with_owner_links_shares_and_flags()
    {
        var cut = Render<CostPage>();

        Assert.Equal([CostReports.ShopArn, CostReports.GhostArn, CostReports.NlbArn], Rows(cut));
        var shop = cut.Find($"tr[data-arn='{CostReports.ShopArn}']");
        var links = shop.QuerySelectorAll("a.backend-link").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(["ingresses?selected=storefront/storefront", "ingresses?selected=catalog/catalog"], links);
        Assert.Contains("75%", shop.TextContent, StringComparison.Ordinal);
        var nlb = cut.Find($"tr[data-arn='{CostReports.NlbArn}']");
        Assert.Equal("services?selected=mlops/retail-forecast-nlb", nlb.QuerySelector("a.backend-link")!.GetAttribute("href"));
        Assert.Equal("mlops", nlb.QuerySelector("[data-namespace]")!.TextContent.Trim());
        Assert.Contains("forecasting", nlb.QuerySelector("[data-team-source]")!.TextContent, StringComparison.Ordinal);
        var ghost = cut.Find($"tr[data-arn='{CostReports.GhostArn}']");
        Assert.NotNull(ghost.QuerySelector("[data-flag=orphan]"));
        Assert.NotNull(ghost.QuerySelector("[data-flag=idle]"));
        Assert.Contains("(gone)", ghost.TextContent, StringComparison.Ordinal);
        Assert.Empty(ghost.QuerySelectorAll("a.backend-link"));
        Assert.Contains(cut.FindAll(".cost-fix"), fix => fix.TextContent.Contains("Service mlops/ghost no longer exists", StringComparison.Ordinal));
        Assert.Equal(3, cut.FindAll(".cost-namespaces tbody tr").Count);
        Assert.Equal("api/cost/export.csv", cut.Find("[data-testid=cost-export]").GetAttribute("href"));
    }

    [Theory]
    [InlineData("cost?ns=catalog", new[] { CostReports.ShopArn })]
    [InlineData("cost?type=network", new[] { CostReports.GhostArn, CostReports.NlbArn })]
    [InlineData("cost?idle=true", new[] { CostReports.GhostArn })]
    [InlineData("cost?ns=mlops&type=application", new string[0])]
    public void Filters_come_from_the_url(string url, string[] expected)
    {
        Navigation.NavigateTo(url);

        var cut = Render<CostPage>();

        Assert.Equal(expected, Rows(cut));
    }

    [Fact]
    public void Filters_follow_later_navigation()
    {
        var cut = Render<CostPage>();
        Assert.Equal(3, Rows(cut).Length);

        Navigation.NavigateTo("cost?ns=storefront");

        cut.WaitForAssertion(() => Assert.Equal([CostReports.ShopArn], Rows(cut)), Timeout);
        Assert.Contains("1 of 3", cut.Find(".toolbar-count").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stale_part_is_labelled_with_its_age_and_reason_while_its_figures_stay()
    {
        Feed.CostReport = CostReports.Scenario(new CostSourceInfo
        {
            Key = "ce-cluster-tag",
            DisplayName = "Cost Explorer, monthly by cluster tag",
            State = CostSourceState.Stale,
            AsOf = Objects.Now.AddHours(-7),
            Message = "AWS CostExplorer GetCostAndUsage failed with HTTP 400 LimitExceededException",
        });

        var cut = Render<CostPage>();

        var stale = cut.Find("[data-testid=cost-stale]").TextContent;
        Assert.Contains("Cost Explorer, monthly by cluster tag", stale, StringComparison.Ordinal);
        Assert.Contains("showing data as of", stale, StringComparison.Ordinal);
        Assert.Contains("7 hours ago", stale, StringComparison.Ordinal);
        Assert.Contains("LimitExceededException", stale, StringComparison.Ordinal);
        Assert.Contains("$58.12", cut.Find("[data-testid=total-last-month]").TextContent, StringComparison.Ordinal);
        Assert.Contains("stale", cut.Find("tr[data-source=ce-cluster-tag]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fresh_report_has_no_stale_label_and_an_unavailable_part_says_why()
    {
        var cut = Render<CostPage>();

        Assert.Empty(cut.FindAll("[data-testid=cost-stale]"));
        Assert.Contains("unavailable: not opted in", cut.Find("tr[data-source=ce-resource]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void The_trend_draws_a_bar_per_month_marking_the_unfinished_one()
    {
        var cut = Render<CostPage>();

        var months = cut.FindAll(".cost-trend-row");
        Assert.Equal(["2025-05", "2025-06"], months.Select(m => m.GetAttribute("data-month")));
        Assert.Contains("Jun 2025*", months[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("width: 100%", months[0].QuerySelector(".cost-trend-account")!.GetAttribute("style"), StringComparison.Ordinal);
    }

    [Fact]
    public void Refresh_asks_the_feed_again()
    {
        var cut = Render<CostPage>();

        cut.FindAll("button").Single(b => b.TextContent.Contains("Refresh", StringComparison.Ordinal)).Click();

        cut.WaitForAssertion(() => Assert.Equal(1, Feed.CostRefreshes), Timeout);
    }

    [Fact]
    public void Before_the_first_report_is_built_the_page_says_so_and_shows_the_report_when_it_arrives()
    {
        Feed.CostReport = null;
        var cut = Render<CostPage>();
        Assert.Contains("Reading costs", cut.Find(".cost-loading").TextContent, StringComparison.Ordinal);

        Feed.Push(CostReports.Scenario());

        cut.WaitForAssertion(() => Assert.Equal([CostReports.ShopArn, CostReports.GhostArn, CostReports.NlbArn], Rows(cut)), Timeout);
        Assert.Empty(cut.FindAll(".cost-loading"));
    }

    [Fact]
    public void A_newly_built_report_replaces_the_shown_one_live_through_the_url_filters()
    {
        Navigation.NavigateTo("cost?ns=mlops");
        var cut = Render<CostPage>();
        Assert.Equal([CostReports.GhostArn, CostReports.NlbArn], Rows(cut));

        // The orphan was deleted and the month moved on: the next report has two balancers and new totals.
        var previous = CostReports.Scenario();
        Feed.Push(previous with
        {
            AsOf = Objects.Now.AddMinutes(-1),
            Totals = previous.Totals with { MonthToDate = 30.25m },
            Balancers = [.. previous.Balancers.Where(b => b.Arn != CostReports.GhostArn)],
        });

        cut.WaitForAssertion(() => Assert.Equal([CostReports.NlbArn], Rows(cut)), Timeout);
        // The cards follow the filter: mlops's one balancer ($5.65 + $0.45), not the report's total.
        Assert.Contains("$6.10", cut.Find("[data-testid=total-mtd]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("$30.25", cut.Find("[data-testid=total-mtd]").TextContent, StringComparison.Ordinal);
        Assert.Contains("1 of 2 balancers", cut.Find(".toolbar-count").TextContent, StringComparison.Ordinal);
        Assert.Contains("(a minute ago)", cut.Find("[data-testid=cost-asof]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Leaving_the_page_ends_its_subscription()
    {
        var cut = Render<CostPage>();
        Assert.False(Feed.CostReportToken.IsCancellationRequested);

        await cut.Instance.DisposeAsync().AsTask().WaitAsync(Timeout);

        Assert.True(Feed.CostReportToken.IsCancellationRequested);
    }
}
