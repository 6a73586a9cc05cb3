using System.Net;
using System.Text.Json;
using Dashboard.Server.Tests.Authentication;

namespace Dashboard.Server.Tests.Api;

/// <summary>GET /api/v1/exposed against the sandbox's seed scenario: the rows, the open-to-everyone flag, CSV by format and by Accept.</summary>
public sealed class ExposedApiTests(ApiScenarioFixture fixture) : IClassFixture<ApiScenarioFixture>
{
    [Fact]
    public async Task Each_exposed_address_has_its_balancer_dns_name_scheme_ranges_waf_and_tls()
    {
        var (status, body, _) = await fixture.GetAsync("/api/v1/exposed?namespace=mlops");

        Assert.Equal(HttpStatusCode.OK, status);
        var items = body.GetProperty("items").EnumerateArray().ToList();
        Assert.All(items, r => Assert.Equal("mlops", r.GetProperty("endpoint").GetProperty("namespace").GetString()));
        var (_, balancers, _) = await fixture.GetAsync("/api/v1/load-balancers?limit=1000");
        string DnsOf(string kind, string name) => balancers.GetProperty("items").EnumerateArray()
            .Single(lb => lb.GetProperty("owners").EnumerateArray().Any(o => o.GetProperty("kind").GetString() == kind && o.GetProperty("name").GetString() == name && o.GetProperty("namespace").GetString() == "mlops"))
            .GetProperty("dnsName").GetString()!;

        // The in-tree NLB whose loadBalancerSourceRanges is 0.0.0.0/0: open to every address, its URLs on the balancer's DNS name.
        var nlb = Assert.Single(items, r => r.GetProperty("endpoint").GetProperty("name").GetString() == "retail-forecast-loadbalancer");
        Assert.Equal("Service", nlb.GetProperty("endpoint").GetProperty("kind").GetString());
        Assert.Equal("NLB", nlb.GetProperty("type").GetString());
        Assert.Equal("internet-facing", nlb.GetProperty("scheme").GetString());
        Assert.Equal(["0.0.0.0/0"], nlb.GetProperty("sourceRanges").EnumerateArray().Select(s => s.GetString()!));
        Assert.True(nlb.GetProperty("openToEveryone").GetBoolean());
        var nlbDns = DnsOf("Service", "retail-forecast-loadbalancer");
        Assert.Equal(nlbDns, nlb.GetProperty("dnsName").GetString());
        Assert.Contains($"tcp://{nlbDns}:80", nlb.GetProperty("urls").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal(JsonValueKind.Null, nlb.GetProperty("wafAclArn").ValueKind);

        // The ALB Ingress: its host with http and https, the WAF ACL, the certificate and the ssl-redirect.
        var alb = Assert.Single(items, r => r.GetProperty("endpoint").GetProperty("name").GetString() == "retail-forecast-alb-ingress");
        Assert.Equal("ALB", alb.GetProperty("type").GetString());
        Assert.Equal(DnsOf("Ingress", "retail-forecast-alb-ingress"), alb.GetProperty("dnsName").GetString());
        Assert.Contains("https://api.retail-forecast.com/", alb.GetProperty("urls").EnumerateArray().Select(u => u.GetString()));
        Assert.Contains(":regional/webacl/retail-forecast-waf/", alb.GetProperty("wafAclArn").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("arn:aws:acm:", alb.GetProperty("certificateArn").GetString(), StringComparison.Ordinal);
        Assert.Equal("443", alb.GetProperty("sslRedirect").GetString());
    }

    [Fact]
    public async Task Csv_by_format_or_accept_has_a_header_and_one_line_per_json_row()
    {
        var (_, json, _) = await fixture.GetAsync("/api/v1/exposed?limit=1000");
        var count = json.GetProperty("items").GetArrayLength();
        Assert.True(count >= 2);

        using var byFormat = await fixture.Client.GetAsUserAsync("/api/v1/exposed?format=csv", ApiScenarioFixture.AllRoles);
        Assert.Equal(HttpStatusCode.OK, byFormat.StatusCode);
        Assert.Equal("text/csv", byFormat.Content.Headers.ContentType?.MediaType);
        var lines = (await byFormat.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("kind,namespace,name,urls,dns_name,type,scheme,source_ranges,open_to_everyone,waf_acl,certificate,ssl_redirect", lines[0], StringComparison.Ordinal);
        Assert.Equal(count + 1, lines.Length);
        Assert.Contains(lines, l => l.StartsWith("Service,mlops,retail-forecast-loadbalancer,", StringComparison.Ordinal) && l.Contains(",0.0.0.0/0,true,", StringComparison.Ordinal));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/exposed");
        request.Headers.Add(TestAuthenticationHandler.RolesHeader, ApiScenarioFixture.AllRoles);
        request.Headers.Accept.ParseAdd("text/csv");
        using var byAccept = await fixture.Client.SendAsync(request);
        Assert.Equal("text/csv", byAccept.Content.Headers.ContentType?.MediaType);
        Assert.Equal(count + 1, (await byAccept.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task An_unknown_format_is_refused_naming_the_field()
    {
        var (status, body, _) = await fixture.GetAsync("/api/v1/exposed?format=xml");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.True(body.GetProperty("errors").TryGetProperty("format", out _));
    }
}
