using Dashboard.Sandbox.Aws;
using Dashboard.Sandbox.Cluster.Scenario;
using Dashboard.Sandbox.Kubernetes;
using Dashboard.Sandbox.Tests.Aws;
using Dashboard.Testing;

namespace Dashboard.Sandbox.Tests.LoadBalancerController;

/// <summary>End to end over the wire: the AWS CLI reads the target health the controller's health checks produce.</summary>
public sealed class TargetHealthCliTests
{
    [Fact]
    public async Task Aws_cli_describe_target_health_lists_the_three_pod_IPs_healthy()
    {
        var options = new SandboxOptions
        {
            KubernetesUrl = "http://127.0.0.1:0",
            AwsUrl = "http://127.0.0.1:0",
            LoadScenario = false,
            ProvisioningDelay = TimeSpan.FromMilliseconds(200),
        };
        options.Cluster.ReadinessDelay = TimeSpan.FromMilliseconds(100);
        await using var host = await SandboxHost.StartAsync(options, null, CancellationToken.None);
        foreach (var manifest in YamlManifests.Parse(Manifests.RetailForecastDeployment + "\n---\n" + Manifests.ServiceNlbAdvanced))
        {
            var type = ResourceTypes.FindByKind(manifest["apiVersion"]!.GetValue<string>(), manifest["kind"]!.GetValue<string>())!;
            host.Store.Create(type, manifest["metadata"]?["namespace"]?.GetValue<string>(), manifest);
        }
        TargetGroup? TargetGroup() => host.AwsWorld.GetTargetGroups().FirstOrDefault();
        // Health checks every 5 s with a threshold of 2: healthy about 10 s after registration (real time here).
        Assert.True(await Wait.UntilAsync(() => TargetGroup() is { } tg && host.AwsWorld.GetTargets(tg.Arn) is { Count: 3 } targets
            && targets.All(t => t.Health.State == TargetHealthState.Healthy), Patience.Eventually), "three healthy targets");

        using var cli = new AwsCli(host.AwsUri);
        var health = await cli.JsonAsync("elbv2", "describe-target-health", "--target-group-arn", TargetGroup()!.Arn);
        var descriptions = health.GetProperty("TargetHealthDescriptions").EnumerateArray().ToList();
        var podIps = host.Store.List(ResourceTypes.Pods, "mlops").Items.Select(p => p["status"]!["podIP"]!.GetValue<string>()).Order().ToList();
        Assert.Equal(podIps, descriptions.Select(d => d.GetProperty("Target").GetProperty("Id").GetString()).Order());
        Assert.All(descriptions, d =>
        {
            Assert.Equal(8080, d.GetProperty("Target").GetProperty("Port").GetInt32());
            Assert.Equal("healthy", d.GetProperty("TargetHealth").GetProperty("State").GetString());
            Assert.Equal("8080", d.GetProperty("HealthCheckPort").GetString());
        });

        var loadBalancers = await cli.JsonAsync("elbv2", "describe-load-balancers");
        var dnsName = loadBalancers.GetProperty("LoadBalancers")[0].GetProperty("DNSName").GetString();
        Assert.Equal(dnsName, SimulatedAccount.Hostname(host.Store.Get(ResourceTypes.Services, "mlops", "retail-forecast-nlb")));
    }
}
