using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Dashboard.Sandbox.Kubernetes.Api;

/// <summary>
/// Discovery documents in their legacy shapes (APIVersions, APIGroupList, APIGroup, APIResourceList, which kubectl accepts
/// when the server does not answer with aggregated discovery) and the OpenAPI v3 index plus per group-version documents.
/// The OpenAPI documents hold every resource path with its patch operation, the <c>x-kubernetes-group-version-kind</c>
/// and the <c>fieldValidation</c>/<c>dryRun</c> parameters, which is what kubectl reads to hand validation to the server,
/// and the schemas of every kind (<see cref="OpenApiSchemas"/>), which <c>kubectl explain</c> reads. They leave out
/// strategic merge so kubectl computes those patches from its built-in types. Documents are built once and cached.
/// </summary>
internal static class ApiDiscovery
{
    public const string GitVersion = "v1.32.0-sandbox";

    private static readonly string[] AllVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "32",
        ["gitVersion"] = GitVersion,
        ["gitCommit"] = "0000000000000000000000000000000000000000",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2025-01-01T00:00:00Z",
        ["goVersion"] = "go1.23.0",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    public static JsonObject CoreVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public static IEnumerable<(string Group, string Version)> GroupVersions() =>
        ResourceTypes.All.Where(t => t.Group.Length > 0).Select(t => (t.Group, t.Version)).Distinct();

