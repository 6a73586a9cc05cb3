using System.Text.Json.Nodes;
using Dashboard.Sandbox.Aws;
using Dashboard.Sandbox.Cluster;
using Dashboard.Sandbox.Cluster.Scenario;
using Dashboard.Sandbox.Kubernetes;
using Dashboard.Sandbox.LoadBalancerController;
using Dashboard.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Dashboard.Sandbox.Tests.LoadBalancerController;

/// <summary>
/// A cluster simulation, an AWS world and the load balancer controller on one <see cref="FakeTimeProvider"/>.
/// <see cref="AdvanceUntilAsync"/> moves simulated time one step at a time, each time after both simulation loops have
/// settled (nothing left to take in or reconcile, twice in a row), so minutes of health checks take a second or two and
/// no step is taken while a reconcile is still on its way, however busy the machine is.
/// </summary>
internal sealed class SimulatedAccount : IAsyncDisposable
{
    private SimulatedAccount(SandboxOptions options)
    {
        Options = options;
        Store = new ResourceStore(Time);
        Cluster = new ClusterSimulation(Store, options, Time);
        Aws = AwsWorld.FromOptions(options, Time);
        Controller = new AwsLoadBalancerController(Store, Aws, Cluster, options, Time);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 6, 2, 9, 0, 0, TimeSpan.Zero));
    public SandboxOptions Options { get; }
    public ResourceStore Store { get; }
    public ClusterSimulation Cluster { get; }
    public AwsWorld Aws { get; }
    public AwsLoadBalancerController Controller { get; }

    public static SimulatedAccount Start(Action<SandboxOptions>? configure = null)
    {
        var options = new SandboxOptions { LoadScenario = false, ProvisioningDelay = TimeSpan.FromSeconds(3) };
        // Readiness follows a pod's health annotation only after an hour, so the load balancer's own health checks
        // (not the pod leaving its endpoints) decide what DescribeTargetHealth shows.
        options.Cluster.ReadinessDelay = TimeSpan.FromHours(1);
        configure?.Invoke(options);
        var account = new SimulatedAccount(options);
        account.Cluster.Start();
        account.Controller.Start();
        return account;
    }

    /// <summary>Creates every object of a YAML stream (namespaces first, as written).</summary>
    public void Apply(string yaml)
    {
        foreach (var manifest in YamlManifests.Parse(yaml))
        {
            var type = ResourceTypes.FindByKind(manifest["apiVersion"]!.GetValue<string>(), manifest["kind"]!.GetValue<string>())!;
            Store.Create(type, manifest["metadata"]?["namespace"]?.GetValue<string>(), manifest);
        }
    }

    public JsonObject? Mutate(ResourceType type, string? ns, string name, Action<JsonObject> change) =>
        Store.Mutate(type, ns, name, o =>
        {
            change(o);
            return o;
        });

    public void Annotate(ResourceType type, string? ns, string name, string key, string? value) =>
        Mutate(type, ns, name, o =>
        {
            var annotations = o["metadata"]!["annotations"] as JsonObject ?? [];
            if (value is null)
            {
                annotations.Remove(key);
            }
            else
            {
                annotations[key] = value;
            }
            o["metadata"]!["annotations"] = annotations.DeepClone();
        });

    public List<JsonObject> Pods(string ns) => [.. Store.List(ResourceTypes.Pods, ns).Items];

    public static string? Hostname(JsonObject? obj) => obj?["status"]?["loadBalancer"]?["ingress"]?[0]?["hostname"]?.GetValue<string>();

    /// <summary>An Event's count, whichever number type backs it.</summary>
    public static int Count(JsonObject ev) => int.Parse(ev["count"]!.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);

    public List<JsonObject> Events(string ns, string reason) =>
        [.. Store.List(ResourceTypes.Events, ns).Items.Where(e => e["reason"]?.GetValue<string>() == reason)];

    /// <summary>
    /// Advances simulated time by <paramref name="step"/> until <paramref name="condition"/> holds, at most by
    /// <paramref name="limit"/>; returns whether it held. Each step first lets the simulations settle.
    /// </summary>
    public async Task<bool> AdvanceUntilAsync(Func<bool> condition, TimeSpan limit, TimeSpan? step = null)
    {
        var end = Time.GetUtcNow() + limit;
        while (true)
        {
            await SettleAsync();
            if (condition())
            {
                return true;
            }
            if (Time.GetUtcNow() >= end)
            {
                return false;
            }
            Time.Advance(step ?? TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>Advances simulated time by <paramref name="duration"/>, settling after every second.</summary>
    public Task AdvanceAsync(TimeSpan duration) => AdvanceUntilAsync(() => false, duration);

    /// <summary>
    /// Waits until the cluster simulation and the controller are both idle in two readings in a row with no round run in
    /// between (one loop's writes wake the other, so one reading is not enough). Bounded only against a hang.
    /// </summary>
    public async Task SettleAsync()
    {
        using var limit = new CancellationTokenSource(Patience.Eventually);
        (SimulationProgress Cluster, SimulationProgress Controller)? previous = null;
        while (true)
        {
            var reading = (Cluster.Progress, Controller.Progress);
            if (reading.Item1.Idle && reading.Item2.Idle)
            {
                if (previous == reading)
                {
                    return;
                }
                previous = reading;
            }
            else
            {
                previous = null;
            }
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(1), limit.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The simulation did not settle within {Patience.Eventually}: cluster {reading.Item1}, controller {reading.Item2}.");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Controller.DisposeAsync();
        await Cluster.DisposeAsync();
    }
}
