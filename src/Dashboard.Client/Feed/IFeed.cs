using System.Collections.Immutable;

namespace Dashboard.Client.Feed;

/// <summary>
/// One kind of live data, keyed: the items as they are now, and subscriptions that start from them. Every kind the pages
/// show has this one shape (see <see cref="IDashboardFeed"/>); on the server each is a <c>FeedBroadcaster&lt;T&gt;</c>,
/// which gives every subscriber its own queue, merged by key and released at most every 100 ms.
/// </summary>
public interface IFeed<T> where T : class
{
    /// <summary>
    /// The items as they are now, without subscribing: for a one-off read (an HTTP API answer, a CSV export, a test).
    /// Cheap to call, never waits, never holds server resources.
    /// </summary>
    ImmutableArray<T> Snapshot { get; }

    /// <summary>
    /// The items as they are now and every later change, in batches (at most ~10 a second), until
    /// <paramref name="cancellationToken"/> is cancelled. A page subscribes once and consumes the batches on a background
    /// task with one render per batch.
    /// </summary>
    FeedSubscription<T> Subscribe(CancellationToken cancellationToken);
}
