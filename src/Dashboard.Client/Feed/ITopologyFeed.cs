using Dashboard.Client.Model;

namespace Dashboard.Client.Feed;

/// <summary>
/// The joined Kubernetes ↔ AWS view, live: load balancers, endpoints and the triage list. Same shape as
/// <see cref="IDashboardFeed"/>: a snapshot, then batches of changes, from the server's shared caches and pollers.
/// </summary>
public interface ITopologyFeed
{
    /// <summary>Every load balancer in the region with owners, health summary and flags.</summary>
    FeedSubscription<LoadBalancerViewModel> SubscribeLoadBalancers(CancellationToken cancellationToken);

    /// <summary>Every target that is not healthy, most severe first when sorted by <see cref="TriageItem.Severity"/>.</summary>
    FeedSubscription<TriageItem> SubscribeTriage(CancellationToken cancellationToken);

    /// <summary>
    /// How many targets exist and how many are healthy, live (for "All N targets healthy as of …"): the snapshot holds
    /// one item keyed <see cref="TargetHealthSummary.SingletonKey"/>, each batch replaces it. By default derived from
    /// <see cref="SubscribeLoadBalancers"/>; an implementation may serve it more cheaply.
    /// </summary>
    FeedSubscription<TargetHealthSummary> SubscribeTargetHealthSummary(CancellationToken cancellationToken) =>
        TargetHealthSummary.Derive(SubscribeLoadBalancers(cancellationToken));

    /// <summary>
    /// One endpoint (Service or Ingress) and its chain, live: the snapshot holds zero or one item, each batch replaces it.
    /// Subscribing marks the endpoint's target groups as viewed, so their health is polled often while the page is open.
    /// </summary>
    FeedSubscription<EndpointViewModel> SubscribeEndpoint(ObjectRef endpoint, CancellationToken cancellationToken);

    /// <summary>The last lines of a pod's log, read through the Kubernetes API on demand (bounded).</summary>
    Task<PodLog> GetPodLogAsync(string @namespace, string pod, int tailLines, CancellationToken cancellationToken);
}

/// <summary>A bounded log tail; <see cref="Error"/> says why it could not be read.</summary>
public sealed record PodLog(string Namespace, string Pod, string Text, bool Truncated, string? Error, DateTimeOffset AsOf);
