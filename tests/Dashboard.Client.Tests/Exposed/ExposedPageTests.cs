using System.Collections.Immutable;
using Bunit;
using Dashboard.Client.Components.Pages.Exposed;
using Dashboard.Client.Exposed;
using Dashboard.Client.Feed;
using Dashboard.Client.Model;
using Dashboard.Client.Tests.Support;
using static Dashboard.Client.Tests.Support.Objects;

namespace Dashboard.Client.Tests.Exposed;

public class ExposedPageTests : DashboardTestContext
{
    private static readonly ObjectRef ForecastNlbRef = new(ObjectKind.Service, "mlops", "retail-forecast-nlb");

    public ExposedPageTests()
    {
        // An internet-facing NLB with no source range; an internal one narrowed to the VPC; an ALB Ingress with TLS but no WAF;
        // a ClusterIP Service that is not exposed at all.
        var narrowed = PendingLoadBalancer("payments", "payments-api-nlb") with
        {
            ExternalPending = false,
            LoadBalancer = PendingLoadBalancer("payments", "payments-api-nlb").LoadBalancer! with
            {
                Controller = LoadBalancerController.AwsLoadBalancerController,
                Scheme = "internet-facing",
                SourceRanges = ["10.0.0.0/8"],
            },
        };
        Feed.Services = [ForecastNlb(), narrowed, Service("mlops", "retail-forecast-svc")];
        Feed.Ingresses = [ForecastIngress()];
        Feed.LoadBalancers =
        [
            TopologyObjects.Balancer("k8s-mlops-retailfo", scheme: "internet-facing", owner: ForecastNlbRef),
            TopologyObjects.Balancer("k8s-shop-0123456789", type: "application", scheme: "internet-facing", owner: new ObjectRef(ObjectKind.Ingress, "mlops", "retail-forecast")),
        ];
    }

    private static string[] Keys(IRenderedComponent<ExposedPage> cut) =>
        [.. cut.FindAll(".exposed-grid .grid-row").Select(r => r.GetAttribute("data-key")!)];

    [Fact]
    public void Lists_each_exposed_address_with_urls_dns_type_scheme_ranges_waf_and_tls()
    {
        var cut = Render<ExposedPage>();

        Assert.Equal(["Ingress/mlops/retail-forecast", "Service/mlops/retail-forecast-nlb", "Service/payments/payments-api-nlb"], Keys(cut));
        var ingress = cut.Find("[data-key='Ingress/mlops/retail-forecast']");
        Assert.Equal("endpoints/ingress/mlops/retail-forecast", ingress.QuerySelector("a")!.GetAttribute("href"));
        Assert.Contains("http://forecast.example.com/", ingress.TextContent, StringComparison.Ordinal);
        Assert.Contains("k8s-shop-0123456789.elb.ap-southeast-1.amazonaws.com", ingress.TextContent, StringComparison.Ordinal);
        Assert.Contains("ALB", ingress.TextContent, StringComparison.Ordinal);
        Assert.Contains("abcd1234-5678", ingress.TextContent, StringComparison.Ordinal);
        Assert.Contains("ssl-redirect 443", ingress.TextContent, StringComparison.Ordinal);
        // The NLB's URL uses the balancer's DNS name from AWS, not the Service's status.
        var nlb = cut.Find("[data-key='Service/mlops/retail-forecast-nlb']");
        Assert.Contains("tcp://k8s-mlops-retailfo.elb.ap-southeast-1.amazonaws.com:80", nlb.TextContent, StringComparison.Ordinal);
        Assert.Contains("NLB", nlb.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Flags_an_internet_facing_balancer_without_source_ranges_as_open_to_every_address()
    {
        var cut = Render<ExposedPage>();

        Assert.Equal(["Ingress/mlops/retail-forecast", "Service/mlops/retail-forecast-nlb"],
            cut.FindAll("[data-testid='open-to-everyone']").Select(e => e.Closest(".grid-row")!.GetAttribute("data-key")!));
        Assert.Contains("10.0.0.0/8", cut.Find("[data-key='Service/payments/payments-api-nlb']").TextContent, StringComparison.Ordinal);

        // Narrowing the NLB's source ranges clears its flag live.
        var narrowed = ForecastNlb() with { LoadBalancer = ForecastNlb().LoadBalancer! with { SourceRanges = ["203.0.113.0/24"] } };
        Feed.Push(FeedChange<ServiceViewModel>.Upsert(narrowed.Key, narrowed));
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid='open-to-everyone']")), Timeout);
    }

    [Fact]
    public void Download_csv_writes_the_rows_shown_with_the_filters_applied()
    {
        var module = JSInterop.SetupModule("./_content/Dashboard.Client/metrics.js");
        module.SetupVoid("downloadText", _ => true).SetVoidResult();
        Navigation.NavigateTo("exposed?ns=mlops");
        var cut = Render<ExposedPage>();

        cut.Find("[data-testid='exposed-csv']").Click();

        cut.WaitForState(() => module.Invocations.Any(i => i.Identifier == "downloadText"), Timeout);
        var call = module.Invocations.Single(i => i.Identifier == "downloadText");
        Assert.Equal("exposed-endpoints.csv", call.Arguments[0]);
        var lines = ((string)call.Arguments[1]!).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(',', ExposedEndpoints.CsvHeader), lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("Ingress,mlops,retail-forecast,http://forecast.example.com/ https://forecast.example.com/,k8s-shop-0123456789.elb.ap-southeast-1.amazonaws.com,ALB,internet-facing,,true,,arn:aws:acm:", lines[1], StringComparison.Ordinal);
        Assert.EndsWith(",443", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("Service,mlops,retail-forecast-nlb,", lines[2], StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.Contains("payments", StringComparison.Ordinal));
    }

    [Fact]
    public void Csv_escapes_commas_quotes_and_formula_cells()
    {
        var row = new ExposedEndpoint
        {
            Endpoint = new ObjectRef(ObjectKind.Service, "ns", "=cmd"),
            BalancerType = "NLB",
            Scheme = "internal",
            SourceRanges = ImmutableArray.Create("10.0.0.0/8"),
            CertificateArn = "arn:a,arn:\"b\"",
        };

        var line = ExposedEndpoints.ToCsv([row]).Split("\r\n")[1];

        Assert.Equal("Service,ns,'=cmd,,,NLB,internal,10.0.0.0/8,false,,\"arn:a,arn:\"\"b\"\"\",", line);
    }
}
