using System.Net;
using System.Text.Json;

namespace Dashboard.Server.Tests.Api;

/// <summary>
/// The checklist rows built from EC2, ACM and WAFv2 (read by the poller over the wire from the sandbox) catch each mistake
/// the seed scenario plants, and say how to fix it, through <c>GET /api/v1/endpoints/{kind}/{namespace}/{name}</c>.
/// </summary>
public sealed class EndpointSecurityChecklistTests(ApiScenarioFixture fixture) : IClassFixture<ApiScenarioFixture>
{
    /// <summary>Waits until the row has an answer (not <c>unknown</c>: EC2/ACM/WAFv2 read, targets registered), then returns it.</summary>
    private async Task<(string State, string Reason)> RowAsync(string endpoint, string code)
    {
        (string, string) row = default;
        await ApiScenarioFixture.WaitUntilAsync(async () =>
        {
            var (status, body, _) = await fixture.GetAsync("/api/v1/endpoints/" + endpoint);
            if (status != HttpStatusCode.OK)
            {
                return false;
            }
            var item = body.GetProperty("checklist").EnumerateArray().FirstOrDefault(c => c.GetProperty("code").GetString() == code);
            if (item.ValueKind != JsonValueKind.Object || item.GetProperty("state").GetString() == "unknown")
            {
                return false;
            }
            row = (item.GetProperty("state").GetString()!, item.GetProperty("reason").GetString()!);
            return true;
        }, $"the {code} row of {endpoint}");
        return row;
    }

    [Fact]
    public async Task The_seed_ALB_asks_for_a_web_acl_that_is_not_associated_and_serves_a_host_its_certificate_does_not_cover()
    {
        var waf = await RowAsync("ingress/mlops/retail-forecast-alb-ingress", "waf");
        var certificate = await RowAsync("ingress/mlops/retail-forecast-alb-ingress", "certificate");
        var redirect = await RowAsync("ingress/mlops/retail-forecast-alb-ingress", "redirect");

        Assert.Equal("fail", waf.State);
        Assert.Contains("retail-forecast-waf", waf.Reason, StringComparison.Ordinal);
        Assert.Contains("no web ACL is associated", waf.Reason, StringComparison.Ordinal);
        Assert.Equal("fail", certificate.State);
        Assert.Contains("api.retail-forecast.com is not covered", certificate.Reason, StringComparison.Ordinal);
        Assert.Equal("warn", redirect.State);
        Assert.Contains("no HTTP listener", redirect.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_shop_group_has_its_web_acl_a_redirect_and_a_certificate_expiring_within_30_days()
    {
        var waf = await RowAsync("ingress/storefront/storefront", "waf");
        var certificate = await RowAsync("ingress/storefront/storefront", "certificate");
        var redirect = await RowAsync("ingress/storefront/storefront", "redirect");

        Assert.Equal("pass", waf.State);
        Assert.Contains("shop-waf", waf.Reason, StringComparison.Ordinal);
        Assert.Equal("warn", certificate.State);
        Assert.Contains("shop.example.com expires on", certificate.Reason, StringComparison.Ordinal);
        Assert.Equal("pass", redirect.State);
    }

    [Fact]
    public async Task The_internal_payments_NLB_is_open_to_the_world_unreachable_from_the_balancer_and_missing_a_zone()
    {
        var access = await RowAsync("service/payments/payments-api-nlb", "access");
        var target = await RowAsync("service/payments/payments-api-nlb", "target-port");
        var subnets = await RowAsync("service/payments/payments-api-nlb", "subnets");

        Assert.Equal("fail", access.State);
        Assert.Contains("tcp 9090 from 0.0.0.0/0", access.Reason, StringComparison.Ordinal);
        Assert.Equal("fail", target.State);
        Assert.Contains("aws ec2 authorize-security-group-ingress", target.Reason, StringComparison.Ordinal);
        Assert.Equal("warn", subnets.State);
        Assert.Contains("us-east-1c has no subnet tagged kubernetes.io/role/internal-elb", subnets.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_healthy_setup_passes_the_security_rows()
    {
        var access = await RowAsync("service/storefront/storefront-checkout-nlb", "access");
        var target = await RowAsync("service/storefront/storefront-checkout-nlb", "target-port");
        var subnets = await RowAsync("service/storefront/storefront-checkout-nlb", "subnets");

        Assert.Equal(("pass", "pass", "pass"), (access.State, target.State, subnets.State));
        Assert.Contains("allows 80 from 0.0.0.0/0", access.Reason, StringComparison.Ordinal);
    }
}
