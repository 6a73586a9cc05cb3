using System.Net;
using System.Text.Json.Nodes;

namespace Dashboard.Sandbox.Kubernetes.Api;

/// <summary>
/// Strategic merge patch for the built-in kinds the sandbox serves: lists with a merge key merge element by element
/// (Service ports by <c>port</c>, container ports by <c>containerPort</c>, containers/env/volumes by <c>name</c>,
/// conditions by <c>type</c>…), <c>$setElementOrder/…</c> orders them, <c>$patch: delete|replace|merge</c> and
/// <c>$deleteFromPrimitiveList/…</c> act as in apimachinery; <c>$retainKeys</c> is honoured. Other lists replace.
/// Hand-written: no served package implements Kubernetes' strategic merge.
/// </summary>
public static class StrategicMergePatch
{
    private const string PatchDirective = "$patch";
    private const string SetElementOrder = "$setElementOrder/";
    private const string DeleteFromPrimitiveList = "$deleteFromPrimitiveList/";
    private const string RetainKeys = "$retainKeys";

    /// <summary>Applies <paramref name="patch"/> to a copy of <paramref name="original"/> and returns the result.</summary>
    public static JsonObject Apply(JsonObject original, JsonObject patch) =>
        MergeObject((JsonObject)original.DeepClone(), patch, "") ?? [];

    /// <summary>The merge key of the list at a dotted path (array elements marked <c>[]</c>), or null when the list is atomic.</summary>
    public static string? MergeKey(string path)
    {
        var field = path[(path.LastIndexOf('.') + 1)..];
        var parent = path.Length > field.Length ? path[..(path.Length - field.Length - 1)] : "";
        return field switch
        {
            "containers" or "initContainers" or "ephemeralContainers" or "env" or "volumes" or "imagePullSecrets"
                or "resourceClaims" or "containerStatuses" or "initContainerStatuses" => "name",
            "volumeMounts" => "mountPath",
            "volumeDevices" => "devicePath",
            "ports" when parent.EndsWith("ontainers[]", StringComparison.Ordinal) => "containerPort",
            "ports" when parent == "spec" => "port",
            "conditions" or "addresses" when parent == "status" => "type",
            "hostAliases" => "ip",
            "ownerReferences" => "uid",
            "topologySpreadConstraints" => "topologyKey",
            _ => null,
        };
    }

    /// <summary>Primitive lists whose patch strategy is merge (set union) rather than replace.</summary>
    private static bool IsMergedPrimitiveList(string path) => path is "metadata.finalizers";

