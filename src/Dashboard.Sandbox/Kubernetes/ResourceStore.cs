using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Dashboard.Sandbox.Kubernetes;

/// <summary>Watch event types, as on the wire.</summary>
public enum WatchEventType { Added, Modified, Deleted, Bookmark }

/// <summary>One change in the store. <see cref="Object"/> is a private copy the receiver may keep.</summary>
public sealed record StoreEvent(WatchEventType Type, ResourceType ResourceType, long ResourceVersion, JsonObject Object)
{
    public string? Namespace => Object["metadata"]?["namespace"]?.GetValue<string>();
    public string Name => Object["metadata"]?["name"]?.GetValue<string>() ?? "";
}

/// <summary>A consistent list of one kind at one resource version.</summary>
public sealed record StoreList(IReadOnlyList<JsonObject> Items, long ResourceVersion);

/// <summary>One page of a list; <see cref="LastKey"/> is set when more items follow (<see cref="Remaining"/> of them).</summary>
public sealed record StorePage(IReadOnlyList<JsonObject> Items, long ResourceVersion, string? LastKey, long Remaining);

/// <summary>
/// The in-memory object store behind the emulated Kubernetes API: one global, monotonically increasing
/// resourceVersion (as etcd's revision), a bounded history for watch replay (older versions answer 410 Expired),
/// optimistic concurrency on update, generation on spec changes, and the status subresource split.
/// Every object handed in or out is a deep copy, so callers never share mutable state with the store.
/// Hand-written: no served package emulates an API server's storage.
/// </summary>
public sealed partial class ResourceStore
{
    private readonly object _gate = new();
    private readonly Dictionary<ResourceType, SortedDictionary<string, JsonObject>> _objects = [];
    private readonly LinkedList<StoreEvent> _history = new();
    private readonly List<Watcher> _watchers = [];
    private readonly Dictionary<ResourceType, long> _latestByType = [];
    private readonly TimeProvider _time;
    private readonly int _historyLimit;
    private long _version;
    private long _oldestRetained;

    public ResourceStore(TimeProvider? time = null, int historyLimit = 20_000, long initialVersion = 1000)
    {
        _time = time ?? TimeProvider.System;
        _historyLimit = historyLimit;
        _version = initialVersion;
        _oldestRetained = initialVersion;
        foreach (var type in ResourceTypes.All)
        {
            _objects[type] = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        }
    }

    /// <summary>The newest resourceVersion handed out.</summary>
    public long CurrentVersion { get { lock (_gate) { return _version; } } }

    /// <summary>The oldest version a watch may start from without 410 Expired.</summary>
    public long OldestWatchableVersion { get { lock (_gate) { return _oldestRetained; } } }

    public TimeProvider Time => _time;

    private static string Key(string? ns, string name) => ns is null or "" ? name : ns + "/" + name;

    public JsonObject? Get(ResourceType type, string? ns, string name)
    {
        lock (_gate)
        {
            return _objects[type].TryGetValue(Key(type.Namespaced ? ns : null, name), out var obj) ? (JsonObject)obj.DeepClone() : null;
        }
    }

    /// <summary>Lists a kind, optionally in one namespace, filtered by <paramref name="predicate"/>.</summary>
    public StoreList List(ResourceType type, string? ns = null, Func<JsonObject, bool>? predicate = null)
    {
        lock (_gate)
        {
            var items = new List<JsonObject>();
            foreach (var (key, obj) in _objects[type])
            {
                if (ns is not null && type.Namespaced && !key.StartsWith(ns + "/", StringComparison.Ordinal))
                {
                    continue;
                }
                if (predicate is null || predicate(obj))
                {
                    items.Add((JsonObject)obj.DeepClone());
                }
            }
            return new StoreList(items, _version);
        }
    }

