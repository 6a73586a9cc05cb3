using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dashboard.Sandbox.Cluster;

/// <summary>Small, tolerant readers and writers over Kubernetes objects held as <see cref="JsonObject"/>.</summary>
internal static class JsonFields
{
    public static string? String(JsonNode? node, string name) =>
        node is JsonObject obj && obj[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    public static string? Name(JsonNode? obj) => String(obj?["metadata"], "name");

    public static string? Namespace(JsonNode? obj) => String(obj?["metadata"], "namespace");

    public static string? Uid(JsonNode? obj) => String(obj?["metadata"], "uid");

    public static long ResourceVersion(JsonNode? obj) =>
        long.TryParse(String(obj?["metadata"], "resourceVersion"), NumberStyles.None, CultureInfo.InvariantCulture, out var rv) ? rv : 0;

    /// <summary>Reads a whole number whichever CLR type backs it (parsed JSON, int or long).</summary>
    public static long? Long(JsonNode? node, string name) => Long(node is JsonObject obj ? obj[name] : null);

    public static long? Long(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number
            && long.TryParse(value.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;

    public static bool? Bool(JsonNode? node, string name) =>
        node is JsonObject obj && obj[name] is JsonValue value ? value.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => null,
        } : null;

    /// <summary>A string-to-string map such as labels, annotations or a selector; empty when absent.</summary>
    public static Dictionary<string, string> StringMap(JsonNode? node)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is JsonObject obj)
        {
            foreach (var (key, value) in obj)
            {
                if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
                {
                    map[key] = v.GetValue<string>();
                }
            }
        }
        return map;
    }

    public static Dictionary<string, string> Labels(JsonNode? obj) => StringMap(obj?["metadata"]?["labels"]);

    public static Dictionary<string, string> Annotations(JsonNode? obj) => StringMap(obj?["metadata"]?["annotations"]);

    /// <summary>Returns the child object, creating it when absent.</summary>
    public static JsonObject Child(JsonObject parent, string name)
    {
        if (parent[name] is JsonObject child)
        {
            return child;
        }
        child = new JsonObject();
        parent[name] = child;
        return child;
    }

    public static JsonObject ToObject(IEnumerable<KeyValuePair<string, string>> map)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in map)
        {
            obj[key] = value;
        }
        return obj;
    }

    public static IEnumerable<JsonObject> Objects(JsonNode? array) =>
        array is JsonArray items ? items.OfType<JsonObject>() : [];

    public static string Key(string? ns, string name) => string.IsNullOrEmpty(ns) ? name : ns + "/" + name;

    public static (string Namespace, string Name) SplitKey(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? ("", key) : (key[..slash], key[(slash + 1)..]);
    }
}
