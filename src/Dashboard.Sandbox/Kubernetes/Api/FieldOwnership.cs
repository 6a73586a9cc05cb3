using System.Net;
using System.Text.Json.Nodes;

namespace Dashboard.Sandbox.Kubernetes.Api;

/// <summary>
/// Server-side apply's field ownership, as the API server keeps it in <c>metadata.managedFields</c> (FieldsV1): each
/// apply records the fields its manager sent; a field another applier owns with a different value is a conflict (409,
/// <c>Apply failed with N conflicts: conflict with "manager": .path</c>) unless the apply forces, which takes the field
/// over; a field the manager owned before and no longer sends is removed when nobody else owns it; a resourceVersion in
/// the applied configuration is a precondition. Simplified from the real structured-merge-diff: lists are atomic (owned
/// as a whole), and only appliers (operation Apply) are tracked — updates (PUT, patch) own nothing.
/// </summary>
internal static class FieldOwnership
{
    public const string Apply = "Apply";

    /// <summary>The managedFields of an object created by an apply of <paramref name="manager"/>.</summary>
    public static void OnCreate(JsonObject created, string manager, string apiVersion, DateTimeOffset now)
    {
        var meta = created["metadata"] as JsonObject ?? [];
        created["metadata"] = meta;
        meta["managedFields"] = new JsonArray(Entry(manager, apiVersion, Leaves(created), now));
    }

    /// <summary>
    /// Merges <paramref name="config"/> (an apply of <paramref name="manager"/>) into <paramref name="current"/> with
    /// <paramref name="merge"/>, checking and updating ownership. Throws 409 on a changed resourceVersion or on conflicts.
    /// </summary>
    public static JsonObject Merge(ResourceType type, JsonObject current, JsonObject config, string manager, bool force, DateTimeOffset now,
        Func<JsonObject, JsonObject, JsonObject> merge)
    {
        var name = current["metadata"]?["name"]?.ToString() ?? "";
        if (config["metadata"]?["resourceVersion"]?.ToString() is { Length: > 0 } wanted && wanted != current["metadata"]?["resourceVersion"]?.ToString())
        {
            throw StoreException.Conflict(type, name);
        }
        var mine = Leaves(config);
        var entries = Entries(current).Where(e => e.Manager != manager || e.Operation != Apply).ToList();
        var previous = Entries(current).FirstOrDefault(e => e.Manager == manager && e.Operation == Apply)?.Fields ?? [];

        var stripped = (JsonObject)config.DeepClone();
        if (stripped["metadata"] is JsonObject strippedMeta)
        {
            strippedMeta.Remove("resourceVersion");
            strippedMeta.Remove("managedFields");
        }
        var merged = merge(current, stripped);

        // A conflict: the apply would change a field another applier owns (the same value is shared ownership). Comparing
        // the merged result with the live object, not the applied value with it, keeps server defaults inside an owned
        // field (a port's protocol) from counting as a change.
        var conflicts = new List<(string Manager, string Path)>();
        foreach (var other in entries.Where(e => e.Operation == Apply))
        {
            foreach (var path in other.Fields.Where(mine.Contains))
            {
                if (!SameValue(ValueAt(current, path), ValueAt(merged, path)))
                {
                    conflicts.Add((other.Manager, path));
                }
            }
        }
        if (conflicts.Count > 0 && !force)
        {
            var noun = conflicts.Count == 1 ? "conflict" : "conflicts";
            var causes = conflicts.Select(c => new StatusCause("FieldManagerConflict", $"conflict with \"{c.Manager}\"", Display(c.Path))).ToList();
            throw new StoreException(HttpStatusCode.Conflict, "Conflict",
                $"Apply failed with {conflicts.Count} {noun}: " + string.Join("\n", conflicts.Select(c => $"conflict with \"{c.Manager}\": {Display(c.Path)}")),
                type, name, causes);
        }
        foreach (var (owner, path) in conflicts)
        {
            entries.First(e => e.Manager == owner && e.Operation == Apply).Fields.Remove(path);
        }

        var ownedByOthers = entries.SelectMany(e => e.Fields).ToHashSet(StringComparer.Ordinal);
        foreach (var path in previous.Where(p => !mine.Contains(p) && !ownedByOthers.Contains(p)))
        {
            Remove(merged, path);
        }
        var array = new JsonArray();
        foreach (var entry in entries.Where(e => e.Fields.Count > 0 || e.Operation != Apply))
        {
            array.Add(entry.Raw is not null && entry.Operation != Apply ? entry.Raw.DeepClone() : Entry(entry.Manager, entry.ApiVersion, entry.Fields, entry.Time));
        }
        array.Add(Entry(manager, type.ApiVersion, mine, now));
        var meta = merged["metadata"] as JsonObject ?? [];
        merged["metadata"] = meta;
        meta["managedFields"] = array;
        return merged;
    }

