using k8s;
using k8s.Models;

namespace Dashboard.Server.Kubernetes;

public enum ResourceChangeKind { Upsert, Delete }

/// <summary>One change to a cached object. <see cref="Previous"/> is the version held before (null when new).</summary>
public sealed record ResourceChange<T>(ResourceChangeKind Kind, T Object, T? Previous) where T : class;

/// <summary>
/// The merge rules of a watch cache, keyed by uid (pure, not thread-safe: the cache serialises calls).
/// Watch events older than the held version are ignored; a delete removes; a re-list replaces the whole set and
/// reports the objects that vanished meanwhile as deletes.
/// </summary>
public sealed class ResourceSet<T> where T : class, IKubernetesObject<V1ObjectMeta>
{
    private Dictionary<string, T> _byUid = new(StringComparer.Ordinal);

    public int Count => _byUid.Count;

    public IEnumerable<T> Items => _byUid.Values;

    public bool TryGet(string uid, out T? item) => _byUid.TryGetValue(uid, out item);

    /// <summary>Applies one watch event; returns the resulting change, or null when the event changes nothing.</summary>
    public ResourceChange<T>? Apply(WatchEventType type, T item)
    {
        var uid = item.Metadata?.Uid;
        if (string.IsNullOrEmpty(uid))
        {
            return null;
        }
        _byUid.TryGetValue(uid, out var existing);
        switch (type)
        {
            case WatchEventType.Added:
            case WatchEventType.Modified:
                if (existing is not null && !ResourceVersions.IsNewer(item.Metadata!.ResourceVersion, existing.Metadata?.ResourceVersion))
                {
                    return null;
                }
                _byUid[uid] = item;
                return new ResourceChange<T>(ResourceChangeKind.Upsert, item, existing);
            case WatchEventType.Deleted:
                if (existing is null || ResourceVersions.IsOlder(item.Metadata!.ResourceVersion, existing.Metadata?.ResourceVersion))
                {
                    return null;
                }
                _byUid.Remove(uid);
                return new ResourceChange<T>(ResourceChangeKind.Delete, existing, existing);
            default:
                return null;
        }
    }

    /// <summary>Replaces the set with a fresh list: upserts for new or changed objects, deletes for vanished ones.</summary>
    public IReadOnlyList<ResourceChange<T>> Replace(IEnumerable<T> items)
    {
        var fresh = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (!string.IsNullOrEmpty(item.Metadata?.Uid))
            {
                fresh[item.Metadata.Uid] = item;
            }
        }
        var changes = new List<ResourceChange<T>>();
        foreach (var (uid, old) in _byUid)
        {
            if (!fresh.ContainsKey(uid))
            {
                changes.Add(new ResourceChange<T>(ResourceChangeKind.Delete, old, old));
            }
        }
        foreach (var (uid, item) in fresh)
        {
            _byUid.TryGetValue(uid, out var old);
            if (old is null || !string.Equals(old.Metadata?.ResourceVersion, item.Metadata?.ResourceVersion, StringComparison.Ordinal))
            {
                changes.Add(new ResourceChange<T>(ResourceChangeKind.Upsert, item, old));
            }
        }
        _byUid = fresh;
        return changes;
    }
}
