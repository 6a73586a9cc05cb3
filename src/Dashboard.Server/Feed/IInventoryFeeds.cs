using Dashboard.Client.Feed;
using Dashboard.Client.Model;

namespace Dashboard.Server.Feed;

/// <summary>
/// What the Service/Ingress projection serves through <see cref="DashboardFeed"/> (implemented by
/// <c>Inventory/KubernetesInventory</c>). Declared beside the dashboard feed, like <see cref="ITopologyFeeds"/>, so the
/// feed depends on no stage: each stage depends on the feed.
/// </summary>
public interface IInventoryFeeds
{
    IFeed<ServiceViewModel> Services { get; }

    IFeed<IngressViewModel> Ingresses { get; }

    /// <summary>Everything the detail panel of one object shows, as of <paramref name="asOf"/>; null when it does not exist.</summary>
    ObjectDetail? GetDetail(ObjectKind kind, string @namespace, string name, DateTimeOffset asOf);
}
