using Dashboard.Sandbox.Kubernetes;
using Dashboard.Testing;

namespace Dashboard.Sandbox.Tests.Cluster;

public sealed class ScaleScenarioTests
{
    [Fact]
    public async Task Ten_thousand_services_and_two_thousand_ingresses_load_in_seconds_and_settle()
    {
        await using var cluster = ClusterTestHarness.Start(o =>
        {
            o.LoadScenario = false;
            o.Scale.Services = 10_000;
            o.Scale.Ingresses = 2_000;
            o.Scale.PodsPerService = 1;
        });
        // How fast it loads is measured by the benchmarks (docs/benchmarks.md), not asserted here.

        var store = cluster.Store;
        Assert.Equal(10_000, store.List(ResourceTypes.Services, null, s => s["metadata"]!["namespace"]!.GetValue<string>().StartsWith("synthetic-", StringComparison.Ordinal)).Items.Count);
        Assert.Equal(2_000, store.Count(ResourceTypes.Ingresses));
        Assert.Equal(10_000, store.Count(ResourceTypes.Deployments));
        Assert.Equal(10_000, store.Count(ResourceTypes.Pods));
        // One slice per synthetic Service, plus the slice the API server keeps for the default/kubernetes Service.
        Assert.Equal(10_000 + 1, store.Count(ResourceTypes.EndpointSlices));
        Assert.Equal(100, store.List(ResourceTypes.Namespaces).Items.Count(n => n["metadata"]!["name"]!.GetValue<string>().StartsWith("synthetic-", StringComparison.Ordinal)));
        Assert.Equal(500, store.List(ResourceTypes.Services).Items.Count(s => s["spec"]!["type"]!.GetValue<string>() == "LoadBalancer"));
        Assert.Empty(store.List(ResourceTypes.Events).Items);

        // The controllers take over the bulk without rewriting it: changing one synthetic deployment still works.
        store.Mutate(ResourceTypes.Deployments, "synthetic-0007", "svc-00007", d =>
        {
            d["spec"]!["replicas"] = 2;
            return d;
        });
        await cluster.UntilAsync(() => store.List(ResourceTypes.Pods, "synthetic-0007").Items.Count(p => p["metadata"]!["name"]!.GetValue<string>().StartsWith("svc-00007-", StringComparison.Ordinal)) == 2,
            "second pod of svc-00007", Patience.Eventually);
        await cluster.UntilAsync(() => cluster.Slices("synthetic-0007", "svc-00007").Single()["endpoints"]!.AsArray().Count == 2, "2 endpoints of svc-00007", Patience.Eventually);
    }

    [Fact]
    public void Bad_scale_options_are_rejected_naming_the_setting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ClusterTestHarness.Start(o => o.Scale.Ingresses = 5));
        Assert.Contains("Sandbox:Scale:Ingresses", error.Message, StringComparison.Ordinal);
    }
}
