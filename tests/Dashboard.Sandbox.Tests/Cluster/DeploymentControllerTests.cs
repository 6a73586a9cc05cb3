using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dashboard.Sandbox.Kubernetes;

namespace Dashboard.Sandbox.Tests.Cluster;

public sealed class DeploymentControllerTests
{
    [Fact]
    public async Task Deployment_gets_running_pods_with_addresses_spread_over_zones_and_a_status()
    {
        await using var cluster = ClusterTestHarness.Start();
        cluster.CreateNamespace("shop");
        cluster.CreateDeployment("shop", "web", 3, "web");

        await cluster.UntilAsync(() => cluster.Pods("shop", "web").Count == 3, "3 pods of web");
        var pods = cluster.Pods("shop", "web");
        var hash = pods[0]["metadata"]!["labels"]!["pod-template-hash"]!.GetValue<string>();
        foreach (var pod in pods)
        {
            Assert.Matches(new Regex($"^web-{hash}-[bcdfghjklmnpqrstvwxz2456789]{{5}}$"), pod["metadata"]!["name"]!.GetValue<string>());
            Assert.Equal("Running", pod["status"]!["phase"]!.GetValue<string>());
            Assert.StartsWith("192.168.", pod["status"]!["podIP"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.True(ClusterTestHarness.IsReady(pod));
            var owner = pod["metadata"]!["ownerReferences"]![0]!;
            Assert.Equal("ReplicaSet", owner["kind"]!.GetValue<string>());
            Assert.Equal($"web-{hash}", owner["name"]!.GetValue<string>());
            Assert.Equal(0, pod["status"]!["containerStatuses"]![0]!["restartCount"].AsLong());
            var conditions = pod["status"]!["conditions"]!.AsArray().Select(c => c!["type"]!.GetValue<string>()).ToList();
            Assert.Contains("PodScheduled", conditions);
            Assert.Contains("Initialized", conditions);
            Assert.Contains("ContainersReady", conditions);
        }
        // One pod per zone: three nodes, three zones.
        Assert.Equal(3, pods.Select(p => p["spec"]!["nodeName"]!.GetValue<string>()).Distinct().Count());
        Assert.Equal(3, pods.Select(p => p["status"]!["podIP"]!.GetValue<string>()).Distinct().Count());

        await cluster.UntilAsync(() => cluster.Store.Get(ResourceTypes.Deployments, "shop", "web")?["status"]?["readyReplicas"]?.AsLong() == 3, "web readyReplicas 3");
        var status = cluster.Store.Get(ResourceTypes.Deployments, "shop", "web")!["status"]!;
        Assert.Equal(3, status["replicas"].AsLong());
        Assert.Equal(3, status["updatedReplicas"].AsLong());
        Assert.Equal(3, status["availableReplicas"].AsLong());
        Assert.Equal(1, status["observedGeneration"].AsLong());
        Assert.Contains(status["conditions"]!.AsArray(), c => c!["type"]!.GetValue<string>() == "Available" && c["status"]!.GetValue<string>() == "True");

        await cluster.UntilAsync(() => cluster.Events("shop", "Scheduled").Count == 3 && cluster.Events("shop", "ScalingReplicaSet").Count == 1, "Scheduled and ScalingReplicaSet events");
        var scaling = cluster.Events("shop", "ScalingReplicaSet").Single();
        Assert.Equal($"Scaled up replica set web-{hash} from 0 to 3", scaling["message"]!.GetValue<string>());
        Assert.Equal("Deployment", scaling["involvedObject"]!["kind"]!.GetValue<string>());
        Assert.Equal("deployment-controller", scaling["source"]!["component"]!.GetValue<string>());
        Assert.Equal(1, scaling["count"].AsLong());
        var scheduled = cluster.Events("shop", "Scheduled")[0];
        Assert.StartsWith("Successfully assigned shop/web-", scheduled["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(scheduled["firstTimestamp"]);
        Assert.NotNull(scheduled["lastTimestamp"]);
    }

    [Fact]
    public async Task Scaling_up_and_down_reconciles_the_pod_count()
    {
        await using var cluster = ClusterTestHarness.Start();
        cluster.CreateNamespace("shop");
        cluster.CreateDeployment("shop", "web", 2, "web");
        await cluster.UntilAsync(() => cluster.Pods("shop", "web").Count == 2, "2 pods");

        Scale(cluster, 5);
        await cluster.UntilAsync(() => cluster.Pods("shop", "web").Count == 5, "5 pods after scale up");
        await cluster.UntilAsync(() => cluster.Store.Get(ResourceTypes.Deployments, "shop", "web")?["status"]?["readyReplicas"]?.AsLong() == 5, "readyReplicas 5");
        Assert.Equal(2, cluster.Store.Get(ResourceTypes.Deployments, "shop", "web")!["status"]!["observedGeneration"].AsLong());

        Scale(cluster, 1);
        await cluster.UntilAsync(() => cluster.Pods("shop", "web").Count == 1, "1 pod after scale down");
        await cluster.UntilAsync(() => cluster.Events("shop", "ScalingReplicaSet").Any(e => e["message"]!.GetValue<string>().EndsWith("from 5 to 1", StringComparison.Ordinal)), "scale-down event");
        await cluster.UntilAsync(() => cluster.Events("shop", "Killing").Count == 4, "4 Killing events");
    }

    [Fact]
    public async Task Deleted_pod_is_replaced_and_a_template_change_replaces_every_pod()
    {
        await using var cluster = ClusterTestHarness.Start();
        cluster.CreateNamespace("shop");
        cluster.CreateDeployment("shop", "web", 2, "web");
        await cluster.UntilAsync(() => cluster.Pods("shop", "web").Count == 2, "2 pods");
        var first = cluster.Pods("shop", "web")[0]["metadata"]!["name"]!.GetValue<string>();

        cluster.Store.Delete(ResourceTypes.Pods, "shop", first);
        await cluster.UntilAsync(() => cluster.Pods("shop", "web").Count == 2 && cluster.Pods("shop", "web").All(p => p["metadata"]!["name"]!.GetValue<string>() != first), "a replacement pod");

        var before = cluster.Pods("shop", "web").Select(p => p["metadata"]!["labels"]!["pod-template-hash"]!.GetValue<string>()).Distinct().Single();
        cluster.Store.Mutate(ResourceTypes.Deployments, "shop", "web", d =>
        {
            d["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "nginx:1.28";
            return d;
        });
        await cluster.UntilAsync(() =>
        {
            var pods = cluster.Pods("shop", "web");
            return pods.Count == 2 && pods.All(p => p["metadata"]!["labels"]!["pod-template-hash"]!.GetValue<string>() != before
                && p["spec"]!["containers"]![0]!["image"]!.GetValue<string>() == "nginx:1.28");
        }, "pods of the new template");
        Assert.Equal("2", cluster.Store.Get(ResourceTypes.Deployments, "shop", "web")!["metadata"]!["annotations"]!["deployment.kubernetes.io/revision"]!.GetValue<string>());
    }

    [Fact]
    public async Task Deleting_a_deployment_removes_its_pods()
    {
        await using var cluster = ClusterTestHarness.Start();
        cluster.CreateNamespace("shop");
        cluster.CreateDeployment("shop", "web", 2, "web");
        await cluster.UntilAsync(() => cluster.Pods("shop", "web").Count == 2, "2 pods");
        cluster.Store.Delete(ResourceTypes.Deployments, "shop", "web");
        await cluster.UntilAsync(() => cluster.Pods("shop", "web").Count == 0, "no pods");
    }

    private static void Scale(ClusterTestHarness cluster, int replicas) =>
        cluster.Store.Mutate(ResourceTypes.Deployments, "shop", "web", d =>
        {
            d["spec"]!["replicas"] = replicas;
            return d;
        });

    internal static JsonObject Annotate(JsonObject obj, string key, string? value)
    {
        var annotations = obj["metadata"]!["annotations"] as JsonObject ?? [];
        obj["metadata"]!["annotations"] = annotations;
        if (value is null)
        {
            annotations.Remove(key);
        }
        else
        {
            annotations[key] = value;
        }
        return obj;
    }
}
