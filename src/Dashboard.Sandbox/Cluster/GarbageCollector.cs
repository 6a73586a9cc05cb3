using System.Text.Json.Nodes;
using Dashboard.Sandbox.Kubernetes;

namespace Dashboard.Sandbox.Cluster;

/// <summary>
/// The garbage collector, over the kinds the simulation watches: a dependent whose owners (by <c>ownerReferences</c> uid)
/// are all gone is deleted (background propagation); an owner being deleted with the <c>orphan</c> finalizer has the
/// references to it removed from its dependents, then the finalizer; one with <c>foregroundDeletion</c> has its
/// dependents deleted (in the foreground too), and loses the finalizer once no dependent that blocks its deletion is left.
/// Owners of kinds the simulation does not watch are taken to exist. Keys are owner uids.
/// </summary>
internal sealed class GarbageCollector(ClusterRuntime runtime, IReadOnlyCollection<ResourceType> watched) : IClusterController
{
    private sealed record Item(ResourceType Type, string? Namespace, string Name);

    private readonly Dictionary<string, Item> _byUid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<Item>> _dependents = new(StringComparer.Ordinal);

    public void OnChange(ObjectChange change)
    {
        var item = new Item(change.Type, change.Type.Namespaced ? change.Namespace : null, change.Name);
        if (change.Old is { } old)
        {
            _byUid.Remove(JsonFields.Uid(old) ?? "");
            foreach (var owner in OwnerUids(old))
            {
                if (_dependents.TryGetValue(owner, out var set) && set.Remove(item) && set.Count == 0)
                {
                    _dependents.Remove(owner);
                }
            }
        }
        if (change.New is { } current)
        {
            var uid = JsonFields.Uid(current) ?? "";
            _byUid[uid] = item;
            foreach (var owner in OwnerUids(current))
            {
                if (!_dependents.TryGetValue(owner, out var set))
                {
                    set = [];
                    _dependents[owner] = set;
                }
                set.Add(item);
                runtime.Enqueue(this, owner);
            }
            if (current["metadata"]?["deletionTimestamp"] is not null)
            {
                runtime.Enqueue(this, uid);
            }
        }
        else if (change.Old is { } gone)
        {
            runtime.Enqueue(this, JsonFields.Uid(gone) ?? "");
            foreach (var owner in OwnerUids(gone))
            {
                runtime.Enqueue(this, owner);
            }
        }
    }

    private static IEnumerable<string> OwnerUids(JsonObject obj) =>
        JsonFields.Objects(obj["metadata"]?["ownerReferences"]).Select(o => JsonFields.String(o, "uid")).OfType<string>();

    public void Reconcile(string uid)
    {
        var dependents = _dependents.TryGetValue(uid, out var set) ? set.Select(Get).OfType<(Item Item, JsonObject Object)>().ToList() : [];
        var owner = _byUid.TryGetValue(uid, out var ownerItem) ? Get(ownerItem) : null;
        if (owner is null)
        {
            // The owner is gone: a dependent with no other living owner goes too.
            foreach (var (item, obj) in dependents.Where(d => d.Object["metadata"]?["deletionTimestamp"] is null && !HasLivingOwner(d.Item, d.Object)))
            {
                runtime.DeleteGracefully(item.Type, item.Namespace, item.Name);
            }
            return;
        }
        var finalizers = ResourceStore.Finalizers(owner.Value.Object["metadata"] as JsonObject);
        if (owner.Value.Object["metadata"]?["deletionTimestamp"] is null)
        {
            return;
        }
        if (finalizers.Contains(ResourceStore.OrphanFinalizer))
        {
            foreach (var (item, _) in dependents)
            {
                runtime.Mutate(item.Type, item.Namespace, item.Name, d =>
                {
                    var references = (d["metadata"]?["ownerReferences"] as JsonArray)?.Where(o => JsonFields.String(o, "uid") != uid).Select(o => o!.DeepClone()).ToArray() ?? [];
                    if (references.Length == 0)
                    {
                        ((JsonObject)d["metadata"]!).Remove("ownerReferences");
                    }
                    else
                    {
                        d["metadata"]!["ownerReferences"] = new JsonArray(references);
                    }
                    return d;
                });
            }
            RemoveFinalizer(owner.Value.Item, ResourceStore.OrphanFinalizer);
        }
        else if (finalizers.Contains(ResourceStore.ForegroundFinalizer))
        {
            var blocking = dependents.Where(d => Blocks(d.Object, uid)).ToList();
            foreach (var (item, obj) in dependents.Where(d => d.Object["metadata"]?["deletionTimestamp"] is null))
            {
                runtime.DeleteGracefully(item.Type, item.Namespace, item.Name, new DeleteRequest { Propagation = PropagationPolicy.Foreground });
            }
            if (blocking.Count == 0)
            {
                RemoveFinalizer(owner.Value.Item, ResourceStore.ForegroundFinalizer);
            }
        }
    }

    private (Item Item, JsonObject Object)? Get(Item item) =>
        watched.Contains(item.Type) && runtime.Cache(item.Type).Get(item.Namespace, item.Name) is { } obj ? (item, obj) : null;

    /// <summary>
    /// Whether any owner of a dependent still exists, asked of the store (not the cache, which may not have seen a new
    /// owner yet), as the real collector verifies with a live lookup; owners of kinds not watched here are taken to exist.
    /// </summary>
    private bool HasLivingOwner(Item item, JsonObject dependent) =>
        JsonFields.Objects(dependent["metadata"]?["ownerReferences"]).Any(o =>
        {
            var type = ResourceTypes.FindByKind(JsonFields.String(o, "apiVersion") ?? "", JsonFields.String(o, "kind") ?? "");
            if (type is null || !watched.Contains(type))
            {
                return true;
            }
            var owner = runtime.Store.Get(type, type.Namespaced ? item.Namespace : null, JsonFields.String(o, "name") ?? "");
            return owner is not null && JsonFields.Uid(owner) == JsonFields.String(o, "uid");
        });

    private static bool Blocks(JsonObject dependent, string ownerUid) =>
        JsonFields.Objects(dependent["metadata"]?["ownerReferences"]).Any(o => JsonFields.String(o, "uid") == ownerUid && JsonFields.Bool(o, "blockOwnerDeletion") == true);

    private void RemoveFinalizer(Item item, string finalizer) =>
        runtime.Mutate(item.Type, item.Namespace, item.Name, o =>
        {
            var rest = ResourceStore.Finalizers(o["metadata"] as JsonObject).Where(f => f != finalizer).ToList();
            if (rest.Count == 0)
            {
                ((JsonObject)o["metadata"]!).Remove("finalizers");
            }
            else
            {
                o["metadata"]!["finalizers"] = new JsonArray(rest.Select(f => (JsonNode)f).ToArray());
            }
            return o;
        });
}
