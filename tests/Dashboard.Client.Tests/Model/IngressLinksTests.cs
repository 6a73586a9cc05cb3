using System.Collections.Immutable;
using Dashboard.Client.Model;
using Dashboard.Client.Tests.Support;

namespace Dashboard.Client.Tests.Model;

public class IngressLinksTests
{
    [Fact]
    public void Host_uses_https_when_tls_covers_it_and_http_otherwise()
    {
        var plain = Objects.ForecastIngress() with { CertificateArn = null, ListenPorts = null };
        var withTls = plain with { Tls = [new IngressTlsView(["forecast.example.com"], "forecast-tls")] };

        Assert.Equal("http://forecast.example.com/api", IngressLinks.HostUrl(plain, "forecast.example.com", "/api"));
        Assert.Equal("https://forecast.example.com/", IngressLinks.HostUrl(withTls, "forecast.example.com", "/"));
        Assert.Equal("https://forecast.example.com/", IngressLinks.HostUrl(Objects.ForecastIngress(), "forecast.example.com"));
        Assert.Null(IngressLinks.HostUrl(plain, "*.example.com"));
        Assert.Null(IngressLinks.HostUrl(plain, null));
    }

    [Fact]
    public void Backend_links_to_the_service_selected_on_the_services_page()
    {
        Assert.Equal("services?selected=mlops/retail-forecast-svc",
            IngressLinks.ServiceUrl("mlops", new IngressBackendView("retail-forecast-svc", "80")));
        Assert.Null(IngressLinks.ServiceUrl("mlops", new IngressBackendView(null, null)));
    }

    [Fact]
    public void Annotations_are_decoded_known_first()
    {
        var decoded = AnnotationCatalog.Decode(ImmutableDictionary<string, string>.Empty
            .Add("team", "forecast")
            .Add("alb.ingress.kubernetes.io/scheme", "internet-facing")
            .Add("alb.ingress.kubernetes.io/actions.blue-green", "{}"));

        Assert.Equal(["alb.ingress.kubernetes.io/actions.blue-green", "alb.ingress.kubernetes.io/scheme", "team"], decoded.Select(d => d.Name));
        Assert.NotNull(decoded[0].Meaning);
        Assert.Null(decoded[2].Meaning);
    }
}
