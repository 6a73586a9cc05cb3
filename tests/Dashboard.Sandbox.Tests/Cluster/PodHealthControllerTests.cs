using System.Text.Json.Nodes;
using Dashboard.Sandbox.Cluster;
using Dashboard.Sandbox.Kubernetes;
using Microsoft.Extensions.Time.Testing;

namespace Dashboard.Sandbox.Tests.Cluster;

public sealed class PodHealthControllerTests
{
    private const string Health = "sandbox.endpoint-dashboard.dev/health";

    [Fact]
    public async Task Failing_health_turns_the_pod_not_ready_only_after_the_readiness_delay()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
        await using var cluster = ClusterTestHarness.Start(o => o.Cluster.ReadinessDelay = TimeSpan.FromSeconds(5), time);
        cluster.CreateNamespace("shop");
        cluster.CreateDeployment("shop", "web", 1, "web");
        EndpointSliceControllerTests.CreateService(cluster, "shop", "web", "web", "http");
        await cluster.UntilAsync(() => cluster.Slices("shop", "web").SingleOrDefault()?["endpoints"] is JsonArray { Count: 1 }, "1 endpoint");
        var pod = cluster.Pods("shop", "web").Single()["metadata"]!["name"]!.GetValue<string>();

        cluster.Store.Mutate(ResourceTypes.Pods, "shop", pod, p => DeploymentControllerTests.Annotate(p, Health, "http-500"));
        await cluster.UntilAsync(() => cluster.Events("shop", "Unhealthy").Count == 1, "an Unhealthy event");
        var unhealthy = cluster.Events("shop", "Unhealthy").Single();
        Assert.Equal("Warning", unhealthy["type"]!.GetValue<string>());
        Assert.Equal("kubelet", unhealthy["source"]!["component"]!.GetValue<string>());
        var message = unhealthy["message"]!.GetValue<string>();
        Assert.StartsWith("Readiness probe failed:", message, StringComparison.Ordinal);
        Assert.Contains(":8080/healthz", message, StringComparison.Ordinal);
        Assert.Contains("statuscode: 500", message, StringComparison.Ordinal);
        // The probe has failed once; the pod is still Ready until the delay has passed.
        Assert.True(ClusterTestHarness.IsReady(cluster.Store.Get(ResourceTypes.Pods, "shop", pod)!));

        time.Advance(TimeSpan.FromSeconds(5));
        await cluster.UntilAsync(() => !ClusterTestHarness.IsReady(cluster.Store.Get(ResourceTypes.Pods, "shop", pod)!), "pod not ready");
        await cluster.UntilAsync(() => cluster.Slices("shop", "web").Single()["endpoints"]![0]!["conditions"]!["ready"]!.GetValue<bool>() == false, "endpoint not ready");
        var behaviour = cluster.Simulation.Behaviour("shop", pod)!;
        Assert.Equal(PodHealth.Http500, behaviour.Health);
        Assert.False(behaviour.Ready);
        Assert.Same(behaviour, cluster.Simulation.BehaviourByIp(behaviour.PodIp!));

