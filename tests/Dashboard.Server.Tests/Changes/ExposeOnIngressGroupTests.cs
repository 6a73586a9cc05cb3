using System.Net;
using Dashboard.Server.Tests.Api;
using k8s;

namespace Dashboard.Server.Tests.Changes;

/// <summary>
/// Exposing through an ALB on the seed's existing IngressGroup <c>shop</c> (storefront and catalog share its ALB): the plan
/// shows the blast radius (the other members and their hosts), the apply joins the group, and the new Ingress gets the
/// group's one ALB — the same address as its members.
/// </summary>
public sealed class ExposeOnIngressGroupTests(ChangesFixture fixture) : IClassFixture<ChangesFixture>
{
    [Fact]
    public async Task An_ALB_expose_on_an_existing_group_shows_the_blast_radius_and_shares_the_groups_ALB()
    {
        var (status, plan, _) = await fixture.PostAsync("/api/v1/changes/plan", new
        {
            action = "expose",
            @namespace = "mlops",
            workload = new { kind = "Deployment", name = "retail-forecast-api" },
            via = "alb",
            name = "forecast-shop",
            scheme = "internet-facing",
            targetType = "ip",
            port = 80,
            targetPort = 8080,
            host = "forecast.shop.example.com",
            path = "/",
            group = "shop",
            healthCheck = new { path = "/healthz" },
        }, ChangesFixture.Operator);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(plan.GetProperty("dryRun").GetProperty("ok").GetBoolean(), plan.GetProperty("dryRun").GetProperty("message").GetString());
        var blast = Assert.Single(plan.GetProperty("warnings").EnumerateArray(), w => w.GetProperty("code").GetString() == "group-blast-radius")
            .GetProperty("message").GetString()!;
        Assert.Contains("storefront/storefront", blast, StringComparison.Ordinal);
        Assert.Contains("shop.example.com", blast, StringComparison.Ordinal);
        // A Deployment behind an ALB needs a Service: the plan creates both, Service first.
        Assert.Equal(["Service", "Ingress"], plan.GetProperty("objects").EnumerateArray().Select(o => o.GetProperty("object").GetProperty("kind").GetString()));
        Assert.Contains("alb.ingress.kubernetes.io/group.name: shop", plan.GetProperty("manifest").GetString(), StringComparison.Ordinal);

        var (applied, _, _) = await fixture.PostAsync($"/api/v1/changes/{plan.GetProperty("planId").GetString()}/apply", null, ChangesFixture.Operator);

        Assert.Equal(HttpStatusCode.Accepted, applied);
        var client = await fixture.KubernetesAsync();
        var storefront = await client.NetworkingV1.ReadNamespacedIngressAsync("storefront", "storefront");
        var shopAddress = storefront.Status.LoadBalancer.Ingress[0].Hostname;
        // The controller adds the new member to the group's ALB: the same DNS name, no new balancer.
        await ApiScenarioFixture.WaitUntilAsync(async () =>
            (await client.NetworkingV1.ReadNamespacedIngressAsync("forecast-shop", "mlops")).Status?.LoadBalancer?.Ingress is [{ Hostname: var host }] && host == shopAddress,
            "the new Ingress on the shop group's ALB");
    }
}
