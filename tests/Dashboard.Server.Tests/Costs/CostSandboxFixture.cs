using Dashboard.Client.Model;
using Dashboard.Sandbox;
using Dashboard.Sandbox.Kubernetes;
using Dashboard.Server.Aws;
using Dashboard.Server.Aws.CostExplorer;
using Dashboard.Server.Costs;
using Dashboard.Server.Feed;
using Dashboard.Server.LoadBalancers;
using Dashboard.Server.Tests.Support;
using Dashboard.Server.Topology;
using Dashboard.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Dashboard.Server.Tests.Costs;

/// <summary>
/// The server's Kubernetes side, AWS clients and cost registrations in sandbox mode, with the seed scenario loaded and
/// every scenario balancer provisioned, polled into the AWS snapshot and joined by the topology. The background refresh is left out: tests build their own
/// <see cref="CostService"/> (with their own clock) so each starts from empty caches. Cost Explorer requests are counted
/// on their way to the sandbox.
/// </summary>
public sealed class CostSandboxFixture : IAsyncLifetime
{
    private static readonly TimeSpan Bound = Patience.Eventually;

    private static IReadOnlyList<(ResourceType Type, string Namespace, string Name)> ScenarioOwners => Dashboard.Sandbox.Cluster.Scenario.SeedManifests.LoadBalancedObjects;

    private SandboxServerHost _server = null!;

    public SandboxHost Sandbox => _server.Sandbox;

    public CountingCostExplorer CostExplorer { get; private set; } = null!;

    public IServiceProvider Services => _server.Services;

    public async Task InitializeAsync()
    {
        _server = await SandboxServerHost.StartAsync("cost-sandbox", new Dictionary<string, string?>
        {
            ["Dashboard:Aws:Retry:MaxAttempts"] = "2",
            ["Dashboard:Aws:Retry:BaseDelay"] = "00:00:00.010",
            ["Dashboard:Aws:Retry:MaxDelay"] = "00:00:00.050",
            ["Sandbox:ProvisioningDelay"] = "00:00:00.200",
            // The poller lists often and reads usage often, so balancers made by a test and their usage reach the snapshot fast.
            ["Dashboard:Aws:Polling:ConfigurationInterval"] = "00:00:01",
            ["Dashboard:Costs:UsageRefresh"] = "00:00:02",
            ["Dashboard:Topology:Debounce"] = "00:00:00.050",
        }, builder =>
        {
            builder.Logging.ClearProviders();
            builder.Services.AddDashboardAws(builder.Configuration);
            builder.Services.AddDashboardLoadBalancers(builder.Configuration);
            builder.Services.AddDashboardCosts(builder.Configuration);
            builder.Services.AddDashboardTopology(builder.Configuration);
            builder.Services.Remove(builder.Services.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(CostRefreshService)));
            builder.Services.AddSingleton<CostExplorerClient>();
            builder.Services.AddSingleton(sp => new CountingCostExplorer(sp.GetRequiredService<CostExplorerClient>()));
        });
        CostExplorer = Services.GetRequiredService<CountingCostExplorer>();

        string? Hostname((ResourceType Type, string Namespace, string Name) o) =>
            Sandbox.Store.Get(o.Type, o.Namespace, o.Name)?["status"]?["loadBalancer"]?["ingress"]?[0]?["hostname"]?.GetValue<string>();
        await WaitUntilAsync(() => ScenarioOwners.All(o => Hostname(o) is not null) && ScenarioJoined(), "the scenario's balancers joined to their owners, with usage");
    }

    public TopologyFeed Topology => Services.GetRequiredService<TopologyFeed>();

    public IAwsSnapshotSource Aws => Services.GetRequiredService<IAwsSnapshotSource>();

    /// <summary>
    /// Every balancer of the sandbox's account is in the topology with its tags read (its cluster known) and an owner (or is
    /// a test's orphan), and the usage the poller read covers each of them.
    /// </summary>
    public bool ScenarioJoined()
    {
        var world = Sandbox.AwsWorld.GetLoadBalancers();
        var joined = Topology.Current.LoadBalancers.ToDictionary(b => b.Arn, StringComparer.Ordinal);
        var usage = Aws.Current.Usage;
        return world.Length > 0 && usage is not null
            && world.All(lb => joined.TryGetValue(lb.Arn, out var view) && view.Cluster is not null
                && (view.Owners.Length > 0 || view.Flags.HasFlag(LoadBalancerFlags.Orphan))
                && usage.LcuHours.ContainsKey(lb.Arn));
    }

    /// <summary>A fresh cost service over the fixture's clients (empty caches), on <paramref name="time"/> (the system clock by default).</summary>
    public CostService NewCostService(TimeProvider? time = null, CostOptions? options = null) => new(
        Topology,
        Aws,
        CostExplorer,
        Services.GetRequiredService<SourceStatusRegistry>(),
        Options.Create(options ?? new CostOptions()),
        Services.GetRequiredService<CostEnvironment>(),
        Services.GetRequiredService<AwsCallStatistics>(),
        time ?? TimeProvider.System,
        NullLogger<CostService>.Instance);

    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(Bound);
        while (!condition())
        {
            if (timeout.IsCancellationRequested)
            {
                throw new TimeoutException($"Waited {Bound.TotalSeconds} s for {what}.");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(50), CancellationToken.None);
        }
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();
}

/// <summary>The real Cost Explorer client, with a count of the calls that reached it (each one a billed request).</summary>
public sealed class CountingCostExplorer(ICostExplorerClient inner) : ICostExplorerClient
{
    private long _calls;

    public long Calls => Interlocked.Read(ref _calls);

    public Task<CostAndUsage> GetCostAndUsageAsync(CostAndUsageRequest request, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        return inner.GetCostAndUsageAsync(request, cancellationToken);
    }

    public Task<CostAndUsage> GetCostAndUsageWithResourcesAsync(CostAndUsageRequest request, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        return inner.GetCostAndUsageWithResourcesAsync(request, cancellationToken);
    }

    public Task<CostForecast> GetCostForecastAsync(CostForecastRequest request, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        return inner.GetCostForecastAsync(request, cancellationToken);
    }
}
