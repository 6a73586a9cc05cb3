using Bunit;
using Dashboard.Client.Components.Pages.Services;
using Dashboard.Client.Feed;
using Dashboard.Client.Model;
using Dashboard.Client.Tests.Support;
using Microsoft.AspNetCore.Components.Web;

namespace Dashboard.Client.Tests.Components.Pages;

public class ServicesPageTests : DashboardTestContext
{
    public ServicesPageTests()
    {
        Feed.Services =
        [
            Objects.ForecastNlb(),
            Objects.PendingLoadBalancer("mlops", "retail-forecast-pending"),
            Objects.Service("payments", "ledger"),
            Objects.Service("kube-system", "kube-dns"),
        ];
        RenderPopoverProvider();
    }

    private static string[] RowKeys(IRenderedComponent<ServicesPage> cut) =>
        [.. cut.FindAll(".grid-row").Select(r => r.GetAttribute("data-key")!)];

    [Fact]
    public void Shows_the_snapshot_sorted_by_namespace_and_name()
    {
        var cut = Render<ServicesPage>();

        Assert.Equal(["kube-system/kube-dns", "mlops/retail-forecast-nlb", "mlops/retail-forecast-pending", "payments/ledger"], RowKeys(cut));
        Assert.Contains("4 of 4", cut.Find(".toolbar-count").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Applies_an_upsert_and_a_delete_pushed_after_the_snapshot()
    {
        var cut = Render<ServicesPage>();

        Feed.Push(FeedChange<ServiceViewModel>.Upsert("mlops/new-api", Objects.Service("mlops", "new-api")));
        cut.WaitForAssertion(() => Assert.Contains("mlops/new-api", RowKeys(cut)), Timeout);

        Feed.Push(FeedChange<ServiceViewModel>.Delete("payments/ledger"));
        cut.WaitForAssertion(() => Assert.DoesNotContain("payments/ledger", RowKeys(cut)), Timeout);
        Assert.Equal(["kube-system/kube-dns", "mlops/new-api", "mlops/retail-forecast-nlb", "mlops/retail-forecast-pending"], RowKeys(cut));
    }

    [Fact]
    public void Filters_come_from_the_url_and_follow_later_navigation()
    {
        // "nlb" alone would also match the pending Service: search matches the decoded balancer type too.
        Navigation.NavigateTo("services?ns=mlops&type=LoadBalancer&q=forecast-nlb");

        var cut = Render<ServicesPage>();

        Assert.Equal(["mlops/retail-forecast-nlb"], RowKeys(cut));

        Navigation.NavigateTo("services?q=ledger");
        cut.WaitForAssertion(() => Assert.Equal(["payments/ledger"], RowKeys(cut)), Timeout);
    }

    [Fact]
    public void The_scheme_filter_comes_from_the_url_and_keeps_internet_facing_balancers()
    {
        Navigation.NavigateTo("services?scheme=internet-facing");

        var cut = Render<ServicesPage>();

        Assert.NotNull(cut.Find(".second-filter"));
        Assert.All(RowKeys(cut), key => Assert.Equal("internet-facing", Feed.Services.Single(s => s.Key == key).LoadBalancer?.Scheme));
        Assert.Contains("mlops/retail-forecast-nlb", RowKeys(cut));
    }

    [Fact]
    public void A_load_balancer_without_address_shows_a_pending_chip_and_lints_show_as_icons()
    {
        var cut = Render<ServicesPage>();

        var pending = cut.Find("[data-key='mlops/retail-forecast-pending']");
        Assert.Equal("pending", pending.QuerySelector(".pending-chip")!.TextContent.Trim());
        var nlb = cut.Find("[data-key='mlops/retail-forecast-nlb']");
        Assert.Null(nlb.QuerySelector(".pending-chip"));
        Assert.NotNull(nlb.QuerySelector("[data-lint='open-source-ranges']"));
        Assert.Contains("AWS LBC", nlb.TextContent, StringComparison.Ordinal);
        Assert.Contains("internet-facing", nlb.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Clicking_a_row_puts_it_in_the_url_and_opens_decoded_details()
    {
        Feed.Details["Service/mlops/retail-forecast-nlb"] = new ObjectDetail
        {
            Kind = ObjectKind.Service,
            Namespace = "mlops",
            Name = "retail-forecast-nlb",
            Yaml = "apiVersion: v1\nkind: Service\n",
            Endpoints = [new EndpointView("10.0.1.5", "forecast-7d9f-abc", "ip-10-0-1-20", "ap-southeast-1a", true, true, false)],
            AsOf = Objects.Now,
        };
        var cut = Render<ServicesPage>();

        cut.Find("[data-key='mlops/retail-forecast-nlb']").Click();

        Assert.EndsWith("services?selected=mlops/retail-forecast-nlb", Navigation.Uri, StringComparison.Ordinal);
        var panel = cut.WaitForElement(".detail-panel", Timeout);
        Assert.Contains("retail-forecast-nlb", panel.QuerySelector(".detail-name")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(panel.QuerySelector("[data-annotation='service.beta.kubernetes.io/aws-load-balancer-healthcheck-path']"));
        Assert.Contains("No source ranges restrict", panel.QuerySelector("[data-lint='open-source-ranges']")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Details as of 2025-06-01 12:00:00 UTC", panel.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Keyboard_moves_the_cursor_opens_with_enter_and_closes_with_escape()
    {
        var cut = Render<ServicesPage>();
        var grid = cut.Find("[data-list-grid]");

        grid.KeyDown(new KeyboardEventArgs { Key = "j" });
        grid.KeyDown(new KeyboardEventArgs { Key = "ArrowDown" });
        Assert.Equal("mlops/retail-forecast-nlb", cut.Find(".row-cursor").GetAttribute("data-key"));

        cut.Find("[data-list-grid]").KeyDown(new KeyboardEventArgs { Key = "Enter" });
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".detail-panel")), Timeout);
        Assert.Contains("selected=mlops/retail-forecast-nlb", Navigation.Uri, StringComparison.Ordinal);

        cut.Find("[data-list-grid]").KeyDown(new KeyboardEventArgs { Key = "k" });
        cut.WaitForAssertion(() => Assert.Contains("selected=kube-system/kube-dns", Navigation.Uri, StringComparison.Ordinal), Timeout);

        cut.Find("[data-list-grid]").KeyDown(new KeyboardEventArgs { Key = "Escape" });
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".detail-panel")), Timeout);
        Assert.DoesNotContain("selected=", Navigation.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public void The_page_reads_the_details_once_per_selection_and_again_on_reload()
    {
        Feed.Services = [Objects.ForecastNlb()];
        Feed.Details["Service/mlops/retail-forecast-nlb"] = new ObjectDetail
        {
            Kind = ObjectKind.Service,
            Namespace = "mlops",
            Name = "retail-forecast-nlb",
            Yaml = "kind: Service\n",
            AsOf = Objects.Now,
        };
        Navigation.NavigateTo("services?selected=mlops/retail-forecast-nlb");
        var cut = Render<ServicesPage>();
        cut.WaitForAssertion(() => Assert.Contains("Details as of", cut.Find(".detail-panel").TextContent, StringComparison.Ordinal), Timeout);

        // A live change of the Service re-renders the panel without reading the details again.
        Feed.Push(FeedChange<ServiceViewModel>.Upsert("mlops/retail-forecast-nlb", Objects.ForecastNlb() with { ClusterIp = "10.100.9.9" }));
        cut.WaitForAssertion(() => Assert.Contains("10.100.9.9", cut.Find(".detail-panel").TextContent, StringComparison.Ordinal), Timeout);
        Assert.Equal(["Service/mlops/retail-forecast-nlb"], Feed.DetailRequests);

        cut.Find("button[aria-label='Reload details']").Click();

        cut.WaitForAssertion(() => Assert.Equal(2, Feed.DetailRequests.Count), Timeout);
    }

    [Fact]
    public void A_pasted_link_to_an_unknown_service_says_so_instead_of_failing()
    {
        Navigation.NavigateTo("services?selected=mlops/gone");

        var cut = Render<ServicesPage>();

        Assert.Contains("No Service named mlops/gone is known", cut.Find(".detail-panel").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disposing_the_page_cancels_its_subscription()
    {
        var cut = Render<ServicesPage>();
        Assert.False(Feed.ServicesToken.IsCancellationRequested);

        // DisposeAsync returns only after the background reader has stopped.
        await cut.Instance.DisposeAsync().AsTask().WaitAsync(Timeout);

        Assert.True(Feed.ServicesToken.IsCancellationRequested);
    }
}