        // The next probe period counts on the same Event.
        time.Advance(TimeSpan.FromSeconds(10));
        await cluster.UntilAsync(() => cluster.Events("shop", "Unhealthy").Single()["count"].AsLong() == 2, "Unhealthy count 2");
    }

    [Fact]
    public async Task Health_annotation_round_trip_moves_pod_and_endpoint_to_not_ready_and_back()
    {
        await using var cluster = ClusterTestHarness.Start(o => o.Cluster.ReadinessDelay = TimeSpan.FromMilliseconds(300));
        cluster.CreateNamespace("shop");
        cluster.CreateDeployment("shop", "web", 2, "web");
        EndpointSliceControllerTests.CreateService(cluster, "shop", "web", "web", "http");
        await cluster.UntilAsync(() => cluster.Slices("shop", "web").SingleOrDefault()?["endpoints"] is JsonArray { Count: 2 }, "2 endpoints");
        var pod = cluster.Pods("shop", "web")[0]["metadata"]!["name"]!.GetValue<string>();

        bool EndpointReady() => cluster.Slices("shop", "web").Single()["endpoints"]!.AsArray()
            .Single(e => e!["targetRef"]!["name"]!.GetValue<string>() == pod)!["conditions"]!["ready"]!.GetValue<bool>();

        cluster.Store.Mutate(ResourceTypes.Pods, "shop", pod, p => DeploymentControllerTests.Annotate(p, Health, "timeout"));
        await cluster.UntilAsync(() => !EndpointReady(), "endpoint not ready");
        Assert.False(ClusterTestHarness.IsReady(cluster.Store.Get(ResourceTypes.Pods, "shop", pod)!));
        await cluster.UntilAsync(() => cluster.Store.Get(ResourceTypes.Deployments, "shop", "web")!["status"]!["readyReplicas"]?.AsLong() == 1, "readyReplicas 1");
        Assert.Contains("context deadline exceeded", cluster.Events("shop", "Unhealthy").Single()["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(pod, cluster.Store.Get(ResourceTypes.Endpoints, "shop", "web")!["subsets"]![0]!["notReadyAddresses"]![0]!["targetRef"]!["name"]!.GetValue<string>());
        Assert.Equal(PodHealth.Timeout, cluster.Simulation.Behaviour("shop", pod)!.Health);

        cluster.Store.Mutate(ResourceTypes.Pods, "shop", pod, p => DeploymentControllerTests.Annotate(p, Health, "ok"));
        await cluster.UntilAsync(EndpointReady, "endpoint ready again");
        Assert.True(ClusterTestHarness.IsReady(cluster.Store.Get(ResourceTypes.Pods, "shop", pod)!));
        await cluster.UntilAsync(() => cluster.Store.Get(ResourceTypes.Deployments, "shop", "web")!["status"]!["readyReplicas"]?.AsLong() == 2, "readyReplicas 2");
    }

    [Fact]
    public async Task Crash_annotation_puts_the_pod_in_CrashLoopBackOff_with_growing_restarts_until_removed()
    {
        await using var cluster = ClusterTestHarness.Start(o =>
        {
            o.Cluster.ReadinessDelay = TimeSpan.FromMilliseconds(200);
            o.Cluster.RestartInterval = TimeSpan.FromMilliseconds(200);
        });
        cluster.CreateNamespace("jobs");
        cluster.CreateDeployment("jobs", "worker", 1, "worker");
        await cluster.UntilAsync(() => cluster.Pods("jobs", "worker").Count == 1, "a pod");
        var pod = cluster.Pods("jobs", "worker").Single()["metadata"]!["name"]!.GetValue<string>();

        cluster.Store.Mutate(ResourceTypes.Pods, "jobs", pod, p => DeploymentControllerTests.Annotate(p, "sandbox.endpoint-dashboard.dev/crash", "true"));
        JsonNode Status() => cluster.Store.Get(ResourceTypes.Pods, "jobs", pod)!["status"]!["containerStatuses"]![0]!;
        await cluster.UntilAsync(() => Status()["restartCount"].AsLong() >= 2, "two restarts");
        Assert.Equal("CrashLoopBackOff", Status()["state"]!["waiting"]!["reason"]!.GetValue<string>());
        Assert.Equal("Error", Status()["lastState"]!["terminated"]!["reason"]!.GetValue<string>());
        Assert.False(ClusterTestHarness.IsReady(cluster.Store.Get(ResourceTypes.Pods, "jobs", pod)!));
        Assert.True(cluster.Simulation.Behaviour("jobs", pod)!.CrashLooping);
        Assert.Equal(PodHealth.Refuse, cluster.Simulation.Behaviour("jobs", pod)!.EffectiveHealth);
        Assert.NotEmpty(cluster.Events("jobs", "BackOff"));

        cluster.Store.Mutate(ResourceTypes.Pods, "jobs", pod, p => DeploymentControllerTests.Annotate(p, "sandbox.endpoint-dashboard.dev/crash", null));
        await cluster.UntilAsync(() => Status()["state"]?["running"] is not null && ClusterTestHarness.IsReady(cluster.Store.Get(ResourceTypes.Pods, "jobs", pod)!), "running and ready again");
    }

    [Fact]
    public async Task Refused_liveness_probe_restarts_the_container()
    {
        await using var cluster = ClusterTestHarness.Start(o =>
        {
            o.Cluster.ReadinessDelay = TimeSpan.FromMilliseconds(100);
            o.Cluster.RestartInterval = TimeSpan.FromMilliseconds(200);
        });
        cluster.CreateNamespace("shop");
        cluster.CreateDeployment("shop", "web", 1, "web");
        await cluster.UntilAsync(() => cluster.Pods("shop", "web").Count == 1, "a pod");
        var pod = cluster.Pods("shop", "web").Single()["metadata"]!["name"]!.GetValue<string>();

        cluster.Store.Mutate(ResourceTypes.Pods, "shop", pod, p => DeploymentControllerTests.Annotate(p, Health, "refuse"));
        // The kubelet records the Killing event just after it counts the restart: wait for both.
        await cluster.UntilAsync(() => cluster.Store.Get(ResourceTypes.Pods, "shop", pod)!["status"]!["containerStatuses"]![0]!["restartCount"].AsLong() >= 1
            && cluster.Events("shop", "Killing").Any(e => e["message"]!.GetValue<string>().Contains("failed liveness probe", StringComparison.Ordinal)), "a restart and its Killing event");
        Assert.Contains(cluster.Events("shop", "Unhealthy"), e => e["message"]!.GetValue<string>().Contains("connection refused", StringComparison.Ordinal));
    }

    [Fact]
    public void Annotation_values_parse_leniently()
    {
        Assert.Equal(PodHealth.Ok, PodBehaviourAnnotations.ParseHealth(null));
        Assert.Equal(PodHealth.Http500, PodBehaviourAnnotations.ParseHealth(" HTTP-500 "));
        Assert.Equal(PodHealth.Timeout, PodBehaviourAnnotations.ParseHealth("timeout"));
        Assert.Equal(PodHealth.Refuse, PodBehaviourAnnotations.ParseHealth("refuse"));
        Assert.True(PodBehaviourAnnotations.ParseCrash("True"));
        Assert.False(PodBehaviourAnnotations.ParseCrash("no"));
    }
}