    private static JsonObject? MergeObject(JsonObject target, JsonObject patch, string path)
    {
        if (patch[PatchDirective] is JsonValue directive)
        {
            switch (directive.ToString())
            {
                case "delete":
                    return null;
                case "replace":
                    var replaced = (JsonObject)patch.DeepClone();
                    replaced.Remove(PatchDirective);
                    return replaced;
                case "merge":
                    break;
                default:
                    throw BadPatch($"unknown patch type: {directive} in map: {patch.ToJsonString()}");
            }
        }
        if (patch[RetainKeys] is JsonArray retain)
        {
            var keep = retain.Select(k => k?.ToString()).ToHashSet();
            foreach (var key in target.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList())
            {
                target.Remove(key);
            }
        }
        foreach (var (key, value) in patch)
        {
            if (key is PatchDirective or RetainKeys || key.StartsWith(SetElementOrder, StringComparison.Ordinal))
            {
                continue;
            }
            var childPath = path.Length == 0 ? key : path + "." + key;
            if (key.StartsWith(DeleteFromPrimitiveList, StringComparison.Ordinal))
            {
                var field = key[DeleteFromPrimitiveList.Length..];
                if (target[field] is JsonArray list && value is JsonArray remove)
                {
                    var drop = remove.Select(v => v?.ToJsonString()).ToHashSet();
                    target[field] = new JsonArray(list.Where(v => !drop.Contains(v?.ToJsonString())).Select(v => v?.DeepClone()).ToArray());
                }
                continue;
            }
            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject patchChild)
            {
                var merged = MergeObject(target[key] as JsonObject ?? [], patchChild, childPath);
                if (merged is null)
                {
                    target.Remove(key);
                }
                else
                {
                    target[key] = merged;
                }
            }
            else if (value is JsonArray patchList)
            {
                var merged = MergeList(target[key] as JsonArray, patchList, childPath);
                if (patch[SetElementOrder + key] is JsonArray order)
                {
                    merged = Order(merged, order, MergeKey(childPath));
                }
                target[key] = merged;
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
        // $setElementOrder for a list the patch does not otherwise touch still reorders it.
        foreach (var (key, value) in patch)
        {
            if (key.StartsWith(SetElementOrder, StringComparison.Ordinal) && value is JsonArray order)
            {
                var field = key[SetElementOrder.Length..];
                if (!patch.ContainsKey(field) && target[field] is JsonArray existing)
                {
                    target[field] = Order(existing, order, MergeKey(path.Length == 0 ? field : path + "." + field));
                }
            }
        }
        return target;
    }

    private static JsonArray MergeList(JsonArray? target, JsonArray patch, string path)
    {
        var mergeKey = MergeKey(path);
        if (patch.Any(e => e is JsonObject o && o[PatchDirective]?.ToString() == "replace"))
        {
            return new JsonArray(patch.Where(e => !(e is JsonObject o && o.ContainsKey(PatchDirective))).Select(e => e?.DeepClone()).ToArray());
        }
        if (mergeKey is null)
        {
            if (IsMergedPrimitiveList(path))
            {
                var union = target is null ? new JsonArray() : (JsonArray)target.DeepClone();
                foreach (var item in patch.Where(item => !union.Any(u => JsonNode.DeepEquals(u, item))))
                {
                    union.Add(item?.DeepClone());
                }
                return union;
            }
            return (JsonArray)patch.DeepClone();
        }
        var result = target is null ? new JsonArray() : (JsonArray)target.DeepClone();
        var elementPath = path + "[]";
        foreach (var element in patch)
        {
            if (element is not JsonObject patchElement)
            {
                throw BadPatch($"the list at {path} is merged by \"{mergeKey}\", so each element must be an object");
            }
            var keyValue = patchElement[mergeKey];
            if (keyValue is null)
            {
                throw BadPatch($"map: {patchElement.ToJsonString()} does not contain declared merge key: {mergeKey}");
            }
            var index = IndexOf(result, mergeKey, keyValue);
            var isDelete = patchElement[PatchDirective]?.ToString() == "delete";
            if (isDelete)
            {
                if (index >= 0)
                {
                    result.RemoveAt(index);
                }
                continue;
            }
            if (index >= 0)
            {
                var merged = MergeObject((JsonObject)result[index]!, patchElement, elementPath);
                result[index] = null;
                result[index] = merged;
            }
            else
            {
                var added = MergeObject([], patchElement, elementPath);
                result.Add(added);
            }
        }
        return result;
    }

    private static JsonArray Order(JsonArray list, JsonArray order, string? mergeKey)
    {
        var items = list.Select(e => e?.DeepClone()).ToList();
        int Rank(JsonNode? item)
        {
            var key = mergeKey is null ? item : (item as JsonObject)?[mergeKey];
            for (var i = 0; i < order.Count; i++)
            {
                var wanted = mergeKey is null ? order[i] : (order[i] as JsonObject)?[mergeKey];
                if (JsonNode.DeepEquals(key, wanted))
                {
                    return i;
                }
            }
            return int.MaxValue;
        }
        // Stable: elements the order does not name keep their relative place after the named ones.
        return new JsonArray(items.Select((item, i) => (item, i)).OrderBy(x => Rank(x.item)).ThenBy(x => x.i).Select(x => x.item).ToArray());
    }

    private static int IndexOf(JsonArray list, string mergeKey, JsonNode keyValue)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is JsonObject o && KeyEquals(o[mergeKey], keyValue))
            {
                return i;
            }
        }
        return -1;
    }

    private static bool KeyEquals(JsonNode? a, JsonNode b) =>
        JsonNode.DeepEquals(a, b) || (a is JsonValue && b is JsonValue && a.ToString() == b.ToString());

    private static StoreException BadPatch(string message) =>
        new(HttpStatusCode.BadRequest, "BadRequest", message);
}
