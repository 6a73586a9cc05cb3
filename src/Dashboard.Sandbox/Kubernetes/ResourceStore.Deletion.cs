using System.Globalization;
using System.Text.Json.Nodes;

namespace Dashboard.Sandbox.Kubernetes;

/// <summary>How a delete should treat the object's dependents (<c>DeleteOptions.propagationPolicy</c>).</summary>
public enum PropagationPolicy
{
    /// <summary>The object goes now; the garbage collector deletes its dependents afterwards (the default).</summary>
    Background,
    /// <summary>The object stays (finalizer <c>foregroundDeletion</c>) until its blocking dependents are gone.</summary>
    Foreground,
    /// <summary>The object stays (finalizer <c>orphan</c>) until its dependents' owner references to it are removed.</summary>
    Orphan,
}

/// <summary>The parts of <c>meta.k8s.io/v1 DeleteOptions</c> the store honours.</summary>
public sealed record DeleteRequest
{
    /// <summary><c>gracePeriodSeconds</c>; null means the object's own (a pod's <c>terminationGracePeriodSeconds</c>).</summary>
    public long? GracePeriodSeconds { get; init; }
    public PropagationPolicy Propagation { get; init; } = PropagationPolicy.Background;
    public bool DryRun { get; init; }
}

/// <summary>What a graceful delete did: <see cref="Deleted"/> false when the object stays, marked for deletion.</summary>
public sealed record DeleteOutcome(JsonObject Object, bool Deleted);

/// <summary>
/// The object lifecycle of a real API server's generic registry: a delete of an object with finalizers (or a
/// foreground/orphan delete, which adds its own finalizer) only sets <c>metadata.deletionTimestamp</c> and
/// <c>deletionGracePeriodSeconds: 0</c> (a MODIFIED watch event); an update that removes the last finalizer of such an
/// object deletes it; no finalizer may be added once deletion has begun. Pods on a node are deleted gracefully:
/// <c>deletionTimestamp</c> is now plus the grace period, and the pod stays until the kubelet deletes it with grace 0.
/// </summary>
public sealed partial class ResourceStore
{
    public const string ForegroundFinalizer = "foregroundDeletion";
    public const string OrphanFinalizer = "orphan";