    /// <summary>The leaf fields of an applied configuration, as dotted paths with each key in brackets-free form.</summary>
    public static HashSet<string> Leaves(JsonObject config)
    {
        var leaves = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in config)
        {
            if (key is "apiVersion" or "kind" or "status")
            {
                continue;
            }
            if (key == "metadata" && value is JsonObject meta)
            {
                foreach (var (metaKey, metaValue) in meta)
                {
                    if (metaKey is "name" or "namespace" or "resourceVersion" or "uid" or "managedFields" or "creationTimestamp" or "generation"
                        or "selfLink" or "deletionTimestamp")
                    {
                        continue;
                    }
                    Collect(metaValue, ["metadata", metaKey], leaves);
                }
                continue;
            }
            Collect(value, [key], leaves);
        }
        return leaves;
    }

    private static void Collect(JsonNode? node, List<string> path, HashSet<string> leaves)
    {
        if (node is JsonObject obj && obj.Count > 0)
        {
            foreach (var (key, value) in obj)
            {
                Collect(value, [.. path, key], leaves);
            }
            return;
        }
        leaves.Add(Join(path));
    }

    // Keys may contain '.', '/' (annotation names): the internal path joins them with a character no key holds.
    private const char Separator = '\u001f';

    private static string Join(IEnumerable<string> path) => string.Join(Separator, path);

    private static string[] Split(string path) => path.Split(Separator);

    /// <summary>The path as the API server prints it in a conflict: <c>.metadata.annotations.key</c>.</summary>
    public static string Display(string path) => "." + string.Join('.', Split(path));

    private static JsonNode? ValueAt(JsonObject root, string path)
    {
        JsonNode? node = root;
        foreach (var key in Split(path))
        {
            node = (node as JsonObject)?[key];
            if (node is null)
            {
                return null;
            }
        }
        return node;
    }

    private static bool SameValue(JsonNode? a, JsonNode? b) => JsonNode.DeepEquals(a, b);

    private static void Remove(JsonObject root, string path)
    {
        var keys = Split(path);
        var parents = new List<JsonObject> { root };
        for (var i = 0; i < keys.Length - 1; i++)
        {
            if (parents[^1][keys[i]] is not JsonObject next)
            {
                return;
            }
            parents.Add(next);
        }
        parents[^1].Remove(keys[^1]);
        // Drop maps the removal left empty (an annotations map with no annotation), as the API server does.
        for (var i = parents.Count - 1; i > 0 && parents[i].Count == 0; i--)
        {
            parents[i - 1].Remove(keys[i - 1]);
        }
    }

    private static JsonObject Entry(string manager, string apiVersion, IEnumerable<string> fields, DateTimeOffset now) => new()
    {
        ["manager"] = manager,
        ["operation"] = Apply,
        ["apiVersion"] = apiVersion,
        ["time"] = ResourceStore.Timestamp(now),
        ["fieldsType"] = "FieldsV1",
        ["fieldsV1"] = ToFieldsV1(fields),
    };

    private static JsonObject ToFieldsV1(IEnumerable<string> fields)
    {
        var root = new JsonObject();
        foreach (var path in fields.Order(StringComparer.Ordinal))
        {
            var node = root;
            foreach (var key in Split(path))
            {
                if (node["f:" + key] is not JsonObject child)
                {
                    child = [];
                    node["f:" + key] = child;
                }
                node = child;
            }
        }
        return root;
    }

    private static void FromFieldsV1(JsonObject node, List<string> path, HashSet<string> fields)
    {
        var children = node.Where(p => p.Key.StartsWith("f:", StringComparison.Ordinal) && p.Value is JsonObject).ToList();
        if (children.Count == 0)
        {
            if (path.Count > 0)
            {
                fields.Add(Join(path));
            }
            return;
        }
        foreach (var (key, value) in children)
        {
            FromFieldsV1((JsonObject)value!, [.. path, key[2..]], fields);
        }
    }

    private static List<ManagedEntry> Entries(JsonObject obj)
    {
        var list = new List<ManagedEntry>();
        if (obj["metadata"]?["managedFields"] is not JsonArray array)
        {
            return list;
        }
        foreach (var item in array.OfType<JsonObject>())
        {
            var fields = new HashSet<string>(StringComparer.Ordinal);
            if (item["fieldsV1"] is JsonObject fieldsV1)
            {
                FromFieldsV1(fieldsV1, [], fields);
            }
            var time = DateTimeOffset.TryParse(item["time"]?.ToString(), System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : DateTimeOffset.UnixEpoch;
            list.Add(new ManagedEntry(item["manager"]?.ToString() ?? "", item["operation"]?.ToString() ?? "", item["apiVersion"]?.ToString() ?? "",
                time, fields, item));
        }
        return list;
    }

    private sealed record ManagedEntry(string Manager, string Operation, string ApiVersion, DateTimeOffset Time, HashSet<string> Fields, JsonObject? Raw);
}
