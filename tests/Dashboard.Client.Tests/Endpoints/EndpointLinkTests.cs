using Bunit;
using Dashboard.Client.Components.Pages.Ingresses;
using Dashboard.Client.Components.Pages.Services;
using Dashboard.Client.Tests.Support;

namespace Dashboard.Client.Tests.Endpoints;

/// <summary>The Services and Ingresses pages link their load-balanced objects to the endpoint page.</summary>
public class EndpointLinkTests : DashboardTestContext
{
    public EndpointLinkTests() => RenderPopoverProvider();

    [Fact]
    public void Load_balancer_services_link_to_their_endpoint_from_the_row_and_the_details()
    {
        Feed.Services = [Objects.ForecastNlb(), Objects.Service("payments", "ledger")];
        Navigation.NavigateTo("services?selected=mlops/retail-forecast-nlb");

        var cut = Render<ServicesPage>();

        Assert.Equal("endpoints/service/mlops/retail-forecast-nlb",
            cut.Find("[data-key='mlops/retail-forecast-nlb'] [data-testid='endpoint-link']").GetAttribute("href"));
        Assert.Empty(cut.Find("[data-key='payments/ledger']").QuerySelectorAll("[data-testid='endpoint-link']"));
        Assert.Equal("endpoints/service/mlops/retail-forecast-nlb", cut.Find(".detail-panel [data-testid='endpoint-link']").GetAttribute("href"));
    }

    [Fact]
    public void Ingresses_link_to_their_endpoint_from_the_row_and_the_details()
    {
        Feed.Ingresses = [Objects.ForecastIngress()];
        Navigation.NavigateTo("ingresses?selected=mlops/retail-forecast");

        var cut = Render<IngressesPage>();

        Assert.Equal("endpoints/ingress/mlops/retail-forecast",
            cut.Find("[data-key='mlops/retail-forecast'] [data-testid='endpoint-link']").GetAttribute("href"));
        Assert.Equal("endpoints/ingress/mlops/retail-forecast", cut.Find(".detail-panel [data-testid='endpoint-link']").GetAttribute("href"));
    }
}
