using System.Net;
using System.Text;
using System.Text.Json;
using Dashboard.Sandbox.Aws;
using Dashboard.Sandbox.Aws.CloudWatch;
using Dashboard.Sandbox.Tests.Aws;
using Dashboard.Sandbox.Tests.LoadBalancerController;
using Dashboard.Testing;

namespace Dashboard.Sandbox.Tests.DataPlane;

/// <summary>
/// The scenario's balancers answer real HTTP through the data plane: the seed's curl commands (§6.2, §4) work against the
/// balancer names and the custom host, routed by the listeners, answered by the simulated pods, counted in CloudWatch.
/// </summary>
public sealed class DataPlaneTests(DataPlaneFixture fixture) : IClassFixture<DataPlaneFixture>
{
    [Fact]
    public async Task Plain_HTTP_to_the_seed_ALB_finds_no_listener_because_a_certificate_makes_the_default_HTTPS_443_only()
    {
        // listen-ports defaults to HTTPS:443 when certificate-arn is set, so ssl-redirect has no HTTP listener to act on.
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => fixture.Client.GetAsync("http://api.retail-forecast.com/healthz"));

        Assert.DoesNotContain(fixture.Host.AwsWorld.GetListeners(fixture.RetailAlb.Arn), l => l.Port == 80);
        Assert.NotNull(error.InnerException);
    }

    [Fact]
    public async Task HTTPS_health_check_path_answers_from_a_retail_forecast_pod_with_the_listener_certificate()
    {
        using var response = await fixture.Client.GetAsync("https://api.retail-forecast.com/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.StartsWith("mlops/retail-forecast", response.Headers.GetValues("X-Sandbox-Pod").Single(), StringComparison.Ordinal);
        // The seed's certificate covers retail-forecast.com and www., not api. (the planted mistake): a client sees exactly that.
        var certificate = fixture.LastCertificate!;
        var world = fixture.Host.AwsWorld;
        var acm = world.FindCertificate(world.GetListeners(fixture.RetailAlb.Arn).Single(l => l.Protocol == "HTTPS").Certificates[0].CertificateArn)!;
        Assert.Equal("CN=" + acm.DomainName, certificate.Subject);
        Assert.False(certificate.MatchesHostname("api.retail-forecast.com"));
        Assert.Equal(acm.NotAfter.UtcDateTime, certificate.NotAfter.ToUniversalTime(), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task POST_predict_answers_the_seeds_inference_JSON()
    {
        using var content = new StringContent("""{"features":{"store_id":1,"product_id":123,"date":"2024-01-01","price":29.99,"promotion":0}}""", Encoding.UTF8, "application/json");
        using var response = await fixture.Client.PostAsync("https://api.retail-forecast.com/predict", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.InRange(body.GetProperty("prediction").GetDouble(), 50, 250);
        Assert.Equal("v1.0", body.GetProperty("model_version").GetString());
    }

    [Fact]
    public async Task A_name_that_leads_to_no_balancer_is_refused_and_the_sandbox_DNS_answers_as_Route_53_would()
    {
        using var response = await fixture.Client.GetAsync("http://shop.example.com/");

        Assert.Equal(HttpStatusCode.MisdirectedRequest, response.StatusCode);
        var dns = fixture.Host.DataPlane.Dns;
        Assert.False(dns.Resolve("shop.example.com").Exists);
        var api = dns.Resolve("API.retail-forecast.com.");
        Assert.True(api.Exists);
        Assert.Equal(fixture.RetailAlb.DnsName.ToLowerInvariant(), Assert.Single(api.CanonicalNames));
        Assert.Equal(dns.Resolve(fixture.RetailAlb.DnsName).Addresses.ToArray(), api.Addresses.ToArray());
        Assert.NotEmpty(api.Addresses);
    }

    [Fact]
    public async Task An_NLB_forwards_plain_TCP_traffic_to_its_targets()
    {
        var nlb = fixture.Host.AwsWorld.GetLoadBalancers().First(lb => lb.Type == LoadBalancerType.Network
            && fixture.Host.AwsWorld.GetListeners(lb.Arn).Any(l => l.Protocol == "TCP" && l.Port == 80)
            && fixture.Host.AwsWorld.GetTargetGroupsOf(lb.Arn).Any(g => fixture.Host.AwsWorld.GetTargets(g.Arn).Count > 0));

        using var response = await fixture.Client.GetAsync($"http://{nlb.DnsName}/");

        Assert.NotEqual("awselb/2.0", response.Headers.Server.ToString());
        Assert.True(response.Headers.Contains("X-Sandbox-Pod"));
    }

    [Fact]
    public async Task Traffic_through_the_data_plane_is_what_the_AWS_CLI_reads_as_RequestCount()
    {
        // The shop ALB with its background traffic switched off: every request counted is one sent here.
        var world = fixture.Host.AwsWorld;
        var shop = world.GetLoadBalancers().Single(lb => world.GetTags(lb.Arn).GetValueOrDefault("ingress.k8s.aws/stack") == "shop");
        fixture.Host.AwsTraffic.SetProfile(shop.Arn, new TrafficProfile { PeakRequestsPerSecond = 0 });
        var minute = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 60 * 60);
        for (var i = 0; i < 7; i++)
        {
            using var response = await fixture.Client.GetAsync($"https://{shop.DnsName}/");
        }
        var sent = fixture.Host.AwsTraffic.MeasuredRequests(shop.Arn, minute)
            + fixture.Host.AwsTraffic.MeasuredRequests(shop.Arn, minute.AddMinutes(1));
        Assert.Equal(7, sent);

        using var cli = new AwsCli(fixture.Host.AwsUri);
        var query = JsonSerializer.Serialize(new[]
        {
            new
            {
                Id = "requests",
                MetricStat = new
                {
                    Metric = new { Namespace = "AWS/ApplicationELB", MetricName = "RequestCount", Dimensions = new[] { new { Name = "LoadBalancer", Value = shop.MetricDimension } } },
                    Period = 60,
                    Stat = "Sum",
                },
            },
        });
        var start = minute.AddMinutes(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        // CloudWatch publishes a minute once it is complete: wait (bounded) until every minute with traffic is.
        var lastTrafficMinute = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 60 * 60);
        // (The wait is up to a minute and a second by itself, so its bound is that plus the usual patience.)
        Assert.True(await Wait.UntilAsync(() => DateTimeOffset.UtcNow >= lastTrafficMinute.AddMinutes(1).AddSeconds(1), TimeSpan.FromMinutes(1) + Patience.Eventually),
            "the minute with the traffic is complete");
        var end = DateTimeOffset.UtcNow.AddMinutes(1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var json = await cli.JsonAsync("cloudwatch", "get-metric-data", "--metric-data-queries", query, "--start-time", start, "--end-time", end);
        var counted = json.GetProperty("MetricDataResults")[0].GetProperty("Values").EnumerateArray().Sum(v => v.GetDouble());
        Assert.Equal(7, counted);
    }
}
