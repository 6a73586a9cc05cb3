using Bunit;
using Dashboard.Client.Authorization;
using Dashboard.Client.Components.Layout;
using Dashboard.Client.Feed;
using Dashboard.Client.Model;
using Dashboard.Client.Tests.Support;
using Microsoft.AspNetCore.Components;

namespace Dashboard.Client.Tests.Components.Layout;

public class MainLayoutTests : DashboardTestContext
{
    private IRenderedComponent<MainLayout> RenderLayout() =>
        Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddMarkupContent(0, "<p id='body'>page</p>"))));

    [Fact]
    public void The_staleness_banner_appears_when_a_source_goes_stale_and_leaves_when_it_is_live()
    {
        Feed.Sources = [Objects.Source("kubernetes", SourceState.Live)];
        var cut = RenderLayout();
        Assert.Empty(cut.FindAll(".staleness-banner"));
        Assert.NotNull(cut.Find("#body"));

        Feed.Push(FeedChange<SourceStatus>.Upsert("kubernetes", Objects.Source("kubernetes", SourceState.Stale, "watch failed: connection refused")));
        cut.WaitForAssertion(() =>
        {
            var banner = cut.Find(".staleness-banner");
            Assert.Contains("Kubernetes API is stale", banner.TextContent, StringComparison.Ordinal);
            Assert.Contains("11:59:18 UTC (42 seconds ago)", banner.TextContent, StringComparison.Ordinal);
            Assert.Contains("connection refused", banner.TextContent, StringComparison.Ordinal);
        }, Timeout);
        Assert.Equal("Stale", cut.Find("[data-source='kubernetes'].source-chip").GetAttribute("data-state"));

        Feed.Push(FeedChange<SourceStatus>.Upsert("kubernetes", Objects.Source("kubernetes", SourceState.Live, lastGood: Objects.Now)));
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".staleness-banner")), Timeout);
        Assert.Equal("Live", cut.Find("[data-source='kubernetes'].source-chip").GetAttribute("data-state"));
    }

    [Fact]
    public void The_ago_text_advances_with_the_clock()
    {
        Feed.Sources = [Objects.Source("aws-elbv2", SourceState.Stale, "Throttling: Rate exceeded")];
        var cut = RenderLayout();
        Assert.Contains("(42 seconds ago)", cut.Find(".staleness-banner").TextContent, StringComparison.Ordinal);

        Clock.Advance(TimeSpan.FromSeconds(10));

        cut.WaitForAssertion(() => Assert.Contains("(52 seconds ago)", cut.Find(".staleness-banner").TextContent, StringComparison.Ordinal), Timeout);
    }

    [Fact]
    public void Dark_mode_is_the_default_and_the_toggle_switches_it()
    {
        var cut = RenderLayout();
        var toggle = cut.Find(".theme-toggle");
        Assert.Equal("Switch to light mode", toggle.GetAttribute("aria-label"));

        toggle.Click();

        Assert.Equal("Switch to dark mode", cut.Find(".theme-toggle").GetAttribute("aria-label"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_cost_source_and_its_errors_are_shown_only_to_cost_readers(bool costReader)
    {
        if (!costReader)
        {
            Authorization.SetPolicies(DashboardPolicies.Viewer, DashboardPolicies.SignedIn);
        }
        Feed.Sources = [Objects.Source("kubernetes", SourceState.Live), Objects.Source(SourceStatusBoard.CostSourceKey, SourceState.Stale, "Cost Explorer: AccessDenied")];
        var cut = RenderLayout();
        Feed.Push(FeedChange<SourceStatus>.Upsert(SourceStatusBoard.CostSourceKey, Objects.Source(SourceStatusBoard.CostSourceKey, SourceState.Stale, "Cost Explorer: throttled")));
        Feed.Push(FeedChange<SourceStatus>.Upsert("kubernetes", Objects.Source("kubernetes", SourceState.Stale, "watch failed")));

        cut.WaitForAssertion(() => Assert.Equal("Stale", cut.Find("[data-source='kubernetes'].source-chip").GetAttribute("data-state")), Timeout);
        Assert.Equal(costReader, cut.FindAll($"[data-source='{SourceStatusBoard.CostSourceKey}'].source-chip").Count == 1);
        Assert.Equal(costReader, cut.FindAll($"[data-source='{SourceStatusBoard.CostSourceKey}'].staleness-banner").Count == 1);
        Assert.Equal(costReader, cut.Markup.Contains("Cost Explorer: throttled", StringComparison.Ordinal));
        Assert.DoesNotContain("AccessDenied", cut.Markup, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DashboardPolicies.Viewer, true, false)]
    [InlineData(DashboardPolicies.CostReader, false, true)]
    public void Navigation_offers_only_the_pages_the_user_may_open(string policy, bool offersServices, bool offersCost)
    {
        Authorization.SetPolicies(policy);
        var links = RenderLayout().FindAll("a").Select(a => a.GetAttribute("href")).ToList();

        Assert.Equal(offersServices, links.Contains(DashboardUrls.Services));
        Assert.Equal(offersServices, links.Contains(DashboardUrls.Ingresses));
        Assert.Equal(offersCost, links.Contains("cost"));
    }
}
