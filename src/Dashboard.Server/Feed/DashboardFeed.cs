using System.Collections.Immutable;
using Dashboard.Client.Feed;
using Dashboard.Client.Model;

namespace Dashboard.Server.Feed;

/// <summary>
/// The server's <see cref="IDashboardFeed"/>: one object for every page, each kind served by the
/// <see cref="FeedBroadcaster{T}"/> of the stage that computes it — Services and Ingresses by the inventory, source states
/// by the registry, load balancers, triage and endpoints by the topology join (<see cref="ITopologyFeeds"/>), the cost
/// report by the costs stage (<see cref="ICostReportFeed"/>). Nothing here calls the API server or AWS. A host without
/// the topology or costs (tests, benchmarks of the inventory alone) serves those kinds empty.
/// </summary>
public sealed class DashboardFeed(
    IInventoryFeeds inventory,
    SourceStatusRegistry sources,
    TimeProvider time,
    ITopologyFeeds? topology = null,
    ICostReportFeed? costs = null,
    IIncidentFeed? incidents = null,
    Audit.IAuditFeed? audit = null) : IDashboardFeed
{
    public IFeed<ServiceViewModel> Services => inventory.Services;

    public IFeed<IngressViewModel> Ingresses => inventory.Ingresses;

    public IFeed<SourceStatus> Sources => sources.Broadcaster;

    public IFeed<LoadBalancerViewModel> LoadBalancers => topology?.LoadBalancers ?? EmptyFeed<LoadBalancerViewModel>.Instance;

    public IFeed<TriageItem> Triage => topology?.Triage ?? EmptyFeed<TriageItem>.Instance;

    public IFeed<EndpointIncident> Incidents => incidents?.Incidents ?? EndpointIncident.NoHistory;

    public IFeed<Client.Changes.ChangeRecord> Audit => audit?.Records ?? Client.Changes.NoAudit.Feed;

    public IFeed<CostReport> CostReport => costs?.Reports ?? EmptyFeed<CostReport>.Instance;

    public IFeed<EndpointViewModel> Endpoint(ObjectRef endpoint) =>
        topology?.Endpoint(endpoint) ?? EmptyFeed<EndpointViewModel>.Instance;

    public Task<ObjectDetail?> GetDetailAsync(ObjectKind kind, string @namespace, string name, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var status = sources.Get(SourceStatusBoard.KubernetesSourceKey);
        // Live data is as of now; stale data as of the last moment the API server answered.
        var asOf = status is { State: SourceState.Stale or SourceState.Syncing, LastGoodAt: { } lastGood } ? lastGood : time.GetUtcNow();
        return Task.FromResult(inventory.GetDetail(kind, @namespace, name, asOf));
    }

    public Task<PodLog> GetPodLogAsync(string @namespace, string pod, int tailLines, CancellationToken cancellationToken) =>
        topology?.GetPodLogAsync(@namespace, pod, tailLines, cancellationToken)
        ?? Task.FromResult(new PodLog(@namespace, pod, "", false, "Pod logs are not available: no Kubernetes connection.", time.GetUtcNow()));

    public Task RefreshCostReportAsync(CancellationToken cancellationToken) =>
        costs?.RefreshAsync(cancellationToken) ?? throw new InvalidOperationException("Costs are not configured on this server.");

    /// <summary>A kind this host does not compute: nothing now, nothing later.</summary>
    private sealed class EmptyFeed<T> : IFeed<T> where T : class
    {
        public static IFeed<T> Instance { get; } = new EmptyFeed<T>();

        public ImmutableArray<T> Snapshot => [];

        public FeedSubscription<T> Subscribe(CancellationToken cancellationToken) => new([], NoChangesAsync(cancellationToken));

        private static async IAsyncEnumerable<IReadOnlyList<FeedChange<T>>> NoChangesAsync(
            [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            yield break;
        }
    }
}
