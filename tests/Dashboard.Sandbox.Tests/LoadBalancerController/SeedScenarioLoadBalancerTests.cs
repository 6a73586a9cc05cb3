using Dashboard.Sandbox.Aws;
using Dashboard.Sandbox.Kubernetes;
using Dashboard.Testing;

namespace Dashboard.Sandbox.Tests.LoadBalancerController;

/// <summary>The sandbox started with its seed scenario provisions every balancer the scenario's objects ask for.</summary>
public sealed class SeedScenarioLoadBalancerTests
{
    [Fact]
    public async Task Every_scenario_Service_and_Ingress_gets_its_balancer_and_hostname()
    {
        var options = new SandboxOptions
        {
            KubernetesUrl = "http://127.0.0.1:0",
            AwsUrl = "http://127.0.0.1:0",
            ProvisioningDelay = TimeSpan.FromMilliseconds(200),
        };
        await using var host = await SandboxHost.StartAsync(options, null, CancellationToken.None);

        var expectedHostnames = Dashboard.Sandbox.Cluster.Scenario.SeedManifests.LoadBalancedObjects;
        string? Hostname((ResourceType Type, string Ns, string Name) o) =>
            host.Store.Get(o.Type, o.Ns, o.Name)?["status"]?["loadBalancer"]?["ingress"]?[0]?["hostname"]?.GetValue<string>();

        var done = await Wait.UntilAsync(() => expectedHostnames.All(o => Hostname(o) is not null), Patience.Eventually);
        var warnings = host.Store.List(ResourceTypes.Events, null, e => e["type"]?.GetValue<string>() == "Warning"
            && e["involvedObject"]?["kind"]?.GetValue<string>() is "Service" or "Ingress").Items.Select(e => e["message"]?.GetValue<string>());
        Assert.True(done, "pending: " + string.Join(", ", expectedHostnames.Where(o => Hostname(o) is null).Select(o => o.Item3))
            + "; warnings: " + string.Join(" | ", warnings));

        // Seven balancers: two in-tree NLBs, two controller NLBs, two mlops ALBs and the shared "shop" ALB.
        var loadBalancers = host.AwsWorld.GetLoadBalancers();
        Assert.Equal(7, loadBalancers.Length);
        Assert.All(loadBalancers, lb => Assert.Equal(LoadBalancerStateCode.Active, lb.State));
        Assert.Equal(Hostname((ResourceTypes.Ingresses, "storefront", "storefront")), Hostname((ResourceTypes.Ingresses, "catalog", "catalog")));
        Assert.Equal("retail-forecast-alb", host.AwsWorld.FindLoadBalancerByName("retail-forecast-alb")?.Name);
    }
}
