using Dashboard.Client.Feed;
using Dashboard.Client.Model;
using Dashboard.Server.Kubernetes;
using Dashboard.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using k8s;
using k8s.Models;
using Dashboard.Testing;

namespace Dashboard.Server.Tests.Kubernetes;

/// <summary>
/// The whole Kubernetes side of the server in sandbox mode: the in-process sandbox API on port 0, the caches and the feed,
/// with changes made over HTTP through KubernetesClient as any other client would.
/// </summary>
public sealed class SandboxInventoryIntegrationTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = Patience.Eventually;
    private SandboxServerHost _server = null!;

    public async Task InitializeAsync()
    {
        _server = await SandboxServerHost.StartAsync("sandbox-inventory", new Dictionary<string, string?>
        {
            ["Sandbox:LoadScenario"] = "false",
        });
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_service_created_through_the_sandbox_api_reaches_a_feed_subscription_also_after_a_dropped_watch()
    {
        var feed = _server.Services.GetRequiredService<IDashboardFeed>();
        using var cts = new CancellationTokenSource(Bound);
        await WaitForLiveAsync(feed, cts.Token);
        await _server.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "mlops" } }, cancellationToken: cts.Token);
        var subscription = feed.Services.Subscribe(cts.Token);
        await using var changes = subscription.Changes.GetAsyncEnumerator(cts.Token);

        await _server.Client.CoreV1.CreateNamespacedServiceAsync(Service("retail-forecast-nlb"), "mlops", cancellationToken: cts.Token);
        // The simulated controllers update the Service after creation (addresses, status); wait for the kinds we assert.
        var created = await ReadUntilAsync(changes, c => c.Key == "mlops/retail-forecast-nlb" && c.Kind == FeedChangeKind.Upsert);

        Assert.Equal(FeedChangeKind.Upsert, created.Kind);
        Assert.Equal(LoadBalancerController.InTree, created.Item!.LoadBalancer!.Controller);
        Assert.Equal("internet-facing", created.Item.LoadBalancer.Scheme);

        _server.Services.GetRequiredService<KubernetesSourceHostedService>().Sandbox!.Store.DropWatches();
        await _server.Client.CoreV1.DeleteNamespacedServiceAsync("retail-forecast-nlb", "mlops", cancellationToken: cts.Token);

        Assert.Null((await ReadUntilAsync(changes, c => c.Key == "mlops/retail-forecast-nlb" && c.Kind == FeedChangeKind.Delete)).Item);
    }

    [Fact]
    public async Task A_cache_hands_out_the_same_array_until_its_kind_changes_and_then_a_fresh_one_with_the_change()
    {
        var feed = _server.Services.GetRequiredService<IDashboardFeed>();
        var caches = _server.Services.GetRequiredService<KubernetesCaches>();
        using var cts = new CancellationTokenSource(Bound);
        await WaitForLiveAsync(feed, cts.Token);
        await _server.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "shop" } }, cancellationToken: cts.Token);
        var before = caches.Services.Items;
        Assert.True(before == caches.Services.Items, "an unchanged kind is the same array");

        await _server.Client.CoreV1.CreateNamespacedServiceAsync(Service("storefront-web"), "shop", cancellationToken: cts.Token);
        while (!caches.Services.Items.Any(s => s.Metadata.Name == "storefront-web"))
        {
            await Task.Delay(20, cts.Token);
        }

        Assert.False(before == caches.Services.Items);
        Assert.DoesNotContain(before, s => s.Metadata.Name == "storefront-web");
    }

    private static V1Service Service(string name) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            Annotations = new Dictionary<string, string> { ["service.beta.kubernetes.io/aws-load-balancer-type"] = "nlb" },
        },
        Spec = new V1ServiceSpec
        {
            Type = "LoadBalancer",
            Selector = new Dictionary<string, string> { ["app"] = "retail-forecast-api" },
            Ports = [new V1ServicePort { Name = "http", Port = 80, TargetPort = 8080, Protocol = "TCP" }],
        },
    };

    private static async Task WaitForLiveAsync(IDashboardFeed feed, CancellationToken cancellationToken)
    {
        var subscription = feed.Sources.Subscribe(cancellationToken);
        if (subscription.Snapshot.Any(s => s.Key == KubernetesCaches.SourceKey && s.State == SourceState.Live))
        {
            return;
        }
        await using var changes = subscription.Changes.GetAsyncEnumerator(cancellationToken);
        await ReadUntilAsync(changes, c => c.Key == KubernetesCaches.SourceKey && c.Item!.State == SourceState.Live);
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
