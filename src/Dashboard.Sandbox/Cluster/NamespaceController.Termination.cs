using System.Globalization;
using System.Text.Json.Nodes;
using Dashboard.Sandbox.Kubernetes;

namespace Dashboard.Sandbox.Cluster;

/// <summary>
/// The namespace lifecycle controller's deletion: a Terminating namespace has its content deleted (as clients delete it:
/// pods gracefully, objects with finalizers held by them) after the moment the real controller needs to discover what
/// is in it, reports what remains in its status conditions, and once nothing is left removes the <c>kubernetes</c>
/// finalizer from <c>spec.finalizers</c>, which deletes it.
/// </summary>
internal sealed partial class NamespaceController
{
    /// <summary>How long after the delete the content goes (discovery and the controller's queue on a real cluster).</summary>
    public static readonly TimeSpan ContentDeletionDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan _recheck = TimeSpan.FromMilliseconds(500);

    private void Terminate(string ns, JsonObject namespaceObject)
    {
        var now = runtime.Time.GetUtcNow();
        if (DateTimeOffset.TryParse(namespaceObject["metadata"]!["deletionTimestamp"]!.ToString(), CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var since) && now < since + ContentDeletionDelay)
        {
            runtime.RecheckAt(this, ns, since + ContentDeletionDelay);
            return;
        }
        var remaining = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var finalizers = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var type in ResourceTypes.All.Where(t => t.Namespaced && t != ResourceTypes.Events))
        {
            foreach (var obj in runtime.Store.List(type, ns).Items)
            {
                remaining[type.ToString()] = remaining.GetValueOrDefault(type.ToString()) + 1;
                ResourceStore.Finalizers(obj["metadata"] as JsonObject).ForEach(f => finalizers[f] = finalizers.GetValueOrDefault(f) + 1);
                if (obj["metadata"]?["deletionTimestamp"] is null)
                {
                    runtime.DeleteGracefully(type, ns, JsonFields.Name(obj)!);
                }
            }
        }
        if (remaining.Count > 0)
        {
            WriteConditions(ns, remaining, finalizers);
            runtime.RecheckAt(this, ns, now + _recheck);
            return;
        }
        foreach (var ev in runtime.Store.List(ResourceTypes.Events, ns).Items)
        {
            runtime.Delete(ResourceTypes.Events, ns, JsonFields.Name(ev)!);
        }
        runtime.Mutate(ResourceTypes.Namespaces, null, ns, n =>
        {
            var spec = JsonFields.Child(n, "spec");
            var rest = (spec["finalizers"] as JsonArray)?.Select(f => f?.ToString()).Where(f => f is not (null or "kubernetes")).ToList() ?? [];
            spec["finalizers"] = new JsonArray(rest.Select(f => (JsonNode)f!).ToArray());
            return n;
        });
    }

    /// <summary>The conditions <c>kubectl describe namespace</c> shows while content remains (NamespaceContentRemaining…).</summary>
    private void WriteConditions(string ns, SortedDictionary<string, int> remaining, SortedDictionary<string, int> finalizers)
    {
        var now = ResourceStore.Timestamp(runtime.Time.GetUtcNow());
        JsonObject Condition(string type, bool value, string reason, string message) => new()
        {
            ["type"] = type,
            ["status"] = value ? "True" : "False",
            ["lastTransitionTime"] = now,
            ["reason"] = reason,
            ["message"] = message,
        };
        var conditions = new JsonArray
        {
            Condition("NamespaceDeletionDiscoveryFailure", false, "ResourcesDiscovered", "All resources successfully discovered"),
            Condition("NamespaceDeletionGroupVersionParsingFailure", false, "ParsedGroupVersions", "All legacy kube types successfully parsed"),
            Condition("NamespaceDeletionContentFailure", false, "ContentDeleted", "All content successfully deleted, may be waiting on finalization"),
            Condition("NamespaceContentRemaining", true, "SomeResourcesRemain",
                "Some resources are remaining: " + string.Join(", ", remaining.Select(r => $"{r.Key} has {r.Value} resource instances"))),
            finalizers.Count > 0
                ? Condition("NamespaceFinalizersRemaining", true, "SomeFinalizersRemain",
                    "Some content in the namespace has finalizers remaining: " + string.Join(", ", finalizers.Select(f => $"{f.Key} in {f.Value} resource instances")))
                : Condition("NamespaceFinalizersRemaining", false, "ContentHasNoFinalizers", "All content-preserving finalizers finished"),
        };
        runtime.Mutate(ResourceTypes.Namespaces, null, ns, n =>
        {
            var status = JsonFields.Child(n, "status");
            status["phase"] = "Terminating";
            // Transition times stay as first written while a condition keeps its status and message.
            var old = JsonFields.Objects(status["conditions"]).ToDictionary(c => JsonFields.String(c, "type") ?? "", StringComparer.Ordinal);
            foreach (var condition in conditions.OfType<JsonObject>())
            {
                if (old.TryGetValue(JsonFields.String(condition, "type")!, out var previous) && JsonFields.String(previous, "status") == JsonFields.String(condition, "status"))
                {
                    condition["lastTransitionTime"] = JsonFields.String(previous, "lastTransitionTime");
                }
            }
            status["conditions"] = conditions.DeepClone();
            return n;
        }, statusOnly: true);
    }
}
