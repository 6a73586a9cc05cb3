using Dashboard.Client.Model;

namespace Dashboard.Client.Feed;

/// <summary>
/// The one feed the pages consume, for every kind of data they show. Each kind is an <see cref="IFeed{T}"/>: a
/// <see cref="IFeed{T}.Snapshot"/> read without subscribing, and <see cref="IFeed{T}.Subscribe"/> → the snapshot plus
/// batches of upsert/delete changes keyed like the items, at most ~10 batches a second per subscriber, pending changes
/// merged by key so a flood of events never floods a browser. Everything comes from the server's shared caches and
/// pollers, never from the sources directly, so a thousand open tabs cost Kubernetes and AWS nothing extra.
/// <para>
/// Why one interface with one <see cref="IFeed{T}"/> per kind (rather than one <c>Subscribe*</c> method per kind, or one
/// <c>IFeed&lt;T&gt;</c> per kind registered in DI): a page injects one service and finds every kind by name; every
/// kind has the same two members, so a page, a test double and the server's read API handle them all alike; and a
/// kind that needs an argument (<see cref="Endpoint"/>) is still an <see cref="IFeed{T}"/>. Single-value kinds
/// (<see cref="TargetHealth"/>, <see cref="CostReport"/>, <see cref="Endpoint"/>) hold zero or one item under a fixed
/// key; each batch replaces it.
/// </para>
/// <para>
/// The three methods are the on-demand reads and commands that are not live collections; pages call them and hand the
/// answers to their components (no component calls the feed itself).
/// </para>
/// Implemented in Dashboard.Server (<c>DashboardFeed</c>); tests supply their own.
/// </summary>
public interface IDashboardFeed
{
    /// <summary>Every Service across namespaces, keyed "namespace/name".</summary>
    IFeed<ServiceViewModel> Services { get; }

    /// <summary>Every Ingress across namespaces, keyed "namespace/name".</summary>
    IFeed<IngressViewModel> Ingresses { get; }

    /// <summary>The state of each data source (Kubernetes, AWS, cost, …), keyed by source key.</summary>
    IFeed<SourceStatus> Sources { get; }

    /// <summary>Every load balancer in the region with owners, health summary and flags, keyed by ARN.</summary>
    IFeed<LoadBalancerViewModel> LoadBalancers { get; }

    /// <summary>Every target that is not healthy, with its endpoint and diagnosis, keyed by <see cref="TriageItem.Key"/>.</summary>
    IFeed<TriageItem> Triage { get; }

    /// <summary>
    /// How many targets exist and how many are healthy (for "All N targets healthy as of …"): one item keyed
    /// <see cref="TargetHealthSummary.SingletonKey"/>. By default derived from <see cref="LoadBalancers"/>; an
    /// implementation may serve it more cheaply.
    /// </summary>
    IFeed<TargetHealthSummary> TargetHealth => TargetHealthSummary.Follow(LoadBalancers);

    /// <summary>
    /// The incident history of every endpoint (open and cleared, bounded), keyed by <see cref="EndpointIncident.Id"/>:
    /// recorded by the polling leader in the state store, the same on every replica. Empty where the host records none.
    /// </summary>
    IFeed<EndpointIncident> Incidents => EndpointIncident.NoHistory;

    /// <summary>
    /// The latest audit records of guided changes (applied, conflicted, failed, refused), keyed by change id, as every
    /// replica appends them (the state store tells the others). Bounded: older records are read from the audit trail.
    /// </summary>
    IFeed<Changes.ChangeRecord> Audit => Changes.NoAudit.Feed;

    /// <summary>
    /// The cost report: zero items until the server has built the first one, then one keyed
    /// <see cref="Model.CostReport.SingletonKey"/>, replaced each time a new report is built.
    /// </summary>
    IFeed<CostReport> CostReport { get; }

    /// <summary>
    /// One endpoint (Service or Ingress) and its chain: zero or one item keyed <see cref="ObjectRef.Key"/>. While a
    /// subscription is open the endpoint's target groups count as viewed, so their health is polled often; reading the
    /// snapshot does not.
    /// </summary>
    IFeed<EndpointViewModel> Endpoint(ObjectRef endpoint);

    /// <summary>
    /// Everything the detail panel of one object shows (YAML, endpoints, events), read on demand from the caches;
    /// null when the object no longer exists.
    /// </summary>
    Task<ObjectDetail?> GetDetailAsync(ObjectKind kind, string @namespace, string name, CancellationToken cancellationToken);

    /// <summary>The last lines of a pod's log, read through the Kubernetes API on demand (bounded).</summary>
    Task<PodLog> GetPodLogAsync(string @namespace, string pod, int tailLines, CancellationToken cancellationToken);

    /// <summary>
    /// Asks for a new cost report now, re-reading only the parts whose cache has expired (a viewer can never make the
    /// server call Cost Explorer more often than configured). The report arrives through <see cref="CostReport"/>; the
    /// task completes once it has been built.
    /// </summary>
    Task RefreshCostReportAsync(CancellationToken cancellationToken);
}
