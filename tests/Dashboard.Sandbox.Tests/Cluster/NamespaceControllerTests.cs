using System.Net;
using Dashboard.Sandbox.Kubernetes;

namespace Dashboard.Sandbox.Tests.Cluster;

public sealed class NamespaceControllerTests
{
    [Fact]
    public async Task Namespace_becomes_Active_with_defaults_and_its_deletion_removes_everything_in_it()
    {
        await using var cluster = ClusterTestHarness.Start();
        cluster.CreateNamespace("shop");
        await cluster.UntilAsync(() => cluster.Store.Get(ResourceTypes.Namespaces, null, "shop")?["status"]?["phase"]?.GetValue<string>() == "Active", "phase Active");
        Assert.Equal("shop", cluster.Store.Get(ResourceTypes.Namespaces, null, "shop")!["metadata"]!["labels"]!["kubernetes.io/metadata.name"]!.GetValue<string>());
        await cluster.UntilAsync(() => cluster.Store.Get(ResourceTypes.ServiceAccounts, "shop", "default") is not null
            && cluster.Store.Get(ResourceTypes.ConfigMaps, "shop", "kube-root-ca.crt") is not null, "default ServiceAccount and root CA ConfigMap");

        cluster.CreateDeployment("shop", "web", 2, "web");
        EndpointSliceControllerTests.CreateService(cluster, "shop", "web", "web", "http");
        await cluster.UntilAsync(() => cluster.Pods("shop").Count == 2 && cluster.Slices("shop", "web").Count == 1 && cluster.Events("shop", "Scheduled").Count == 2, "workload running");

        var pods = cluster.Pods("shop").Select(p => p["metadata"]!["name"]!.GetValue<string>()).Order().ToList();
        var beforeDeletion = cluster.Store.CurrentVersion;
        cluster.Store.Delete(ResourceTypes.Namespaces, null, "shop");
        await cluster.UntilAsync(() => ResourceTypes.All.Where(t => t.Namespaced).All(t => cluster.Store.List(t, "shop").Items.Count == 0), "namespace emptied");

        // Workloads go first, so no controller can recreate what the purge removes: the Deployment is deleted before its pods.
        var deployment = Assert.Single(await DeletionsAsync(cluster.Store, ResourceTypes.Deployments, "shop", beforeDeletion, 1));
        var podDeletions = await DeletionsAsync(cluster.Store, ResourceTypes.Pods, "shop", beforeDeletion, pods.Count);
        Assert.Equal(pods, podDeletions.Select(e => e.Name).Order());
        Assert.All(podDeletions, e => Assert.True(e.ResourceVersion > deployment.ResourceVersion, $"pod {e.Name} deleted before its Deployment"));
        // And nothing can come back: the namespace is gone, so the API refuses new objects in it.
        var refused = Assert.Throws<StoreException>(() => cluster.CreateDeployment("shop", "web", 1, "web"));
        Assert.Equal(HttpStatusCode.NotFound, refused.Code);
    }

    /// <summary>The first <paramref name="count"/> deletions of a kind in a namespace after a version, from the store's watch history (bounded).</summary>
    private static async Task<List<StoreEvent>> DeletionsAsync(ResourceStore store, ResourceType type, string ns, long after, int count)
    {
        using var timeout = new CancellationTokenSource(ClusterTestHarness.DefaultTimeout);
        var deletions = new List<StoreEvent>();
        await foreach (var e in store.WatchAsync(type, ns, after, timeout.Token))
        {
            if (e.Type == WatchEventType.Deleted)
            {
                deletions.Add(e);
                if (deletions.Count == count)
                {
                    break;
                }
            }
        }
        return deletions;
    }

    [Fact]
    public async Task Cluster_starts_with_three_ready_nodes_in_three_zones()
    {
        await using var cluster = ClusterTestHarness.Start();
        var nodes = cluster.Store.List(ResourceTypes.Nodes).Items;
        Assert.Equal(3, nodes.Count);
        Assert.Equal(["us-east-1a", "us-east-1b", "us-east-1c"], nodes.Select(n => n["metadata"]!["labels"]!["topology.kubernetes.io/zone"]!.GetValue<string>()).Order());
        foreach (var node in nodes)
        {
            var zone = node["metadata"]!["labels"]!["topology.kubernetes.io/zone"]!.GetValue<string>();
            Assert.Matches($"^aws:///{zone}/i-0[0-9a-f]{{16}}$", node["spec"]!["providerID"]!.GetValue<string>());
            Assert.Equal("m5.large", node["metadata"]!["labels"]!["node.kubernetes.io/instance-type"]!.GetValue<string>());
            var internalIp = node["status"]!["addresses"]!.AsArray().Single(a => a!["type"]!.GetValue<string>() == "InternalIP")!["address"]!.GetValue<string>();
            Assert.StartsWith("192.168.", internalIp, StringComparison.Ordinal);
            Assert.Equal("ip-" + internalIp.Replace('.', '-') + ".ec2.internal", node["metadata"]!["name"]!.GetValue<string>());
            Assert.Contains(node["status"]!["conditions"]!.AsArray(), c => c!["type"]!.GetValue<string>() == "Ready" && c["status"]!.GetValue<string>() == "True");
        }
        Assert.Equal("Active", cluster.Store.Get(ResourceTypes.Namespaces, null, "kube-system")!["status"]!["phase"]!.GetValue<string>());
        Assert.Equal("10.100.0.1", cluster.Store.Get(ResourceTypes.Services, "default", "kubernetes")!["spec"]!["clusterIP"]!.GetValue<string>());
    }
}
