using System.Text.Json.Nodes;
using Dashboard.Sandbox.Cluster;
using Dashboard.Sandbox.Kubernetes;
using Dashboard.Sandbox.Tests.LoadBalancerController;
using Dashboard.Testing;

namespace Dashboard.Sandbox.Tests.Kubernetes;

/// <summary><c>kubectl scale</c> against the seed scenario: the scale subresource, then the Deployment controller's pods.</summary>
public sealed class KubectlScaleTests(SeededKubectlFixture fixture) : IClassFixture<SeededKubectlFixture>
{
    private const string Namespace = "mlops";
    private const string Deployment = "retail-forecast-api";
    private static readonly TimeSpan Bounded = Patience.Eventually;

    private List<JsonObject> Pods() =>
        [.. fixture.Store.List(ResourceTypes.Pods, Namespace, p => p["metadata"]?["labels"]?["app"]?.ToString() == Deployment).Items];

    private long? ReadyReplicas() =>
        fixture.Store.Get(ResourceTypes.Deployments, Namespace, Deployment)?["status"]?["readyReplicas"]?.GetValue<long>();

    private async Task ScaleToAsync(int replicas)
    {
        var result = (await fixture.RunAsync("scale", $"deployment/{Deployment}", "-n", Namespace, $"--replicas={replicas}")).Succeeded();
        Assert.Equal($"deployment.apps/{Deployment} scaled", result.Stdout.Trim());
        Assert.True(await Wait.UntilAsync(() => Pods().Count == replicas && Pods().All(PodStatus.IsReady) && ReadyReplicas() == replicas, Bounded),
            $"{Pods().Count} pods ({Pods().Count(PodStatus.IsReady)} ready), deployment ready {ReadyReplicas()}, wanted {replicas}");
        var wide = (await fixture.RunAsync("get", "deployment", Deployment, "-n", Namespace, "-o", "wide", "--no-headers")).Succeeded();
        Assert.Matches($@"^{Deployment}\s+{replicas}/{replicas}\s+{replicas}\s+{replicas}\s+\d+d\s+", wide.Stdout);
    }

    [Fact]
    public async Task Scale_a_seed_Deployment_to_five_ready_pods_and_back_to_three()
    {
        Assert.True(await Wait.UntilAsync(() => Pods().Count == 3, Bounded), "the seed's three pods");

        await ScaleToAsync(5);
        await ScaleToAsync(3);

        var scale = (await fixture.RunAsync("get", "deployment", Deployment, "-n", Namespace, "--subresource=scale", "--no-headers")).Succeeded();
        Assert.Matches($@"^{Deployment}\s+3\s+3\s*$", scale.Stdout);
    }

    [Fact]
    public async Task Current_replicas_precondition_and_server_dry_run_are_honoured()
    {
        Assert.True(await Wait.UntilAsync(() => Pods().Count == 3, Bounded), "the seed's three pods");

        var wrong = (await fixture.RunAsync("scale", "deployment", Deployment, "-n", Namespace, "--current-replicas=7", "--replicas=4")).Failed();
        var dryRun = (await fixture.RunAsync("scale", "deployment", Deployment, "-n", Namespace, "--replicas=9", "--dry-run=server")).Succeeded();
        var missing = (await fixture.RunAsync("scale", "deployment", "no-such-deployment", "-n", Namespace, "--replicas=2")).Failed();

        Assert.Contains("Expected replicas to be 7, was 3", wrong.Stderr, StringComparison.Ordinal);
        Assert.Contains("scaled (server dry run)", dryRun.Stdout, StringComparison.Ordinal);
        Assert.Contains("deployments.apps \"no-such-deployment\" not found", missing.Stderr, StringComparison.Ordinal);
        Assert.Equal(3, fixture.Store.Get(ResourceTypes.Deployments, Namespace, Deployment)!["spec"]!["replicas"]!.GetValue<long>());

        // The matching precondition: kubectl reads the Scale and writes it back (PUT) with the version it read.
        (await fixture.RunAsync("scale", "deployment", Deployment, "-n", Namespace, "--current-replicas=3", "--replicas=4")).Succeeded();
        Assert.Equal(4, fixture.Store.Get(ResourceTypes.Deployments, Namespace, Deployment)!["spec"]!["replicas"]!.GetValue<long>());
        await ScaleToAsync(3);
    }
}
