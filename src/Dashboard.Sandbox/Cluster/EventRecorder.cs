using System.Net;
using System.Text.Json.Nodes;
using Dashboard.Sandbox.Kubernetes;

namespace Dashboard.Sandbox.Cluster;

/// <summary>The object an Event is about (core/v1 ObjectReference).</summary>
public sealed record EventTarget
{
    public required string ApiVersion { get; init; }
    public required string Kind { get; init; }
    public string? Namespace { get; init; }
    public required string Name { get; init; }
    public string? Uid { get; init; }
    public string? ResourceVersion { get; init; }
    /// <summary>E.g. <c>spec.containers{api}</c> for container events.</summary>
    public string? FieldPath { get; init; }

    /// <summary>The reference to a stored object.</summary>
    public static EventTarget For(JsonObject obj, string? fieldPath = null) => new()
    {
        ApiVersion = JsonFields.String(obj, "apiVersion") ?? "v1",
        Kind = JsonFields.String(obj, "kind") ?? "",
        Namespace = JsonFields.Namespace(obj),
        Name = JsonFields.Name(obj) ?? "",
        Uid = JsonFields.Uid(obj),
        ResourceVersion = JsonFields.String(obj["metadata"], "resourceVersion"),
        FieldPath = fieldPath,
    };
}

/// <summary>Event types as on the wire.</summary>
public static class EventTypes
{
    public const string Normal = "Normal";
    public const string Warning = "Warning";
}

/// <summary>
/// Records core/v1 Events the way client-go's recorder does: a repeat of the same (object, type, reason, message,
/// source) bumps <c>count</c> and <c>lastTimestamp</c> of the existing Event instead of creating another.
/// Thread-safe: the simulation loop and other simulations (the load balancer controller) share it.
/// </summary>
internal sealed class EventRecorder(ResourceStore store, TimeProvider time)
{
    private const int MaxRemembered = 50_000;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _aggregated = new(StringComparer.Ordinal);
    private long _sequence;

    public void Record(EventTarget target, string type, string reason, string message, string component, string? host = null)
    {
        // Events of cluster-scoped objects (nodes) live in "default", as on a real cluster.
        var ns = string.IsNullOrEmpty(target.Namespace) ? "default" : target.Namespace;
        var key = string.Join('\u001f', ns, target.Kind, target.Name, target.Uid, type, reason, message, component, host);
        lock (_gate)
        {
            var now = ResourceStore.Timestamp(time.GetUtcNow());
            if (_aggregated.TryGetValue(key, out var existing))
            {
                var bumped = store.Mutate(ResourceTypes.Events, ns, existing, e =>
                {
                    e["count"] = (JsonFields.Long(e, "count") ?? 1) + 1;
                    e["lastTimestamp"] = now;
                    return e;
                });
                if (bumped is not null)
                {
                    return;
                }
            }
            if (_aggregated.Count >= MaxRemembered)
            {
                _aggregated.Clear();
            }
            var name = $"{target.Name}.{(time.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000) + (++_sequence % 1_000_000):x}";
            var involved = new JsonObject
            {
                ["kind"] = target.Kind,
                ["namespace"] = target.Namespace,
                ["name"] = target.Name,
                ["uid"] = target.Uid,
                ["apiVersion"] = target.ApiVersion,
                ["resourceVersion"] = target.ResourceVersion,
                ["fieldPath"] = target.FieldPath,
            };
            foreach (var empty in involved.Where(p => p.Value is null).Select(p => p.Key).ToList())
            {
                involved.Remove(empty);
            }
            var source = new JsonObject { ["component"] = component };
            if (host is not null)
            {
                source["host"] = host;
            }
            var ev = new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
                ["involvedObject"] = involved,
                ["reason"] = reason,
                ["message"] = message,
                ["source"] = source,
                ["firstTimestamp"] = now,
                ["lastTimestamp"] = now,
                ["count"] = 1,
                ["type"] = type,
                ["eventTime"] = null,
                ["reportingComponent"] = component,
                ["reportingInstance"] = host ?? "",
            };
            try
            {
                store.Create(ResourceTypes.Events, ns, ev);
                _aggregated[key] = name;
            }
            catch (StoreException e) when (e.Code is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
            {
                // The namespace is gone (being deleted): the event has nowhere to live, as on a real cluster.
            }
        }
    }
}
