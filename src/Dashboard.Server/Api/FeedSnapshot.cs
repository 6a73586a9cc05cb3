using System.Collections.Immutable;
using Dashboard.Client.Feed;

namespace Dashboard.Server.Api;

/// <summary>
/// Reads a feed the way a page does, once: subscribe, take the snapshot, end the subscription. The API therefore answers
/// from exactly what the pages show, never from the caches, AWS or Kubernetes.
/// </summary>
public static class FeedSnapshot
{
    public static ImmutableArray<T> Read<T>(Func<CancellationToken, FeedSubscription<T>> subscribe)
    {
        ArgumentNullException.ThrowIfNull(subscribe);
        using var subscription = new CancellationTokenSource();
        var feed = subscribe(subscription.Token);
        // Cancelling ends the subscription (its change stream is never read).
        subscription.Cancel();
        return feed.Snapshot;
    }
}