    public static JsonObject GroupList() => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray(GroupVersions().Select(gv => (JsonNode)Group(gv.Group)!).ToArray()),
    };

    public static JsonObject? Group(string group)
    {
        var versions = GroupVersions().Where(gv => gv.Group == group).Select(gv => gv.Version).ToList();
        if (versions.Count == 0)
        {
            return null;
        }
        JsonObject Entry(string v) => new() { ["groupVersion"] = $"{group}/{v}", ["version"] = v };
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = group,
            ["versions"] = new JsonArray(versions.Select(v => (JsonNode)Entry(v)).ToArray()),
            ["preferredVersion"] = Entry(versions[0]),
        };
    }

    public static JsonObject? ResourceList(string group, string version)
    {
        var types = ResourceTypes.All.Where(t => t.Group == group && t.Version == version).ToList();
        if (types.Count == 0)
        {
            return null;
        }
        var resources = new JsonArray();
        foreach (var t in types)
        {
            var entry = new JsonObject
            {
                ["name"] = t.Plural,
                ["singularName"] = t.Singular,
                ["namespaced"] = t.Namespaced,
                ["kind"] = t.Kind,
                ["verbs"] = new JsonArray(AllVerbs.Select(v => (JsonNode)v).ToArray()),
            };
            if (t.ShortNames.Count > 0)
            {
                entry["shortNames"] = new JsonArray(t.ShortNames.Select(s => (JsonNode)s).ToArray());
            }
            if (t.Categories.Count > 0)
            {
                entry["categories"] = new JsonArray(t.Categories.Select(s => (JsonNode)s).ToArray());
            }
            entry["storageVersionHash"] = Hash(t.ApiVersion + "/" + t.Kind)[..12];
            resources.Add(entry);
            if (t.HasStatus)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = t.Plural + "/status",
                    ["singularName"] = "",
                    ["namespaced"] = t.Namespaced,
                    ["kind"] = t.Kind,
                    ["verbs"] = new JsonArray("get", "patch", "update"),
                });
            }
            if (t.HasScale)
            {
                // As the real apps/v1 list: the scale subresource names its own group, version and kind.
                resources.Add(new JsonObject
                {
                    ["name"] = t.Plural + "/scale",
                    ["singularName"] = "",
                    ["namespaced"] = t.Namespaced,
                    ["group"] = Scale.Group,
                    ["version"] = Scale.Version,
                    ["kind"] = Scale.Kind,
                    ["verbs"] = new JsonArray("get", "patch", "update"),
                });
            }
        }
        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, JsonObject?> OpenApiDocuments = new(StringComparer.Ordinal);
    private static readonly Lazy<JsonObject> OpenApiIndexDocument = new(BuildOpenApiIndex);

    /// <summary>The OpenAPI v3 index: each group-version document's URL with a hash of its content (a copy; built once).</summary>
    public static JsonObject OpenApiIndex() => (JsonObject)OpenApiIndexDocument.Value.DeepClone();

    /// <summary>The OpenAPI v3 document of one group-version (<c>api/v1</c>, <c>apis/apps/v1</c>…), or null (a copy; built once).</summary>
    public static JsonObject? OpenApiDocument(string key) =>
        OpenApiDocuments.GetOrAdd(key.Trim('/'), BuildOpenApiDocument)?.DeepClone() as JsonObject;

    private static JsonObject BuildOpenApiIndex()
    {
        var paths = new JsonObject();
        foreach (var key in new[] { "api/v1" }.Concat(GroupVersions().Select(gv => $"apis/{gv.Group}/{gv.Version}")))
        {
            var doc = OpenApiDocument(key)!;
            paths[key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{key}?hash={Hash(doc.ToJsonString())}" };
        }
        return new JsonObject { ["paths"] = paths };
    }

    private static JsonObject? BuildOpenApiDocument(string key)
    {
        var parts = key.Trim('/').Split('/');
        var (group, version) = parts switch
        {
            ["api", var v] => ("", v),
            ["apis", var g, var v] => (g, v),
            _ => ((string?)null, ""),
        };
        var types = group is null ? [] : ResourceTypes.All.Where(t => t.Group == group && t.Version == version).ToList();
        if (types.Count == 0)
        {
            return null;
        }
        var paths = new JsonObject();
        var schemas = new JsonObject();
        foreach (var t in types)
        {
            if (KindSchema.ModelType(t) is { } model)
            {
                OpenApiSchemas.AddKind(schemas, model, t.Group, t.Version, t.Kind);
            }
            else if (t == ResourceTypes.TargetGroupBindings)
            {
                OpenApiSchemas.AddTargetGroupBinding(schemas, t);
            }
            else if (t == ResourceTypes.IngressClassParams)
            {
                OpenApiSchemas.AddIngressClassParams(schemas, t);
            }
            if (t.HasScale)
            {
                OpenApiSchemas.AddKind(schemas, typeof(k8s.Models.V1Scale), Scale.Group, Scale.Version, Scale.Kind);
            }
            var prefix = (t.Group.Length == 0 ? "/api/v1" : $"/apis/{t.Group}/{t.Version}") + (t.Namespaced ? "/namespaces/{namespace}" : "");
            paths[$"{prefix}/{t.Plural}"] = new JsonObject { ["post"] = Operation(t, "post") };
            paths[$"{prefix}/{t.Plural}/{{name}}"] = new JsonObject { ["put"] = Operation(t, "put"), ["patch"] = Operation(t, "patch") };
            if (t.HasStatus)
            {
                paths[$"{prefix}/{t.Plural}/{{name}}/status"] = new JsonObject { ["put"] = Operation(t, "put"), ["patch"] = Operation(t, "patch") };
            }
            if (t.HasScale)
            {
                paths[$"{prefix}/{t.Plural}/{{name}}/scale"] = new JsonObject { ["put"] = Operation(t, "put", Scale.Kind), ["patch"] = Operation(t, "patch", Scale.Kind) };
            }
        }
        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = GitVersion },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = Sorted(schemas) },
        };
    }

    private static JsonObject Sorted(JsonObject schemas)
    {
        var sorted = new JsonObject();
        foreach (var (name, schema) in schemas.OrderBy(p => p.Key, StringComparer.Ordinal).ToList())
        {
            schemas.Remove(name);
            sorted[name] = schema;
        }
        return sorted;
    }

    private static JsonObject Operation(ResourceType t, string verb, string? subresourceKind = null)
    {
        var parameters = new JsonArray();
        foreach (var name in verb == "patch" ? ["dryRun", "fieldManager", "fieldValidation", "force"] : new[] { "dryRun", "fieldManager", "fieldValidation" })
        {
            parameters.Add(new JsonObject { ["name"] = name, ["in"] = "query", ["schema"] = new JsonObject { ["type"] = name == "force" ? "boolean" : "string" } });
        }
        var contentTypes = verb == "patch"
            ? new[] { "application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml" }
            : ["application/json", "application/yaml"];
        var content = new JsonObject();
        foreach (var type in contentTypes)
        {
            content[type] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "object" } };
        }
        return new JsonObject
        {
            ["operationId"] = verb + t.Kind + (subresourceKind ?? ""),
            ["parameters"] = parameters,
            ["requestBody"] = new JsonObject { ["content"] = content, ["required"] = true },
            ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
            ["x-kubernetes-action"] = verb == "post" ? "post" : verb,
            ["x-kubernetes-group-version-kind"] = subresourceKind is null
                ? new JsonObject { ["group"] = t.Group, ["version"] = t.Version, ["kind"] = t.Kind }
                : new JsonObject { ["group"] = Scale.Group, ["version"] = Scale.Version, ["kind"] = subresourceKind },
        };
    }

    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
