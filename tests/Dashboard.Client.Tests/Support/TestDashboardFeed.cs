using System.Collections.Concurrent;
using System.Collections.Immutable;
using Dashboard.Client.Feed;
using Dashboard.Client.Model;

namespace Dashboard.Client.Tests.Support;

/// <summary>
/// An in-memory <see cref="IDashboardFeed"/>: one <see cref="TestFeed{T}"/> per kind (snapshots set before a page
/// subscribes, later batches pushed), plus canned on-demand answers. The target health summary is left to the
/// interface's default (derived from the load balancers), so tests exercise that default too.
/// </summary>
public sealed class TestDashboardFeed : IDashboardFeed
{
    private readonly TestFeed<ServiceViewModel> _services = new();
    private readonly TestFeed<IngressViewModel> _ingresses = new();
    private readonly TestFeed<SourceStatus> _sources = new();
    private readonly TestFeed<LoadBalancerViewModel> _loadBalancers = new();
    private readonly TestFeed<TriageItem> _triage = new();
    private readonly TestFeed<CostReport> _costs = new();
    private readonly ConcurrentDictionary<string, TestFeed<EndpointViewModel>> _endpoints = new(StringComparer.Ordinal);

    public ImmutableArray<ServiceViewModel> Services { get => _services.Snapshot; set => _services.Snapshot = value; }

    public ImmutableArray<IngressViewModel> Ingresses { get => _ingresses.Snapshot; set => _ingresses.Snapshot = value; }

    public ImmutableArray<SourceStatus> Sources { get => _sources.Snapshot; set => _sources.Snapshot = value; }

    public ImmutableArray<LoadBalancerViewModel> LoadBalancers { get => _loadBalancers.Snapshot; set => _loadBalancers.Snapshot = value; }

    public ImmutableArray<TriageItem> Triage { get => _triage.Snapshot; set => _triage.Snapshot = value; }

    /// <summary>The cost report a page finds when it subscribes; null: none built yet.</summary>
    public CostReport? CostReport
    {
        get => _costs.Snapshot.IsDefaultOrEmpty ? null : _costs.Snapshot[0];
        set => _costs.Snapshot = value is null ? [] : [value];
    }

    /// <summary>Endpoint snapshots by <see cref="ObjectRef.Key"/>; a missing key gives an empty snapshot.</summary>
    public Dictionary<string, EndpointViewModel> Endpoints { get; } = new(StringComparer.Ordinal);

    /// <summary>Details by "kind/namespace/name"; a missing key answers null (object gone).</summary>
    public Dictionary<string, ObjectDetail> Details { get; } = new(StringComparer.Ordinal);

    /// <summary>Every detail request, as "kind/namespace/name".</summary>
    public ConcurrentQueue<string> DetailRequests { get; } = new();

    /// <summary>Log text by "namespace/pod"; a missing key answers with an error, as the server does for a gone pod.</summary>
    public Dictionary<string, string> Logs { get; } = new(StringComparer.Ordinal);

    /// <summary>Every log request, as (namespace, pod, tail lines).</summary>
    public ConcurrentQueue<(string Namespace, string Pod, int TailLines)> LogRequests { get; } = new();

    /// <summary>Every endpoint subscribed to, in order, with the token passed.</summary>
    public ConcurrentQueue<(ObjectRef Endpoint, CancellationToken Token)> EndpointSubscriptions { get; } = new();

    /// <summary>How many times a page asked for a new cost report.</summary>
    public int CostRefreshes { get; private set; }

    /// <summary>The token the last Services subscriber passed.</summary>
    public CancellationToken ServicesToken => _services.LastToken;

    /// <summary>The token the last cost report subscriber passed.</summary>
    public CancellationToken CostReportToken => _costs.LastToken;

    /// <summary>The token the last Triage subscriber passed.</summary>
    public CancellationToken TriageToken => _triage.LastToken;

    IFeed<ServiceViewModel> IDashboardFeed.Services => _services;

    IFeed<IngressViewModel> IDashboardFeed.Ingresses => _ingresses;

    IFeed<SourceStatus> IDashboardFeed.Sources => _sources;

    IFeed<LoadBalancerViewModel> IDashboardFeed.LoadBalancers => _loadBalancers;

    IFeed<TriageItem> IDashboardFeed.Triage => _triage;

    IFeed<CostReport> IDashboardFeed.CostReport => _costs;

    /// <summary>The audit records of guided changes: set the snapshot before rendering, push appends after.</summary>
    public TestFeed<Dashboard.Client.Changes.ChangeRecord> Audit { get; } = new();

    IFeed<Dashboard.Client.Changes.ChangeRecord> IDashboardFeed.Audit => Audit;

    public IFeed<EndpointViewModel> Endpoint(ObjectRef endpoint) => new EndpointFeed(this, endpoint);

    public Task<ObjectDetail?> GetDetailAsync(ObjectKind kind, string @namespace, string name, CancellationToken cancellationToken)
    {
        var key = $"{kind}/{@namespace}/{name}";
        DetailRequests.Enqueue(key);
        return Task.FromResult(Details.GetValueOrDefault(key));
    }

    public Task<PodLog> GetPodLogAsync(string @namespace, string pod, int tailLines, CancellationToken cancellationToken)
    {
        LogRequests.Enqueue((@namespace, pod, tailLines));
        return Task.FromResult(Logs.TryGetValue($"{@namespace}/{pod}", out var text)
            ? new PodLog(@namespace, pod, text, Truncated: false, Error: null, Objects.Now)
            : new PodLog(@namespace, pod, "", Truncated: false, Error: $"pods \"{pod}\" not found", Objects.Now));
    }

    public Task RefreshCostReportAsync(CancellationToken cancellationToken)
    {
        CostRefreshes++;
        return Task.CompletedTask;
    }

    public void Push(params FeedChange<ServiceViewModel>[] batch) => _services.Push(batch);

    /// <summary>Ends the Services stream with <paramref name="error"/>.</summary>
    public void FailServices(Exception error) => _services.Fail(error);

    public void Push(params FeedChange<IngressViewModel>[] batch) => _ingresses.Push(batch);

    public void Push(params FeedChange<SourceStatus>[] batch) => _sources.Push(batch);

    public void Push(params FeedChange<LoadBalancerViewModel>[] batch) => _loadBalancers.Push(batch);

    public void Push(params FeedChange<TriageItem>[] batch) => _triage.Push(batch);

    /// <summary>Publishes a newly built cost report, as the server does after each build.</summary>
    public void Push(CostReport report) => _costs.Push(FeedChange<CostReport>.Upsert(Dashboard.Client.Model.CostReport.SingletonKey, report));

    public void Push(ObjectRef endpoint, params FeedChange<EndpointViewModel>[] batch) => EndpointFeedOf(endpoint).Push(batch);

    private TestFeed<EndpointViewModel> EndpointFeedOf(ObjectRef endpoint) => _endpoints.GetOrAdd(endpoint.Key, _ => new TestFeed<EndpointViewModel>());

    private sealed class EndpointFeed(TestDashboardFeed owner, ObjectRef endpoint) : IFeed<EndpointViewModel>
    {
        public ImmutableArray<EndpointViewModel> Snapshot =>
            owner.Endpoints.TryGetValue(endpoint.Key, out var found) ? [found] : [];

        public FeedSubscription<EndpointViewModel> Subscribe(CancellationToken cancellationToken)
        {
            owner.EndpointSubscriptions.Enqueue((endpoint, cancellationToken));
            var feed = owner.EndpointFeedOf(endpoint);
            feed.Snapshot = Snapshot;
            return feed.Subscribe(cancellationToken);
        }
    }
}
