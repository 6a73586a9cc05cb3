using Dashboard.Sandbox.Aws;
using Dashboard.Sandbox.Cluster;
using Dashboard.Sandbox.Cluster.Scenario;
using Dashboard.Sandbox.Kubernetes;
using Dashboard.Sandbox.Tests.Aws;
using Dashboard.Sandbox.Tests.Kubernetes;
using Dashboard.Testing;

namespace Dashboard.Sandbox.Tests.LoadBalancerController;

/// <summary>
/// The real lifecycle reaches AWS: a pod deleted with kubectl stays Terminating for its shutdown, its endpoint turns
/// <c>terminating</c> (not ready), and the load balancer controller deregisters it, so the AWS CLI reads its target <c>draining</c>.
/// </summary>
public sealed class TerminatingTargetTests(KubectlFixture fixture) : IClassFixture<KubectlFixture>
{
    [Fact]
    public async Task A_terminating_pod_drains_its_target()
    {
        // Draining lasts the deregistration delay: 10 s in the shared manifest is shorter than an AWS CLI start on a busy
        // machine, so this test's balancer keeps a drained target for two minutes.
        var service = Manifests.ServiceNlbAdvanced.Replace("deregistration_delay.timeout_seconds=10", "deregistration_delay.timeout_seconds=120", StringComparison.Ordinal);
        Assert.NotEqual(Manifests.ServiceNlbAdvanced, service);
        foreach (var manifest in YamlManifests.Parse(Manifests.RetailForecastDeployment + "\n---\n" + service))
        {
            if (manifest["kind"]!.GetValue<string>() == "Namespace")
            {
                fixture.EnsureNamespace(manifest["metadata"]!["name"]!.GetValue<string>());
                continue;
            }
            var type = ResourceTypes.FindByKind(manifest["apiVersion"]!.GetValue<string>(), manifest["kind"]!.GetValue<string>())!;
            fixture.Store.Create(type, manifest["metadata"]?["namespace"]?.GetValue<string>(), manifest);
        }
        var world = fixture.Host.AwsWorld;
        TargetGroup? TargetGroup() => world.GetTargetGroups().FirstOrDefault();
        Assert.True(await Wait.UntilAsync(() => TargetGroup() is { } tg && world.GetTargets(tg.Arn) is { Count: 3 } targets
            && targets.All(t => t.Health.State == TargetHealthState.Healthy), Patience.Eventually), "three healthy targets");
        var pod = fixture.Store.List(ResourceTypes.Pods, "mlops").Items.First();
        var name = pod["metadata"]!["name"]!.GetValue<string>();
        var ip = pod["status"]!["podIP"]!.GetValue<string>();
        // Its container takes a minute to stop: it stays Terminating for the whole 30 s grace period.
        (await fixture.RunAsync("annotate", "pod", name, "-n", "mlops", $"{PodBehaviourAnnotations.ShutdownSeconds}=60")).Succeeded();

        (await fixture.RunAsync("delete", "pod", name, "-n", "mlops", "--wait=false")).Succeeded();

        Assert.True(await Wait.UntilAsync(() => world.GetTargets(TargetGroup()!.Arn).Any(t => t.Id == ip && t.Health.State == TargetHealthState.Draining),
            Patience.Eventually), "the terminating pod's target drains");
        using var cli = new AwsCli(fixture.Host.AwsUri);
        var health = await cli.JsonAsync("elbv2", "describe-target-health", "--target-group-arn", TargetGroup()!.Arn);
        var drained = health.GetProperty("TargetHealthDescriptions").EnumerateArray().Single(d => d.GetProperty("Target").GetProperty("Id").GetString() == ip);
        Assert.Equal("draining", drained.GetProperty("TargetHealth").GetProperty("State").GetString());
        Assert.Equal("Target.DeregistrationInProgress", drained.GetProperty("TargetHealth").GetProperty("Reason").GetString());
        var get = (await fixture.RunAsync("get", "pod", name, "-n", "mlops", "--no-headers")).Succeeded();
        Assert.Matches($@"^{name}\s+1/1\s+Terminating\s", get.Stdout);
    }
}
