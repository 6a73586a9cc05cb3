using Bunit;
using Dashboard.Client.Components.Pages.LoadBalancers;
using Dashboard.Client.Feed;
using Dashboard.Client.Model;
using Dashboard.Client.Tests.Support;
using Microsoft.AspNetCore.Components.Web;
using static Dashboard.Client.Tests.Support.TopologyObjects;

namespace Dashboard.Client.Tests.LoadBalancers;

public class LoadBalancersPageTests : TopologyTestContext
{
    public LoadBalancersPageTests()
    {
        Topology.LoadBalancers =
        [
            ShopAlb(Target("10.0.1.5", "unhealthy", "Target.ResponseCodeMismatch"), Target("10.0.2.7", "healthy")),
            Balancer("k8s-mlops-forecast-nlb", owner: ForecastNlbService),
            Balancer("k8s-old-orphan", scheme: "internet-facing", healthy: 0, total: 0, flags: LoadBalancerFlags.Orphan | LoadBalancerFlags.NoTargets),
        ];
    }

    private static string[] Rows(IRenderedComponent<LoadBalancersPage> cut) =>
        [.. cut.FindAll("[data-testid='lb-row']").Select(r => r.GetAttribute("data-name")!)];

    [Fact]
    public void Shows_every_balancer_with_type_owners_listeners_targets_flags_and_data_age()
    {
        var cut = Render<LoadBalancersPage>();

        Assert.Equal(["k8s-mlops-forecast-nlb", "k8s-old-orphan", "k8s-shop-0123456789"], Rows(cut));
        var alb = cut.Find("[data-name='k8s-shop-0123456789']");
        Assert.Contains("ALB", alb.TextContent, StringComparison.Ordinal);
        Assert.Contains("HTTP:80 → HTTPS:443, HTTPS:443", alb.TextContent, StringComparison.Ordinal);
        Assert.Contains("1/2", alb.QuerySelector(".targets-cell")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("width: 50%", alb.QuerySelector(".health-bar-fill")!.GetAttribute("style"));
        Assert.Equal(["drift", "shared"], alb.QuerySelectorAll(".flag-chip").Select(c => c.GetAttribute("data-flag")!));
        Assert.Equal("endpoints/ingress/mlops/retail-forecast", alb.QuerySelector("[data-testid='owner-link']")!.GetAttribute("href"));
        Assert.Contains("+1", alb.TextContent, StringComparison.Ordinal);
        Assert.Equal("20s", alb.QuerySelector(".age")!.TextContent.Trim());
        Assert.Contains("none", cut.Find("[data-name='k8s-old-orphan']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Targets_all_initial_show_amber_and_turn_red_only_once_one_is_unhealthy()
    {
        var starting = ShopAlb(Target("10.0.1.5", "initial", "Elb.RegistrationInProgress"), Target("10.0.2.7", "initial"), Target("10.0.2.8", "initial"));
        Topology.LoadBalancers = [starting];
        var cut = Render<LoadBalancersPage>();

        var figure = cut.Find("[data-testid='lb-health']");
        Assert.Equal("0/3", figure.TextContent.Trim());
        Assert.Contains("health-warn-text", figure.ClassList);
        Assert.Contains("health-bar-pending", cut.Find(".health-bar").ClassList);

        var failing = ShopAlb(Target("10.0.1.5", "unhealthy", "Target.Timeout"), Target("10.0.2.7", "initial"), Target("10.0.2.8", "initial"));
        Topology.Push(FeedChange<LoadBalancerViewModel>.Upsert(failing.Key, failing));

        cut.WaitForAssertion(() => Assert.Contains("health-bad-text", cut.Find("[data-testid='lb-health']").ClassList), Timeout);
        Assert.DoesNotContain("health-bar-pending", cut.Find(".health-bar").ClassList);
    }

    [Fact]
    public void Filters_come_from_the_url_and_follow_later_navigation()
    {
        Navigation.NavigateTo("load-balancers?flags=orphan");
        var cut = Render<LoadBalancersPage>();

        Assert.Equal(["k8s-old-orphan"], Rows(cut));
        Assert.Equal("true", cut.Find("[data-flag='orphan'].flag-toggle").GetAttribute("aria-pressed"));

        Navigation.NavigateTo("load-balancers?type=alb");
        cut.WaitForAssertion(() => Assert.Equal(["k8s-shop-0123456789"], Rows(cut)), Timeout);

        Navigation.NavigateTo("load-balancers?scheme=internal&q=forecast");
        cut.WaitForAssertion(() => Assert.Equal(["k8s-mlops-forecast-nlb"], Rows(cut)), Timeout);
    }

    [Fact]
    public void A_flag_toggle_puts_the_filter_in_the_url()
    {
        var cut = Render<LoadBalancersPage>();

        cut.Find("[data-flag='drift'].flag-toggle").Click();

        Assert.EndsWith("load-balancers?flags=drift", Navigation.Uri, StringComparison.Ordinal);
        cut.WaitForAssertion(() => Assert.Equal(["k8s-shop-0123456789"], Rows(cut)), Timeout);
    }

    [Fact]
    public void A_bad_url_value_is_named_with_its_fix()
    {
        Navigation.NavigateTo("load-balancers?type=clb");
        var cut = Render<LoadBalancersPage>();

        Assert.Contains("Ignored type=clb: use alb or nlb.", cut.Find(".url-problem").TextContent, StringComparison.Ordinal);
        Assert.Equal(3, Rows(cut).Length);
    }

    [Fact]
    public void Upserts_and_deletes_arrive_live()
    {
        var cut = Render<LoadBalancersPage>();

        var added = Balancer("k8s-new-nlb");
        Topology.Push(FeedChange<LoadBalancerViewModel>.Upsert(added.Key, added));
        cut.WaitForAssertion(() => Assert.Contains("k8s-new-nlb", Rows(cut)), Timeout);

        Topology.Push(FeedChange<LoadBalancerViewModel>.Delete(Topology.LoadBalancers[2].Key));
        cut.WaitForAssertion(() => Assert.DoesNotContain("k8s-old-orphan", Rows(cut)), Timeout);
    }

    [Fact]
    public void Keyboard_moves_the_cursor_and_enter_opens_the_first_owners_endpoint()
    {
        var cut = Render<LoadBalancersPage>();
        var grid = cut.Find("[data-list-grid]");

        grid.KeyDown(new KeyboardEventArgs { Key = "End" });
        Assert.Equal("k8s-shop-0123456789", cut.Find(".row-cursor").GetAttribute("data-name"));

        cut.Find("[data-list-grid]").KeyDown(new KeyboardEventArgs { Key = "Enter" });

        Assert.EndsWith("/endpoints/ingress/mlops/retail-forecast", Navigation.Uri, StringComparison.Ordinal);
    }
}