    /// <summary>Deletes as the HTTP API does (see the type's remarks). 404 when absent.</summary>
    public DeleteOutcome DeleteGracefully(ResourceType type, string? ns, string name, DeleteRequest request)
    {
        lock (_gate)
        {
            var key = Key(type.Namespaced ? ns : null, name);
            if (!_objects[type].TryGetValue(key, out var current))
            {
                throw StoreException.NotFound(type, name);
            }
            var next = (JsonObject)current.DeepClone();
            var meta = next["metadata"]!.AsObject();
            var finalizers = Finalizers(meta);
            var beingDeleted = meta["deletionTimestamp"] is not null;
            // The garbage collector's finalizers follow the policy of the newest delete (deletionFinalizersForGarbageCollection).
            if (!beingDeleted || request.Propagation != PropagationPolicy.Background)
            {
                finalizers.RemoveAll(f => f is ForegroundFinalizer or OrphanFinalizer);
                if (request.Propagation == PropagationPolicy.Foreground)
                {
                    finalizers.Add(ForegroundFinalizer);
                }
                else if (request.Propagation == PropagationPolicy.Orphan)
                {
                    finalizers.Add(OrphanFinalizer);
                }
            }
            var grace = GracePeriod(type, next, request.GracePeriodSeconds);
            var now = _time.GetUtcNow();
            if (type == ResourceTypes.Namespaces && SpecFinalizers(next).Count > 0)
            {
                // The namespace stays Terminating until the namespace controller has removed its content.
                JsonFieldsChild(next, "status")["phase"] = "Terminating";
            }
            else if (grace == 0 && finalizers.Count == 0)
            {
                return new DeleteOutcome(Delete(type, ns, name, request.DryRun), Deleted: true);
            }
            if (beingDeleted)
            {
                var pending = LongField(meta, "deletionGracePeriodSeconds") ?? 0;
                // A second delete may only shorten a pending grace period.
                if (grace < pending)
                {
                    meta["deletionTimestamp"] = Timestamp(now + TimeSpan.FromSeconds(grace));
                    meta["deletionGracePeriodSeconds"] = grace;
                }
            }
            else
            {
                meta["deletionTimestamp"] = Timestamp(now + TimeSpan.FromSeconds(grace));
                meta["deletionGracePeriodSeconds"] = grace;
                if (grace > 0 && LongField(meta, "generation") is { } generation)
                {
                    meta["generation"] = generation + 1;
                }
            }
            SetFinalizers(meta, finalizers);
            if (JsonNode.DeepEquals(next, current) || request.DryRun)
            {
                return new DeleteOutcome(request.DryRun ? next : (JsonObject)current.DeepClone(), Deleted: false);
            }
            var rv = ++_version;
            meta["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
            _objects[type][key] = next;
            Publish(new StoreEvent(WatchEventType.Modified, type, rv, next));
            return new DeleteOutcome((JsonObject)next.DeepClone(), Deleted: false);
        }
    }

    /// <summary>
    /// The grace period of a delete: pods that run on a node get the asked one or their own
    /// <c>terminationGracePeriodSeconds</c> (30 by default); unscheduled or finished pods and every other kind go at once.
    /// </summary>
    private static long GracePeriod(ResourceType type, JsonObject obj, long? asked)
    {
        if (type != ResourceTypes.Pods)
        {
            return 0;
        }
        var phase = obj["status"]?["phase"]?.ToString();
        if (string.IsNullOrEmpty(obj["spec"]?["nodeName"]?.ToString()) || phase is "Succeeded" or "Failed")
        {
            return 0;
        }
        var grace = asked ?? LongField(obj["spec"] as JsonObject, "terminationGracePeriodSeconds") ?? 30;
        return Math.Max(0, grace);
    }

    private static void CheckFinalizersWhileDeleting(ResourceType type, JsonObject currentMeta, JsonObject nextMeta)
    {
        if (currentMeta["deletionTimestamp"] is null)
        {
            return;
        }
        var before = Finalizers(currentMeta);
        var added = Finalizers(nextMeta).Where(f => !before.Contains(f)).ToList();
        if (added.Count > 0)
        {
            var name = currentMeta["name"]?.ToString() ?? "";
            var list = string.Join(", ", added.Select(f => $"\"{f}\""));
            throw StoreException.Invalid(type, name,
                [new StatusCause("FieldValueForbidden", $"Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{{{list}}}", "metadata.finalizers")]);
        }
    }

    /// <summary>
    /// An update that leaves an object being deleted without finalizers and without a pending grace period deletes it
    /// (a Namespace also needs its <c>spec.finalizers</c> emptied, which the namespace controller does when its content is gone).
    /// </summary>
    private static bool FinalizedDuringUpdate(ResourceType type, JsonObject obj)
    {
        var meta = obj["metadata"] as JsonObject;
        return meta?["deletionTimestamp"] is not null && Finalizers(meta).Count == 0 && (LongField(meta, "deletionGracePeriodSeconds") ?? 0) == 0
            && (type != ResourceTypes.Namespaces || SpecFinalizers(obj).Count == 0);
    }

    /// <summary>As the namespace registry's PrepareForCreate: every namespace is created with the <c>kubernetes</c> finalizer.</summary>
    private static void EnsureNamespaceFinalizer(JsonObject ns)
    {
        var spec = JsonFieldsChild(ns, "spec");
        var finalizers = SpecFinalizers(ns);
        if (!finalizers.Contains("kubernetes"))
        {
            finalizers.Add("kubernetes");
        }
        spec["finalizers"] = new JsonArray(finalizers.Select(f => (JsonNode)f).ToArray());
    }

    private static List<string> SpecFinalizers(JsonObject obj) =>
        (obj["spec"]?["finalizers"] as JsonArray)?.Select(f => f?.ToString() ?? "").Where(f => f.Length > 0).ToList() ?? [];

    /// <summary>403 for a create in a namespace being deleted, as the NamespaceLifecycle admission plugin answers.</summary>
    private static StoreException Terminating(ResourceType type, string name, string ns) =>
        new(System.Net.HttpStatusCode.Forbidden, "Forbidden",
            $"{type} \"{name}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated", type, name);

    internal static List<string> Finalizers(JsonObject? meta) =>
        (meta?["finalizers"] as JsonArray)?.Select(f => f?.ToString() ?? "").Where(f => f.Length > 0).ToList() ?? [];

    private static void SetFinalizers(JsonObject meta, List<string> finalizers)
    {
        if (finalizers.Count == 0)
        {
            meta.Remove("finalizers");
        }
        else
        {
            meta["finalizers"] = new JsonArray(finalizers.Select(f => (JsonNode)f).ToArray());
        }
    }

    private static JsonObject JsonFieldsChild(JsonObject parent, string name)
    {
        if (parent[name] is not JsonObject child)
        {
            child = [];
            parent[name] = child;
        }
        return child;
    }

    private static long? LongField(JsonObject? obj, string field) =>
        obj?[field] is JsonValue v && long.TryParse(v.ToString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;
}