    /// <summary>
    /// One page of a list in key order ("namespace/name", as etcd orders keys): items after <paramref name="afterKey"/>,
    /// at most <paramref name="limit"/> of them. Only the page's items are copied, so paging through a large kind costs
    /// one copy per object rather than one per object per page.
    /// </summary>
    public StorePage ListPage(ResourceType type, string? ns, Func<JsonObject, bool>? predicate, string? afterKey, int limit)
    {
        lock (_gate)
        {
            var items = new List<JsonObject>();
            var (lastKey, remaining) = Page(type, ns, predicate, afterKey, limit, obj => items.Add((JsonObject)obj.DeepClone()));
            return new StorePage(items, _version, lastKey, remaining);
        }
    }

    /// <summary>
    /// The same page written as a JSON array of its items into <paramref name="items"/> while the store is locked, instead
    /// of copied: what a plain list answer needs, without a copy of every object it serves.
    /// </summary>
    public StorePage WritePage(ResourceType type, string? ns, Func<JsonObject, bool>? predicate, string? afterKey, int limit, Utf8JsonWriter items,
        JsonSerializerOptions options)
    {
        lock (_gate)
        {
            items.WriteStartArray();
            var (lastKey, remaining) = Page(type, ns, predicate, afterKey, limit, obj => obj.WriteTo(items, options));
            items.WriteEndArray();
            return new StorePage([], _version, lastKey, remaining);
        }
    }

    /// <summary>Walks one page in key order, handing each item to <paramref name="take"/>; the caller holds the lock.</summary>
    private (string? LastKey, long Remaining) Page(ResourceType type, string? ns, Func<JsonObject, bool>? predicate, string? afterKey, int limit, Action<JsonObject> take)
    {
        var taken = 0;
        string? lastKey = null;
        long remaining = 0;
        foreach (var (key, obj) in _objects[type])
        {
            if (ns is not null && type.Namespaced && !key.StartsWith(ns + "/", StringComparison.Ordinal))
            {
                continue;
            }
            if (afterKey is not null && string.CompareOrdinal(key, afterKey) <= 0)
            {
                continue;
            }
            if (predicate is not null && !predicate(obj))
            {
                continue;
            }
            if (limit > 0 && taken >= limit)
            {
                remaining++;
                continue;
            }
            take(obj);
            taken++;
            lastKey = key;
        }
        return (remaining > 0 ? lastKey : null, remaining);
    }

    /// <summary>Number of stored objects of a kind (cheap).</summary>
    public int Count(ResourceType type)
    {
        lock (_gate) { return _objects[type].Count; }
    }

