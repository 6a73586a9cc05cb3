using System.Collections.Immutable;
using Dashboard.Client.Model;

namespace Dashboard.Client.Feed;

/// <summary>
/// The one live feed the pages consume. Each subscription gets an initial snapshot and then batches of
/// changes (at most ~10 batches a second), read from the server's shared caches — never from the sources directly.
/// Implemented in Dashboard.Server; tests supply their own.
/// </summary>
public interface IDashboardFeed
{
    /// <summary>Every Service across namespaces, live.</summary>
    FeedSubscription<ServiceViewModel> SubscribeServices(CancellationToken cancellationToken);

    /// <summary>Every Ingress across namespaces, live.</summary>
    FeedSubscription<IngressViewModel> SubscribeIngresses(CancellationToken cancellationToken);

    /// <summary>The state of each data source (Kubernetes, AWS, …): current value, then every change.</summary>
    FeedSubscription<SourceStatus> SubscribeSources(CancellationToken cancellationToken);

    /// <summary>
    /// Everything the detail panel of one object shows (YAML, endpoints, events). Read on demand from the caches;
    /// null when the object no longer exists.
    /// </summary>
    Task<ObjectDetail?> GetDetailAsync(ObjectKind kind, string @namespace, string name, CancellationToken cancellationToken);
}

/// <summary>A snapshot and the stream of change batches that follows it.</summary>
public sealed record FeedSubscription<T>(ImmutableArray<T> Snapshot, IAsyncEnumerable<IReadOnlyList<FeedChange<T>>> Changes);

public enum FeedChangeKind { Upsert, Delete }

/// <summary>One change: an upsert carries the new item; a delete carries the key only.</summary>
public sealed record FeedChange<T>(FeedChangeKind Kind, string Key, T? Item)
{
    public static FeedChange<T> Upsert(string key, T item) => new(FeedChangeKind.Upsert, key, item);
    public static FeedChange<T> Delete(string key) => new(FeedChangeKind.Delete, key, default);
}
