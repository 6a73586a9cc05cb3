using System.Net;
using System.Text.Json;
using Dashboard.Sandbox.Aws;
using Dashboard.Sandbox.Kubernetes;
using Dashboard.Server.Sandbox;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Server.Tests.Api;

/// <summary>
/// The real pod lifecycle seen through the product: a pod behind an <c>ip</c> target is deleted gracefully, so it stays
/// Terminating for its shutdown (here 90 s, within a 120 s grace period), its EndpointSlice endpoint turns
/// <c>terminating</c>, the simulated load balancer controller deregisters its target and AWS reports it <c>draining</c>.
/// The dashboard's triage (<c>GET /api/v1/triage</c>) must show that target draining and say why: the pod is terminating.
/// Its own fixture instance, so the deleted pod does not disturb the other API tests.
/// </summary>
public sealed class TerminatingPodTriageTests(ApiScenarioFixture fixture) : IClassFixture<ApiScenarioFixture>
{
    [Fact]
    public async Task A_terminating_pod_drains_its_target_and_triage_says_the_pod_is_terminating()
    {
        var sandbox = fixture.Services.GetRequiredService<EmbeddedSandbox>().Host!;
        (TargetGroup? Group, RegisteredTarget? Target, System.Text.Json.Nodes.JsonObject? Pod) chosen = default;
        // A healthy ip target whose address is a running pod's (health checks make targets healthy a little after start).
        await ApiScenarioFixture.WaitUntilAsync(() =>
        {
            var pods = sandbox.Store.List(ResourceTypes.Pods, null).Items.ToList();
            chosen = sandbox.AwsWorld.GetTargetGroups()
                .Where(g => g.TargetType == "ip")
                .OrderBy(g => g.Name, StringComparer.Ordinal)
                .SelectMany(g => sandbox.AwsWorld.GetTargets(g.Arn).Where(t => t.Health.State == TargetHealthState.Healthy)
                    .Select(t => (Group: (TargetGroup?)g, Target: (RegisteredTarget?)t, Pod: pods.FirstOrDefault(p => (string?)p["status"]?["podIP"] == t.Id))))
                .FirstOrDefault(x => x.Pod is not null);
            return Task.FromResult(chosen.Pod is not null);
        }, "a healthy ip target of a running pod");
        var group = chosen.Group!;
        var target = chosen.Target!;
        var pod = chosen.Pod!;
        var name = (string)pod["metadata"]!["name"]!;
        var ns = (string)pod["metadata"]!["namespace"]!;
        using var client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = sandbox.KubernetesUri.ToString().TrimEnd('/') });
        await client.CoreV1.PatchNamespacedPodAsync(new V1Patch("""{"metadata":{"annotations":{"sandbox.endpoint-dashboard.dev/shutdown-seconds":"90"}}}""",
            V1Patch.PatchType.MergePatch), name, ns);

        await client.CoreV1.DeleteNamespacedPodAsync(name, ns, new V1DeleteOptions { GracePeriodSeconds = 120 });

        JsonElement? card = null;
        await ApiScenarioFixture.WaitUntilAsync(async () =>
        {
            var (status, body, _) = await fixture.GetAsync("/api/v1/triage?limit=1000");
            card = status == HttpStatusCode.OK
                ? body.GetProperty("items").EnumerateArray().Cast<JsonElement?>().FirstOrDefault(c => c!.Value.GetProperty("targets").EnumerateArray()
                    .Any(t => t.GetProperty("id").GetString() == target.Id && t.GetProperty("targetGroupArn").GetString() == group.Arn
                        && t.GetProperty("state").GetString() == "draining"))
                : null;
            return card is not null;
        }, $"triage to show target {target.Id} of {group.Name} draining");

        var evidence = card!.Value.GetProperty("evidence").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains($"pod {name} is terminating (rollout, scale-in or eviction)", evidence);
        // The pod is still there, Terminating: the delete set its deletionTimestamp and grace period.
        var terminating = await client.CoreV1.ReadNamespacedPodAsync(name, ns);
        Assert.NotNull(terminating.Metadata.DeletionTimestamp);
        Assert.Equal(120, terminating.Metadata.DeletionGracePeriodSeconds);
    }
}
