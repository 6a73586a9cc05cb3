using Dashboard.Client.Feed;
using Dashboard.Client.Model;
using Dashboard.Server.Kubernetes;

namespace Dashboard.Server.Inventory;

/// <summary>
/// The server's <see cref="IDashboardFeed"/>: every subscriber shares the one inventory and gets its own batched change
/// stream. Nothing here calls the API server.
/// </summary>
public sealed class DashboardFeed(KubernetesInventory inventory, SourceStatusRegistry sources, TimeProvider time) : IDashboardFeed
{
    public FeedSubscription<ServiceViewModel> SubscribeServices(CancellationToken cancellationToken) =>
        inventory.Services.Subscribe(cancellationToken);

    public FeedSubscription<IngressViewModel> SubscribeIngresses(CancellationToken cancellationToken) =>
        inventory.Ingresses.Subscribe(cancellationToken);

    public FeedSubscription<SourceStatus> SubscribeSources(CancellationToken cancellationToken) =>
        sources.Broadcaster.Subscribe(cancellationToken);

    public Task<ObjectDetail?> GetDetailAsync(ObjectKind kind, string @namespace, string name, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var status = sources.Get(KubernetesCaches.SourceKey);
        // Live data is as of now; stale data as of the last moment the API server answered.
        var asOf = status is { State: SourceState.Stale or SourceState.Syncing, LastGoodAt: { } lastGood } ? lastGood : time.GetUtcNow();
        return Task.FromResult(inventory.GetDetail(kind, @namespace, name, asOf));
    }
}
