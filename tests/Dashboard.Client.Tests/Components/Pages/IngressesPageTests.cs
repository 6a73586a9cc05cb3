using Bunit;
using Dashboard.Client.Components.Pages.Ingresses;
using Dashboard.Client.Feed;
using Dashboard.Client.Model;
using Dashboard.Client.Tests.Support;

namespace Dashboard.Client.Tests.Components.Pages;

public class IngressesPageTests : DashboardTestContext
{
    public IngressesPageTests()
    {
        Feed.Ingresses = [Objects.ForecastIngress()];
        RenderPopoverProvider();
    }

    [Fact]
    public void Backends_link_to_their_service_and_hosts_open_over_https()
    {
        var cut = Render<IngressesPage>();

        var row = cut.Find("[data-key='mlops/retail-forecast']");
        Assert.Equal("services?selected=mlops/retail-forecast-svc", row.QuerySelector(".backend-link")!.GetAttribute("href"));
        Assert.Equal("https://forecast.example.com/", row.QuerySelector(".host-link")!.GetAttribute("href"));
        Assert.Contains("+1", row.TextContent, StringComparison.Ordinal);
        Assert.NotNull(row.QuerySelector(".deprecated-class"));
        Assert.Contains("shop (order 10)", row.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Details_list_every_route_with_its_backend_link()
    {
        Navigation.NavigateTo("ingresses?selected=mlops/retail-forecast");

        var cut = Render<IngressesPage>();

        var links = cut.FindAll(".detail-panel .routes-table .backend-link").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(["services?selected=mlops/retail-forecast-svc", "services?selected=mlops/retail-forecast-api"], links);
        Assert.Contains("deprecated kubernetes.io/ingress.class", cut.Find(".detail-panel").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void An_https_only_ingress_shows_the_listener_aws_makes_and_every_annotation_with_a_meaning()
    {
        Feed.Ingresses =
        [
            Objects.ForecastIngress() with
            {
                ListenPorts = null,
                SslRedirect = null,
                Listeners = [new IngressListenerView("HTTPS", 443, FromDefault: true)],
                Annotations = System.Collections.Immutable.ImmutableDictionary<string, string>.Empty
                    .Add("alb.ingress.kubernetes.io/certificate-arn", "arn:aws:acm:ap-southeast-1:111122223333:certificate/abcd1234-5678")
                    .Add("alb.ingress.kubernetes.io/frontend-nlb-scheme", "internal")
                    .Add("alb.ingress.kubernetes.io/healthcheck-paht", "/ready")
                    .Add("example.com/owner", "team-a"),
            },
        ];
        Navigation.NavigateTo("ingresses?selected=mlops/retail-forecast");

        var cut = Render<IngressesPage>();

        var panel = cut.Find(".detail-panel");
        Assert.Contains("HTTPS:443 (default with certificate-arn)", panel.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("HTTP 80", panel.TextContent, StringComparison.Ordinal);
        var meanings = cut.FindAll(".annotation-table tbody tr").Select(r => r.Children[1].TextContent.Trim()).ToList();
        Assert.Equal(4, meanings.Count);
        Assert.All(meanings, m => Assert.NotEqual("—", m));
        Assert.Contains(meanings, m => m.Contains("no effect", StringComparison.Ordinal));
    }

    [Fact]
    public void Class_filter_from_the_url_and_a_pushed_ingress()
    {
        Navigation.NavigateTo("ingresses?class=alb");
        var cut = Render<IngressesPage>();

        Feed.Push(FeedChange<IngressViewModel>.Upsert("web/nginx-one", Objects.ForecastIngress() with { Namespace = "web", Name = "nginx-one", IngressClass = "nginx" }));
        Feed.Push(FeedChange<IngressViewModel>.Upsert("web/alb-two", Objects.ForecastIngress() with { Namespace = "web", Name = "alb-two" }));

        cut.WaitForAssertion(
            () => Assert.Equal(["mlops/retail-forecast", "web/alb-two"], cut.FindAll(".grid-row").Select(r => r.GetAttribute("data-key"))),
            Timeout);
    }
}
