using System.Text.Json.Nodes;
using Dashboard.Sandbox.Cluster;
using Dashboard.Sandbox.Kubernetes;

namespace Dashboard.Sandbox.Tests.Cluster;

/// <summary>The Deployment controller's rolling update when the new pods never become Ready, and the garbage collector.</summary>
public sealed class RolloutControllerTests
{
    private static List<JsonObject> ReplicaSets(ClusterTestHarness cluster) => [.. cluster.Store.List(ResourceTypes.ReplicaSets, "shop").Items];

    private static long Replicas(JsonObject rs) => rs["spec"]!["replicas"].AsLong();

    [Fact]
    public async Task A_rollout_whose_new_pods_never_become_ready_stalls_with_every_old_pod_serving()
    {
        await using var cluster = ClusterTestHarness.Start();
        cluster.CreateNamespace("shop");
        cluster.CreateDeployment("shop", "web", 3, "web");
        await cluster.UntilAsync(() => cluster.Pods("shop", "web").Count(ClusterTestHarness.IsReady) == 3, "3 ready pods");
        var first = ReplicaSets(cluster).Single()["metadata"]!["name"]!.GetValue<string>();

        cluster.Store.Mutate(ResourceTypes.Deployments, "shop", "web", d =>
        {
            d["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "nginx:broken";
            d["spec"]!["template"]!["metadata"]!["annotations"] = new JsonObject { [PodBehaviourAnnotations.Health] = "http-500" };
            return d;
        });

        // maxSurge 1, maxUnavailable 0 (25% of 3): one new pod, which never becomes Ready, so no old pod may go.
        await cluster.UntilAsync(() => cluster.Store.Get(ResourceTypes.Deployments, "shop", "web")?["status"]?["updatedReplicas"]?.AsLong() == 1
            && cluster.Store.Get(ResourceTypes.Deployments, "shop", "web")?["status"]?["conditions"]?.AsArray()
                .Any(c => c!["reason"]?.GetValue<string>() == "ReplicaSetUpdated") == true, "the rollout progressing with one new pod");
        var sets = ReplicaSets(cluster);
        Assert.Equal(3, Replicas(sets.Single(rs => rs["metadata"]!["name"]!.GetValue<string>() == first)));
        Assert.Equal(1, Replicas(sets.Single(rs => rs["metadata"]!["name"]!.GetValue<string>() != first)));
        Assert.Equal(3, cluster.Pods("shop", "web").Count(ClusterTestHarness.IsReady));
        Assert.Equal(4, cluster.Pods("shop", "web").Count);
        var status = cluster.Store.Get(ResourceTypes.Deployments, "shop", "web")!["status"]!;
        Assert.Equal((4, 3, 1), (status["replicas"].AsLong(), status["availableReplicas"].AsLong(), status["unavailableReplicas"].AsLong()));
    }

    [Fact]
    public async Task Deleting_a_ReplicaSet_outright_lets_the_garbage_collector_delete_its_pods_and_the_Deployment_make_another()
    {
        await using var cluster = ClusterTestHarness.Start();
        cluster.CreateNamespace("shop");
        cluster.CreateDeployment("shop", "web", 2, "web");
        await cluster.UntilAsync(() => cluster.Pods("shop", "web").Count == 2, "2 pods");
        var rs = ReplicaSets(cluster).Single();
        var pods = cluster.Pods("shop", "web").Select(p => p["metadata"]!["name"]!.GetValue<string>()).ToList();

        cluster.Store.Delete(ResourceTypes.ReplicaSets, "shop", rs["metadata"]!["name"]!.GetValue<string>());

        // The old pods go (their owner's uid is gone); the Deployment makes a ReplicaSet (same name, new uid) and new pods.
        await cluster.UntilAsync(() => cluster.Pods("shop", "web").Count(p => p["metadata"]!["deletionTimestamp"] is null) == 2
            && pods.All(name => cluster.Store.Get(ResourceTypes.Pods, "shop", name) is null)
            && ReplicaSets(cluster).SingleOrDefault()?["metadata"]?["uid"]?.GetValue<string>() is { } uid && uid != rs["metadata"]!["uid"]!.GetValue<string>(),
            "old pods collected, a new ReplicaSet running two pods");
    }
}
