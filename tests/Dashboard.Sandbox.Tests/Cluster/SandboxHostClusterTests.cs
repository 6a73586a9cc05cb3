using Dashboard.Sandbox.Kubernetes;

namespace Dashboard.Sandbox.Tests.Cluster;

public sealed class SandboxHostClusterTests
{
    [Fact]
    public async Task Host_runs_the_cluster_simulation_with_the_scenario_and_stops_it_on_dispose()
    {
        var options = new SandboxOptions { KubernetesUrl = "http://127.0.0.1:0", AwsUrl = "http://127.0.0.1:0" };
        var host = await SandboxHost.StartAsync(options, loggerFactory: null, CancellationToken.None);
        try
        {
            Assert.Same(host.Store, host.Cluster.Store);
            Assert.NotNull(host.Store.Get(ResourceTypes.Services, "mlops", "retail-forecast-nlb"));
            await ClusterTestHarness.UntilAsync(host.Store, () => host.Store.List(ResourceTypes.Pods, "mlops").Items.Count == 3, "mlops pods");
            var pod = host.Store.List(ResourceTypes.Pods, "mlops").Items[0];
            var behaviour = host.Cluster.Behaviour("mlops", pod["metadata"]!["name"]!.GetValue<string>());
            Assert.NotNull(behaviour);
            Assert.Equal(pod["status"]!["podIP"]!.GetValue<string>(), behaviour.PodIp);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }
}
