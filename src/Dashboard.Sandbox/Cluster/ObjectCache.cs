using System.Text.Json.Nodes;
using Dashboard.Sandbox.Kubernetes;

namespace Dashboard.Sandbox.Cluster;

/// <summary>A change the simulation saw in one kind: <see cref="Old"/> is null when added, <see cref="New"/> when deleted.</summary>
internal sealed record ObjectChange(ResourceType Type, JsonObject? Old, JsonObject? New)
{
    public JsonObject Current => New ?? Old!;
    public string Namespace => JsonFields.Namespace(Current) ?? "";
    public string Name => JsonFields.Name(Current) ?? "";
}

/// <summary>
/// The simulation's informer cache of one kind, indexed by namespace. Fed by the watch stream and written through
/// by the controllers' own writes (so a reconcile never acts on a view older than its own last write). Per-object
/// resourceVersions, including those of deleted objects, make late or replayed watch events harmless.
/// Only the simulation loop touches it; cached objects are never mutated in place.
/// </summary>
internal sealed class ObjectCache(ResourceType type)
{
    private readonly Dictionary<string, SortedDictionary<string, JsonObject>> _byNamespace = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _versions = new(StringComparer.Ordinal);

    public ResourceType Type { get; } = type;

    public int Count { get; private set; }

    public JsonObject? Get(string? ns, string name) =>
        _byNamespace.TryGetValue(ns ?? "", out var items) && items.TryGetValue(name, out var obj) ? obj : null;

    public IEnumerable<JsonObject> InNamespace(string? ns) =>
        _byNamespace.TryGetValue(ns ?? "", out var items) ? items.Values : [];

    public IEnumerable<JsonObject> All() => _byNamespace.Values.SelectMany(items => items.Values);

    /// <summary>Applies an object as stored (event or own write); returns the change, or null when it is not newer.</summary>
    public ObjectChange? Observe(JsonObject stored)
    {
        var ns = JsonFields.Namespace(stored) ?? "";
        var name = JsonFields.Name(stored) ?? "";
        var key = JsonFields.Key(ns, name);
        var rv = JsonFields.ResourceVersion(stored);
        if (_versions.TryGetValue(key, out var known) && known >= rv)
        {
            return null;
        }
        _versions[key] = rv;
        if (!_byNamespace.TryGetValue(ns, out var items))
        {
            items = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
            _byNamespace[ns] = items;
        }
        items.TryGetValue(name, out var old);
        items[name] = stored;
        if (old is null)
        {
            Count++;
        }
        return new ObjectChange(Type, old, stored);
    }

    /// <summary>Removes an object deleted at <paramref name="resourceVersion"/>; returns the change, or null when already gone.</summary>
    public ObjectChange? ObserveDeleted(string? ns, string name, long resourceVersion)
    {
        ns ??= "";
        var key = JsonFields.Key(ns, name);
        if (_versions.TryGetValue(key, out var known) && known >= resourceVersion)
        {
            return null;
        }
        _versions[key] = resourceVersion;
        if (!_byNamespace.TryGetValue(ns, out var items) || !items.Remove(name, out var old))
        {
            return null;
        }
        Count--;
        if (items.Count == 0)
        {
            _byNamespace.Remove(ns);
        }
        return new ObjectChange(Type, old, null);
    }

    /// <summary>Replaces the contents with a fresh list (after a dropped or expired watch); returns what changed.</summary>
    public List<ObjectChange> Relist(IReadOnlyList<JsonObject> items, long listVersion)
    {
        var changes = new List<ObjectChange>();
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            listed.Add(JsonFields.Key(JsonFields.Namespace(item), JsonFields.Name(item) ?? ""));
            if (Observe(item) is { } change)
            {
                changes.Add(change);
            }
        }
        foreach (var obj in All().ToList())
        {
            var key = JsonFields.Key(JsonFields.Namespace(obj), JsonFields.Name(obj) ?? "");
            // Objects written after the list was taken are newer than it and stay.
            if (!listed.Contains(key) && JsonFields.ResourceVersion(obj) <= listVersion
                && ObserveDeleted(JsonFields.Namespace(obj), JsonFields.Name(obj)!, listVersion) is { } change)
            {
                changes.Add(change);
            }
        }
        return changes;
    }
}
