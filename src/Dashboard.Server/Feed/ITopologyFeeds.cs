using Dashboard.Client.Feed;
using Dashboard.Client.Model;

namespace Dashboard.Server.Feed;

/// <summary>
/// What the topology join serves through <see cref="DashboardFeed"/> (implemented by <c>Topology/TopologyFeed</c>).
/// Declared beside the dashboard feed so the feed depends on no stage: each stage depends on the feed.
/// </summary>
public interface ITopologyFeeds
{
    IFeed<LoadBalancerViewModel> LoadBalancers { get; }

    IFeed<TriageItem> Triage { get; }

    /// <summary>One endpoint and its chain; subscribing marks its target groups as viewed.</summary>
    IFeed<EndpointViewModel> Endpoint(ObjectRef endpoint);

    /// <summary>The last lines of a pod's log, read through the Kubernetes API on demand (bounded).</summary>
    Task<PodLog> GetPodLogAsync(string @namespace, string pod, int tailLines, CancellationToken cancellationToken);
}
