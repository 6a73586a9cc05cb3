using System.Text.Json.Nodes;
using Dashboard.Sandbox.Cluster;
using Dashboard.Sandbox.Kubernetes;

namespace Dashboard.Sandbox.Tests.Cluster;

public sealed class EndpointSliceControllerTests
{
    [Fact]
    public async Task Service_gets_a_slice_with_named_target_port_resolved_zones_and_pod_references()
    {
        await using var cluster = ClusterTestHarness.Start();
        cluster.CreateNamespace("shop");
        cluster.CreateDeployment("shop", "web", 3, "web");
        CreateService(cluster, "shop", "web", "web", targetPort: "http");

        await cluster.UntilAsync(() => cluster.Slices("shop", "web").SingleOrDefault()?["endpoints"] is JsonArray { Count: 3 }, "a slice with 3 endpoints");
        var slice = cluster.Slices("shop", "web").Single();
        Assert.Equal("IPv4", slice["addressType"]!.GetValue<string>());
        Assert.Equal("endpointslice-controller.k8s.io", slice["metadata"]!["labels"]!["endpointslice.kubernetes.io/managed-by"]!.GetValue<string>());
        Assert.StartsWith("web-", slice["metadata"]!["name"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("Service", slice["metadata"]!["ownerReferences"]![0]!["kind"]!.GetValue<string>());
        var port = slice["ports"]![0]!;
        Assert.Equal("http", port["name"]!.GetValue<string>());
        Assert.Equal(8080, port["port"].AsLong());
        Assert.Equal("TCP", port["protocol"]!.GetValue<string>());

        var pods = cluster.Pods("shop", "web").ToDictionary(p => p["metadata"]!["name"]!.GetValue<string>());
        var zones = cluster.Simulation.Nodes.ToDictionary(n => n.Name, n => n.Zone);
        foreach (var endpoint in slice["endpoints"]!.AsArray())
        {
            var pod = pods[endpoint!["targetRef"]!["name"]!.GetValue<string>()];
            Assert.Equal("Pod", endpoint["targetRef"]!["kind"]!.GetValue<string>());
            Assert.Equal(pod["metadata"]!["uid"]!.GetValue<string>(), endpoint["targetRef"]!["uid"]!.GetValue<string>());
            Assert.Equal(pod["status"]!["podIP"]!.GetValue<string>(), endpoint["addresses"]![0]!.GetValue<string>());
            var node = pod["spec"]!["nodeName"]!.GetValue<string>();
            Assert.Equal(node, endpoint["nodeName"]!.GetValue<string>());
            Assert.Equal(zones[node], endpoint["zone"]!.GetValue<string>());
            Assert.True(endpoint["conditions"]!["ready"]!.GetValue<bool>());
            Assert.True(endpoint["conditions"]!["serving"]!.GetValue<bool>());
            Assert.False(endpoint["conditions"]!["terminating"]!.GetValue<bool>());
        }

        var legacy = cluster.Store.Get(ResourceTypes.Endpoints, "shop", "web")!;
        Assert.Equal(3, legacy["subsets"]![0]!["addresses"]!.AsArray().Count);
        Assert.Equal(8080, legacy["subsets"]![0]!["ports"]![0]!["port"].AsLong());
    }

    [Fact]
    public async Task Not_ready_pod_is_listed_as_not_ready_and_scaling_updates_the_slice()
    {
        await using var cluster = ClusterTestHarness.Start();
        cluster.CreateNamespace("shop");
        cluster.CreateDeployment("shop", "web", 2, "web");
        CreateService(cluster, "shop", "web", "web", targetPort: 8080);
        await cluster.UntilAsync(() => cluster.Slices("shop", "web").SingleOrDefault()?["endpoints"] is JsonArray { Count: 2 }, "2 endpoints");

        // A pod whose readiness fails (as the kubelet would write it) shows up not ready, in notReadyAddresses.
        var pod = cluster.Pods("shop", "web")[0];
        var podName = pod["metadata"]!["name"]!.GetValue<string>();
        cluster.Store.Mutate(ResourceTypes.Pods, "shop", podName, p =>
        {
            foreach (var condition in p["status"]!["conditions"]!.AsArray())
            {
                if (condition!["type"]!.GetValue<string>() is "Ready" or "ContainersReady")
                {
                    condition["status"] = "False";
                }
            }
            return p;
        }, statusOnly: true);
        await cluster.UntilAsync(() => cluster.Slices("shop", "web").Single()["endpoints"]!.AsArray()
            .Any(e => e!["targetRef"]!["name"]!.GetValue<string>() == podName && !e["conditions"]!["ready"]!.GetValue<bool>()), "endpoint not ready");
        var subset = cluster.Store.Get(ResourceTypes.Endpoints, "shop", "web")!["subsets"]![0]!;
        Assert.Equal(podName, subset["notReadyAddresses"]![0]!["targetRef"]!["name"]!.GetValue<string>());
        Assert.Single(subset["addresses"]!.AsArray());

        cluster.Store.Mutate(ResourceTypes.Deployments, "shop", "web", d =>
        {
            d["spec"]!["replicas"] = 4;
            return d;
        });
        await cluster.UntilAsync(() => cluster.Slices("shop", "web").Single()["endpoints"] is JsonArray { Count: 4 }, "4 endpoints after scale up");
    }

    [Fact]
    public async Task Selector_matching_no_pod_gives_an_empty_slice_and_deleting_the_service_removes_it()
    {
        await using var cluster = ClusterTestHarness.Start();
        cluster.CreateNamespace("tools");
        CreateService(cluster, "tools", "ghost", "nothing-has-this-label", targetPort: 8080);
        await cluster.UntilAsync(() => cluster.Slices("tools", "ghost").Count == 1 && cluster.Store.Get(ResourceTypes.Endpoints, "tools", "ghost") is not null, "placeholder slice");
        var slice = cluster.Slices("tools", "ghost").Single();
        Assert.Null(slice["endpoints"]);
        Assert.Null(cluster.Store.Get(ResourceTypes.Endpoints, "tools", "ghost")!["subsets"]);

        cluster.Store.Delete(ResourceTypes.Services, "tools", "ghost");
        await cluster.UntilAsync(() => cluster.Slices("tools", "ghost").Count == 0 && cluster.Store.Get(ResourceTypes.Endpoints, "tools", "ghost") is null, "slice and endpoints gone");
    }

    [Fact]
    public async Task A_deleted_slice_is_recreated()
    {
        await using var cluster = ClusterTestHarness.Start();
        cluster.CreateNamespace("shop");
        cluster.CreateDeployment("shop", "web", 1, "web");
        CreateService(cluster, "shop", "web", "web", targetPort: "http");
        await cluster.UntilAsync(() => cluster.Slices("shop", "web").SingleOrDefault()?["endpoints"] is JsonArray { Count: 1 }, "1 endpoint");
        var name = cluster.Slices("shop", "web").Single()["metadata"]!["name"]!.GetValue<string>();
        cluster.Store.Delete(ResourceTypes.EndpointSlices, "shop", name);
        await cluster.UntilAsync(() => cluster.Slices("shop", "web").SingleOrDefault()?["endpoints"] is JsonArray { Count: 1 }, "slice back");
    }

    [Fact]
    public async Task LoadBalancer_service_stored_without_addresses_gets_a_cluster_ip_and_node_ports()
    {
        await using var cluster = ClusterTestHarness.Start();
        cluster.CreateNamespace("shop");
        cluster.Store.Create(ResourceTypes.Services, "shop", (JsonObject)JsonNode.Parse("""
            {"metadata":{"name":"edge","namespace":"shop"},
             "spec":{"type":"LoadBalancer","selector":{"app":"web"},"ports":[{"name":"http","port":80,"targetPort":8080},{"name":"https","port":443,"targetPort":8443}]}}
            """)!);
        await cluster.UntilAsync(() => cluster.Store.Get(ResourceTypes.Services, "shop", "edge")?["spec"]?["clusterIP"] is not null, "cluster IP");
        var spec = cluster.Store.Get(ResourceTypes.Services, "shop", "edge")!["spec"]!;
        Assert.StartsWith("10.100.", spec["clusterIP"]!.GetValue<string>(), StringComparison.Ordinal);
        var nodePorts = spec["ports"]!.AsArray().Select(p => p!["nodePort"].AsLong()).ToList();
        Assert.All(nodePorts, p => Assert.InRange(p, ServiceDefaults.NodePortMin, ServiceDefaults.NodePortMax));
        Assert.Equal(2, nodePorts.Distinct().Count());
    }

    internal static void CreateService(ClusterTestHarness cluster, string ns, string name, string app, JsonNode targetPort) =>
        cluster.Store.Create(ResourceTypes.Services, ns, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = new JsonObject
            {
                ["selector"] = new JsonObject { ["app"] = app },
                ["ports"] = new JsonArray { new JsonObject { ["name"] = "http", ["port"] = 80, ["targetPort"] = targetPort } },
            },
        });
}
