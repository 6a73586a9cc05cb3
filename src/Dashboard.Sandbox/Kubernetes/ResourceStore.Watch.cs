using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Dashboard.Sandbox.Kubernetes;

/// <summary>Watches over the store: replaying retained history, live events, bookmarks and progress notifications.</summary>
public sealed partial class ResourceStore
{
    /// <summary>
    /// Watches a kind (optionally one namespace) from <paramref name="fromVersion"/>: replays retained events newer
    /// than it, then streams live ones. A version older than the retained history throws 410 Expired.
    /// A null version streams only new events (callers list first). Ends when <paramref name="cancellationToken"/> fires.
    /// </summary>
    public IAsyncEnumerable<StoreEvent> WatchAsync(ResourceType type, string? ns, long? fromVersion, CancellationToken cancellationToken = default) =>
        WatchAsync(type, ns, fromVersion, progressNotify: false, cancellationToken);

    /// <summary>
    /// As <see cref="WatchAsync(ResourceType, string?, long?, CancellationToken)"/>; with <paramref name="progressNotify"/>
    /// the stream also carries <see cref="WatchEventType.Bookmark"/> events (empty object) whenever
    /// <see cref="NotifyProgress"/> runs, each at a version no event still queued for this watcher exceeds.
    /// </summary>
    public async IAsyncEnumerable<StoreEvent> WatchAsync(ResourceType type, string? ns, long? fromVersion, bool progressNotify, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateUnbounded<StoreEvent>(new UnboundedChannelOptions { SingleReader = true });
        var watcher = new Watcher(type, type.Namespaced ? ns : null, channel.Writer, progressNotify);
        lock (_gate)
        {
            if (fromVersion is { } from)
            {
                if (from < _oldestRetained)
                {
                    throw StoreException.Expired(from, _oldestRetained);
                }
                foreach (var e in _history)
                {
                    if (e.ResourceVersion > from && watcher.Matches(e))
                    {
                        channel.Writer.TryWrite(e with { Object = (JsonObject)e.Object.DeepClone() });
                    }
                }
            }
            _watchers.Add(watcher);
        }
        try
        {
            await foreach (var e in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return e;
            }
        }
        finally
        {
            lock (_gate)
            {
                _watchers.Remove(watcher);
            }
        }
    }

    /// <summary>Drops watch history up to the current version, so older versions answer 410 (for tests of re-list).</summary>
    public void CompactHistory()
    {
        lock (_gate)
        {
            _history.Clear();
            _oldestRetained = _version;
        }
    }

    /// <summary>
    /// Queues a bookmark at the current version on every watch that asked for progress notifications (as etcd's
    /// progress notify): it is ordered after every event already queued, so its version is safe to resume from.
    /// </summary>
    public void NotifyProgress()
    {
        lock (_gate)
        {
            foreach (var w in _watchers.Where(w => w.ProgressNotify))
            {
                w.Writer.TryWrite(new StoreEvent(WatchEventType.Bookmark, w.Type, _version, []));
            }
        }
    }

    /// <summary>Ends every open watch (a "dropped watch" fault); watchers see their stream complete.</summary>
    public void DropWatches()
    {
        lock (_gate)
        {
            foreach (var w in _watchers)
            {
                w.Writer.TryComplete();
            }
            _watchers.Clear();
        }
    }

    /// <summary>
    /// The resourceVersion of the newest change to <paramref name="type"/> (0 when it never changed): a watcher that has
    /// handled this version has seen everything of that kind.
    /// </summary>
    public long LatestVersionOf(ResourceType type)
    {
        lock (_gate)
        {
            return _latestByType.GetValueOrDefault(type);
        }
    }
}