    /// <summary>
    /// Creates an object. Sets uid, creationTimestamp, resourceVersion and generation as a real server does,
    /// and generateName when name is empty. With <paramref name="dryRun"/> nothing is stored or announced.
    /// <paramref name="createdAt"/> back-dates creationTimestamp (in-process loaders of a world that "has been running";
    /// the HTTP API never passes it, so objects made by clients are created now).
    /// </summary>
    public JsonObject Create(ResourceType type, string? ns, JsonObject obj, bool dryRun = false, DateTimeOffset? createdAt = null)
    {
        var copy = (JsonObject)obj.DeepClone();
        var meta = EnsureMetadata(copy);
        copy["apiVersion"] = type.ApiVersion;
        copy["kind"] = type.Kind;
        lock (_gate)
        {
            var name = meta["name"]?.GetValue<string>();
            if (string.IsNullOrEmpty(name))
            {
                var prefix = meta["generateName"]?.GetValue<string>();
                if (string.IsNullOrEmpty(prefix))
                {
                    throw StoreException.Invalid(type, "", [new StatusCause("FieldValueRequired", "Required value: name or generateName is required", "metadata.name")]);
                }
                name = prefix + RandomSuffix();
                meta["name"] = name;
            }
            if (type.Namespaced)
            {
                ns = string.IsNullOrEmpty(ns) ? meta["namespace"]?.GetValue<string>() ?? "default" : ns;
                meta["namespace"] = ns;
                JsonObject? owningNamespace = null;
                if (type != ResourceTypes.Namespaces && !_objects[ResourceTypes.Namespaces].TryGetValue(ns, out owningNamespace))
                {
                    throw new StoreException(System.Net.HttpStatusCode.NotFound, "NotFound", $"namespaces \"{ns}\" not found", ResourceTypes.Namespaces, ns);
                }
                if (type != ResourceTypes.Namespaces && type != ResourceTypes.Events && owningNamespace?["metadata"]?["deletionTimestamp"] is not null)
                {
                    throw Terminating(type, name, ns);
                }
            }
            else
            {
                meta.Remove("namespace");
                ns = null;
            }
            var key = Key(ns, name);
            if (_objects[type].ContainsKey(key))
            {
                throw StoreException.AlreadyExists(type, name);
            }
            if (type == ResourceTypes.Namespaces)
            {
                EnsureNamespaceFinalizer(copy);
            }
            meta["uid"] = Guid.NewGuid().ToString();
            var now = _time.GetUtcNow();
            meta["creationTimestamp"] = Timestamp(createdAt is { } at && at < now ? at : now);
            if (type.HasGeneration)
            {
                meta["generation"] = 1L;
            }
            else
            {
                meta.Remove("generation");
            }
            meta.Remove("deletionTimestamp");
            meta.Remove("deletionGracePeriodSeconds");
            meta.Remove("selfLink");
            if (dryRun)
            {
                meta["resourceVersion"] = (_version + 1).ToString(CultureInfo.InvariantCulture);
                return copy;
            }
            var rv = ++_version;
            meta["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
            _objects[type][key] = copy;
            Publish(new StoreEvent(WatchEventType.Added, type, rv, copy));
            return (JsonObject)copy.DeepClone();
        }
    }

    /// <summary>
    /// Replaces an object. When the incoming object names a resourceVersion it must match (else 409 Conflict).
    /// A main-resource update keeps the stored status; a status update (<paramref name="statusOnly"/>) keeps everything but status.
    /// Generation increases when anything but metadata and status changes.
    /// </summary>
    public JsonObject Update(ResourceType type, string? ns, string name, JsonObject obj, bool dryRun = false, bool statusOnly = false)
    {
        lock (_gate)
        {
            var key = Key(type.Namespaced ? ns : null, name);
            if (!_objects[type].TryGetValue(key, out var current))
            {
                throw StoreException.NotFound(type, name);
            }
            var incomingRv = obj["metadata"]?["resourceVersion"]?.GetValue<string>();
            if (!string.IsNullOrEmpty(incomingRv) && incomingRv != current["metadata"]!["resourceVersion"]!.GetValue<string>())
            {
                throw StoreException.Conflict(type, name);
            }
            return Replace(type, key, current, (JsonObject)obj.DeepClone(), dryRun, statusOnly);
        }
    }

    /// <summary>
    /// Atomic read-modify-write for in-process controllers: <paramref name="change"/> receives a copy and returns
    /// the new object, or null to leave it unchanged. Returns the stored result, or null when the object is absent.
    /// </summary>
    public JsonObject? Mutate(ResourceType type, string? ns, string name, Func<JsonObject, JsonObject?> change, bool statusOnly = false)
    {
        lock (_gate)
        {
            var key = Key(type.Namespaced ? ns : null, name);
            if (!_objects[type].TryGetValue(key, out var current))
            {
                return null;
            }
            var next = change((JsonObject)current.DeepClone());
            if (next is null || JsonNode.DeepEquals(next, current))
            {
                return (JsonObject)current.DeepClone();
            }
            return Replace(type, key, current, next, dryRun: false, statusOnly);
        }
    }

    private JsonObject Replace(ResourceType type, string key, JsonObject current, JsonObject next, bool dryRun, bool statusOnly)
    {
        var meta = EnsureMetadata(next);
        var currentMeta = current["metadata"]!.AsObject();
        if (statusOnly)
        {
            var merged = (JsonObject)current.DeepClone();
            merged["status"] = next["status"]?.DeepClone();
            next = merged;
            meta = next["metadata"]!.AsObject();
        }
        else if (type.HasStatus)
        {
            next["status"] = current["status"]?.DeepClone();
        }
        next["apiVersion"] = type.ApiVersion;
        next["kind"] = type.Kind;
        // Server-owned metadata cannot be changed by clients.
        foreach (var field in new[] { "uid", "creationTimestamp", "namespace", "name", "deletionTimestamp", "deletionGracePeriodSeconds" })
        {
            meta[field] = currentMeta[field]?.DeepClone();
            if (meta[field] is null)
            {
                meta.Remove(field);
            }
        }
        CheckFinalizersWhileDeleting(type, currentMeta, meta);
        if (!type.Namespaced)
        {
            meta.Remove("namespace");
        }
        var generation = long.TryParse(currentMeta["generation"]?.ToJsonString(), NumberStyles.None, CultureInfo.InvariantCulture, out var g) ? g : 1;
        if (!statusOnly && SpecChanged(current, next))
        {
            generation++;
        }
        if (type.HasGeneration)
        {
            meta["generation"] = generation;
        }
        else
        {
            meta.Remove("generation");
        }
        meta["resourceVersion"] = currentMeta["resourceVersion"]!.GetValue<string>();
        if (JsonNode.DeepEquals(next, current))
        {
            return (JsonObject)current.DeepClone();
        }
        if (dryRun)
        {
            return next;
        }
        var rv = ++_version;
        meta["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
        if (FinalizedDuringUpdate(type, next))
        {
            // The last finalizer of an object being deleted is gone: the update deletes it (ShouldDeleteDuringUpdate).
            _objects[type].Remove(key);
            Publish(new StoreEvent(WatchEventType.Deleted, type, rv, next));
            return (JsonObject)next.DeepClone();
        }
        _objects[type][key] = next;
        Publish(new StoreEvent(WatchEventType.Modified, type, rv, next));
        return (JsonObject)next.DeepClone();
    }

    private static bool SpecChanged(JsonObject current, JsonObject next)
    {
        foreach (var (name, value) in next)
        {
            if (name is "metadata" or "status" or "apiVersion" or "kind")
            {
                continue;
            }
            if (!JsonNode.DeepEquals(value, current[name]))
            {
                return true;
            }
        }
        return current.Any(p => p.Key is not ("metadata" or "status" or "apiVersion" or "kind") && !next.ContainsKey(p.Key));
    }

    /// <summary>Deletes an object and returns its last state; 404 when absent.</summary>
    public JsonObject Delete(ResourceType type, string? ns, string name, bool dryRun = false)
    {
        lock (_gate)
        {
            var key = Key(type.Namespaced ? ns : null, name);
            if (!_objects[type].TryGetValue(key, out var current))
            {
                throw StoreException.NotFound(type, name);
            }
            if (dryRun)
            {
                return (JsonObject)current.DeepClone();
            }
            _objects[type].Remove(key);
            var rv = ++_version;
            var last = (JsonObject)current.DeepClone();
            last["metadata"]!["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
            last["metadata"]!["deletionTimestamp"] = Timestamp(_time.GetUtcNow());
            Publish(new StoreEvent(WatchEventType.Deleted, type, rv, last));
            return (JsonObject)last.DeepClone();
        }
    }

    private void Publish(StoreEvent e)
    {
        _latestByType[e.ResourceType] = e.ResourceVersion;
        _history.AddLast(e);
        while (_history.Count > _historyLimit)
        {
            _oldestRetained = _history.First!.Value.ResourceVersion;
            _history.RemoveFirst();
        }
        foreach (var w in _watchers)
        {
            if (w.Matches(e))
            {
                w.Writer.TryWrite(e with { Object = (JsonObject)e.Object.DeepClone() });
            }
        }
    }

    private static JsonObject EnsureMetadata(JsonObject obj)
    {
        if (obj["metadata"] is not JsonObject meta)
        {
            meta = new JsonObject();
            obj["metadata"] = meta;
        }
        return meta;
    }

    public static string Timestamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string RandomSuffix()
    {
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        Span<char> s = stackalloc char[5];
        for (var i = 0; i < s.Length; i++)
        {
            s[i] = alphabet[Random.Shared.Next(alphabet.Length)];
        }
        return new string(s);
    }

    private sealed record Watcher(ResourceType Type, string? Namespace, ChannelWriter<StoreEvent> Writer, bool ProgressNotify = false)
    {
        public bool Matches(StoreEvent e) => e.ResourceType == Type && (Namespace is null || e.Namespace == Namespace);
    }
}
