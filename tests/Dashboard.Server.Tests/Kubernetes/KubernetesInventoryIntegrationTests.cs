using Dashboard.Client.Feed;
using Dashboard.Client.Model;
using Dashboard.Sandbox.Kubernetes;
using Dashboard.Server.Configuration;
using Dashboard.Server.Feed;
using Dashboard.Server.Inventory;
using Dashboard.Server.Kubernetes;
using Dashboard.Testing;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Dashboard.Server.Tests.Kubernetes;

/// <summary>
/// The server's caches and feed against a Kubernetes API over loopback, with the real KubernetesClient. The API is
/// <see cref="MockKubeApiServer"/> over the sandbox's ResourceStore (real resourceVersions, watch replay and 410).
/// </summary>
public sealed class KubernetesInventoryIntegrationTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = Patience.Eventually;
    private readonly CancellationTokenSource _stop = new();
    private MockKubeApiServer _server = null!;
    private KubernetesConnection _connection = null!;
    private KubernetesCaches _caches = null!;
    private DashboardFeed _feed = null!;
    private Task _running = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        _server = await MockKubeApiServer.StartAsync();
        _server.Create(ResourceTypes.Namespaces, null, """{"metadata":{"name":"mlops"}}""");
        _server.Create(ResourceTypes.Namespaces, null, """{"metadata":{"name":"kube-system"}}""");
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running.WaitAsync(Bound);
        _connection?.Dispose();
        await _server.DisposeAsync();
        _stop.Dispose();
    }

    private void StartCaches()
    {
        _connection = new KubernetesConnection();
        _connection.Connect(new KubernetesClientConfiguration { Host = _server.Uri.ToString().TrimEnd('/') });
        var options = Options.Create(new KubernetesSourceOptions
        {
            Kubernetes = new KubernetesWatchOptions
            {
                RetryInitialDelay = TimeSpan.FromMilliseconds(50),
                RetryMaxDelay = TimeSpan.FromMilliseconds(200),
                WatchTimeout = TimeSpan.FromMinutes(1),
            },
        });
        var board = new SourceStatusRegistry(TimeProvider.System);
        _caches = new KubernetesCaches(_connection, options, board, TimeProvider.System, NullLoggerFactory.Instance);
        var index = new ClusterIndex();
        index.Attach(_caches);
        var inventory = new KubernetesInventory(index, TimeProvider.System);
        inventory.Attach(_caches);
        _feed = new DashboardFeed(inventory, board, TimeProvider.System);
        _running = Task.WhenAll(_caches.All.Select(c => Task.Run(() => c.RunAsync(_stop.Token))));
    }

    private void CreateService(string name, string app) => _server.Create(ResourceTypes.Services, "mlops", $$$"""
        {"metadata":{"name":"{{{name}}}","namespace":"mlops",
          "annotations":{"service.beta.kubernetes.io/aws-load-balancer-type":"nlb"}},
         "spec":{"type":"LoadBalancer","selector":{"app":"{{{app}}}"},"ports":[{"port":80,"targetPort":8080,"protocol":"TCP"}],
                 "loadBalancerSourceRanges":["0.0.0.0/0"]}}
        """);

    [Fact]
    public async Task Objects_listed_at_start_and_changes_made_afterwards_reach_a_feed_subscription()
    {
        CreateService("api", "api");
        _server.Create(ResourceTypes.Pods, "mlops", """{"metadata":{"name":"api-1","labels":{"app":"api"}},"spec":{"containers":[{"name":"main","image":"x"}]},"status":{"phase":"Running"}}""");
        _server.Create(ResourceTypes.EndpointSlices, "mlops", """
            {"metadata":{"name":"api-abcde","labels":{"kubernetes.io/service-name":"api"}},"addressType":"IPv4",
             "endpoints":[{"addresses":["10.0.1.5"],"conditions":{"ready":true},"nodeName":"node-a","zone":"us-east-1a","targetRef":{"kind":"Pod","name":"api-1"}}]}
            """);
        _server.Create(ResourceTypes.Deployments, "kube-system", """{"metadata":{"name":"aws-load-balancer-controller"},"spec":{"selector":{"matchLabels":{"app":"c"}},"template":{"metadata":{"labels":{"app":"c"}},"spec":{"containers":[{"name":"c","image":"x"}]}}}}""");
        StartCaches();
        await WaitForSourceAsync(s => s.State == SourceState.Live);
        using var cts = new CancellationTokenSource(Bound);

        var subscription = _feed.Services.Subscribe(cts.Token);
        var api = Assert.Single(subscription.Snapshot);
        Assert.Equal(("mlops/api", 1, 0), (api.Key, api.ReadyEndpoints, api.NotReadyEndpoints));
        Assert.Contains(api.Lints, l => l.Code == InventoryLints.Codes.InTreeNlbWithController);
        Assert.Contains(api.Lints, l => l.Code == InventoryLints.Codes.OpenSourceRanges);

        await using var changes = subscription.Changes.GetAsyncEnumerator(cts.Token);
        CreateService("web", "web");
        var web = await ReadUntilAsync(changes, c => c.Key == "mlops/web");
        Assert.Equal(FeedChangeKind.Upsert, web.Kind);
        Assert.Contains(web.Item!.Lints, l => l.Code == InventoryLints.Codes.SelectorMatchesNoPod);

        _server.Store.Delete(ResourceTypes.Services, "mlops", "web");
        Assert.Equal(FeedChangeKind.Delete, (await ReadUntilAsync(changes, c => c.Key == "mlops/web")).Kind);

        var detail = await _feed.GetDetailAsync(ObjectKind.Service, "mlops", "api", cts.Token);
        Assert.NotNull(detail);
        Assert.Contains("name: api", detail.Yaml);
        Assert.Equal(new EndpointView("10.0.1.5", "api-1", "node-a", "us-east-1a", true, true, false), Assert.Single(detail.Endpoints));
    }

    [Fact]
    public async Task A_dropped_watch_whose_version_expired_relists_and_reports_objects_deleted_meanwhile()
    {
        CreateService("old", "old");
        CreateService("kept", "kept");
        StartCaches();
        await WaitForSourceAsync(s => s.State == SourceState.Live);
        using var cts = new CancellationTokenSource(Bound);
        var subscription = _feed.Services.Subscribe(cts.Token);
        Assert.Equal(2, subscription.Snapshot.Length);
        await using var changes = subscription.Changes.GetAsyncEnumerator(cts.Token);

        // Park the re-watches, change the world behind them and forget the history: their version is now too old (410).
        _server.HoldWatches();
        _server.Store.DropWatches();
        await _server.WaitForParkedWatchesAsync(_caches.All.Count, Bound);
        _server.Store.Delete(ResourceTypes.Services, "mlops", "old");
        CreateService("new", "new");
        _server.Store.CompactHistory();
        _server.ReleaseWatches();

        var seen = new Dictionary<string, FeedChangeKind>();
        await ReadUntilAsync(changes, c =>
        {
            seen[c.Key] = c.Kind;
            return seen.ContainsKey("mlops/old") && seen.ContainsKey("mlops/new");
        });
        Assert.Equal(FeedChangeKind.Delete, seen["mlops/old"]);
        Assert.Equal(FeedChangeKind.Upsert, seen["mlops/new"]);
        Assert.Equal(["mlops/kept", "mlops/new"], _feed.Services.Subscribe(cts.Token).Snapshot.Select(s => s.Key));
    }

    [Fact]
    public async Task An_api_server_outage_is_reported_stale_with_the_last_good_time_and_recovers()
    {
        CreateService("api", "api");
        StartCaches();
        var live = await WaitForSourceAsync(s => s.State == SourceState.Live);
        var downAt = DateTimeOffset.UtcNow;

        _server.Down = true;
        _server.Store.DropWatches();
        var stale = await WaitForSourceAsync(s => s.State == SourceState.Stale);

        Assert.NotNull(stale.LastGoodAt);
        Assert.True(stale.LastGoodAt >= live.LastGoodAt && stale.LastGoodAt <= DateTimeOffset.UtcNow);
        Assert.False(string.IsNullOrWhiteSpace(stale.Message));

        Assert.NotNull(stale.NextRetryAt);
        var detail = await _feed.GetDetailAsync(ObjectKind.Service, "mlops", "api", CancellationToken.None);
        Assert.True(detail!.AsOf <= downAt.AddSeconds(1)); // last known value, marked with its time

        _server.Down = false;
        var recovered = await WaitForSourceAsync(s => s.State == SourceState.Live);
        Assert.Null(recovered.Message);
        Assert.True(recovered.LastGoodAt > stale.LastGoodAt);
    }

    private async Task<SourceStatus> WaitForSourceAsync(Func<SourceStatus, bool> condition)
    {
        using var cts = new CancellationTokenSource(Bound);
        var subscription = _feed.Sources.Subscribe(cts.Token);
        var current = subscription.Snapshot.Single(s => s.Key == KubernetesCaches.SourceKey);
        if (condition(current))
        {
            return current;
        }
        await using var changes = subscription.Changes.GetAsyncEnumerator(cts.Token);
        var change = await ReadUntilAsync(changes, c => c.Key == KubernetesCaches.SourceKey && condition(c.Item!));
        return change.Item!;
    }

    private static async Task<FeedChange<T>> ReadUntilAsync<T>(IAsyncEnumerator<IReadOnlyList<FeedChange<T>>> changes, Func<FeedChange<T>, bool> condition)
    {
        while (await changes.MoveNextAsync().AsTask().WaitAsync(Bound))
        {
            foreach (var change in changes.Current)
            {
                if (condition(change))
                {
                    return change;
                }
            }
        }
        throw new Xunit.Sdk.XunitException("The feed ended before the expected change arrived.");
    }
}
