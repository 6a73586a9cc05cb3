using System.Collections;
using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Dashboard.Sandbox.Kubernetes.Protobuf;
using k8s.Models;

namespace Dashboard.Sandbox.Kubernetes.Api;

/// <summary>
/// The <c>components.schemas</c> of an OpenAPI v3 group-version document, generated from KubernetesClient's model types
/// (which are themselves generated from the Kubernetes OpenAPI document) in the shape kube-apiserver publishes: one schema
/// per Go type, named as the real document names it (<c>io.k8s.api.core.v1.ServicePort</c>, the package taken from the
/// published protobuf schema), struct fields as <c>allOf</c> of one <c>$ref</c>, lists as <c>items</c>, maps as
/// <c>additionalProperties</c>, <c>required</c> from the models' required constructor parameters, the apimachinery
/// value types (Time, MicroTime, Quantity, IntOrString) as their own schemas, descriptions from the models'
/// documentation and <c>x-kubernetes-group-version-kind</c> on the served kinds. That is what <c>kubectl explain</c>
/// reads. Not generated: enum values, defaults, list types and patch strategies (which kubectl then takes from its
/// built-in types, as the patch operations do not offer strategic merge).
/// </summary>
internal static partial class OpenApiSchemas
{
    private const string Meta = "io.k8s.apimachinery.pkg.apis.meta.v1.";
    private const string IntOrStringName = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
    private const string QuantityName = "io.k8s.apimachinery.pkg.api.resource.Quantity";

    private static readonly Regex VersionedName = new(@"^V(?<version>\d+(?:alpha\d+|beta\d+)?)(?<name>[A-Z]\w*)$", RegexOptions.CultureInvariant);
    private static readonly Regex GroupVersionedName = new(@"^(?<group>[A-Z][a-z]+)(?<version>v\d+(?:alpha\d+|beta\d+)?)(?<name>[A-Z]\w*)$", RegexOptions.CultureInvariant);

    /// <summary>Proto message names by (version, short name): the packages a Go type name can live in.</summary>
    private static readonly Lazy<ILookup<(string Version, string Name), string>> ProtoNames = new(() =>
        ProtoSchema.FullNames().ToLookup(n =>
        {
            var parts = n.Split('.');
            return (parts[^2], parts[^1]);
        }));

    /// <summary>
    /// Adds to <paramref name="schemas"/> the schema of <paramref name="model"/> (a served kind, tagged with its group,
    /// version and kind) and of every type it references.
    /// </summary>
    public static string AddKind(JsonObject schemas, Type model, string group, string version, string kind)
    {
        var name = SchemaName(model);
        Add(schemas, model);
        var schema = (JsonObject)schemas[name]!;
        var gvks = schema["x-kubernetes-group-version-kind"] as JsonArray ?? [];
        if (!gvks.OfType<JsonObject>().Any(g => (string?)g["group"] == group && (string?)g["kind"] == kind && (string?)g["version"] == version))
        {
            gvks.Add(new JsonObject { ["group"] = group, ["kind"] = kind, ["version"] = version });
        }
        schema["x-kubernetes-group-version-kind"] = gvks;
        return name;
    }

    /// <summary>The schema name of a model type, as the real document names the Go type.</summary>
    public static string SchemaName(Type model)
    {
        if (model == typeof(IntOrString))
        {
            return IntOrStringName;
        }
        if (model == typeof(ResourceQuantity))
        {
            return QuantityName;
        }
        var (group, version, name) = Split(model.Name);
        var candidates = ProtoNames.Value[(version, name)].ToList();
        var package = candidates.FirstOrDefault(c => group is not null && c.Contains($".{group}.", StringComparison.Ordinal))
            ?? candidates.FirstOrDefault(c => c.StartsWith("k8s.io.api.core.", StringComparison.Ordinal))
            ?? candidates.FirstOrDefault();
        // A type the embedded protobuf packages do not hold (none of the served kinds reaches one today) keeps its
        // Go-like name in the core group, so it still reads as Kind name in kubectl explain.
        return package is null ? $"io.k8s.api.{group ?? "core"}.{version}.{name}" : "io.k8s." + package["k8s.io.".Length..];
    }

    private static (string? Group, string Version, string Name) Split(string typeName)
    {
        var match = VersionedName.Match(typeName);
        if (match.Success)
        {
            return (null, "v" + match.Groups["version"].Value, match.Groups["name"].Value);
        }
        match = GroupVersionedName.Match(typeName);
        if (match.Success)
        {
            return (match.Groups["group"].Value.ToLowerInvariant(), match.Groups["version"].Value, match.Groups["name"].Value);
        }
        return (null, "v1", typeName);
    }

    private static void Add(JsonObject schemas, Type model)
    {
        var name = SchemaName(model);
        if (schemas.ContainsKey(name))
        {
            return;
        }
        if (model == typeof(IntOrString))
        {
            schemas[name] = new JsonObject
            {
                ["description"] = "IntOrString is a type that can hold an int32 or a string. When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type. This allows you to have, for example, a JSON field that can accept a name or number.",
                ["format"] = "int-or-string",
                ["oneOf"] = new JsonArray(new JsonObject { ["type"] = "integer" }, new JsonObject { ["type"] = "string" }),
            };
            return;
        }
        if (model == typeof(ResourceQuantity))
        {
            schemas[name] = new JsonObject
            {
                ["description"] = "Quantity is a fixed-point representation of a number. It provides convenient marshaling/unmarshaling in JSON and YAML, in addition to String() and AsInt64() accessors. The serialization format is a signed number with an optional suffix: Ki, Mi, Gi, Ti, Pi, Ei (binary), n, u, m, k, M, G, T, P, E (decimal), or an exponent (e or E).",
                ["oneOf"] = new JsonArray(new JsonObject { ["type"] = "string" }, new JsonObject { ["type"] = "number" }),
            };
            return;
        }
        var schema = new JsonObject();
        schemas[name] = schema;
        if (ModelDocumentation.OfType(model) is { Length: > 0 } description)
        {
            schema["description"] = description;
        }
        var proto = name.StartsWith("io.k8s.", StringComparison.Ordinal) ? ProtoSchema.Find("k8s.io." + name["io.k8s.".Length..]) : null;
        var properties = new JsonObject();
        foreach (var property in model.GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => JsonName(p), StringComparer.Ordinal))
        {
            if (JsonName(property) is not { } json)
            {
                continue;
            }
            var field = FieldSchema(schemas, Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType, proto?.ByName.GetValueOrDefault(json));
            if (ModelDocumentation.OfProperty(model, property.Name) is { Length: > 0 } text)
            {
                field["description"] = text;
            }
            properties[json] = field;
        }
        schema["type"] = "object";
        if (properties.Count > 0)
        {
            schema["properties"] = properties;
        }
        var required = RequiredFields(model);
        if (required.Count > 0)
        {
            schema["required"] = new JsonArray(required.Select(r => (JsonNode)r).ToArray());
        }
    }

    private static JsonObject FieldSchema(JsonObject schemas, Type type, ProtoField? proto)
    {
        if (type == typeof(string))
        {
            return new JsonObject { ["type"] = "string" };
        }
        if (type == typeof(bool))
        {
            return new JsonObject { ["type"] = "boolean" };
        }
        if (type == typeof(int) || type == typeof(long))
        {
            return new JsonObject { ["type"] = "integer", ["format"] = type == typeof(int) ? "int32" : "int64" };
        }
        if (type == typeof(double) || type == typeof(float))
        {
            return new JsonObject { ["type"] = "number", ["format"] = "double" };
        }
        if (type == typeof(byte[]))
        {
            return new JsonObject { ["type"] = "string", ["format"] = "byte" };
        }
        if (type == typeof(DateTime) || type == typeof(DateTimeOffset))
        {
            var time = proto?.Type.EndsWith(".MicroTime", StringComparison.Ordinal) == true ? "MicroTime" : "Time";
            schemas[Meta + time] = new JsonObject
            {
                ["description"] = time == "Time"
                    ? "Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON. Wrappers are provided for many of the factory methods that the time package offers."
                    : "MicroTime is version of Time with microsecond level precision.",
                ["format"] = "date-time",
                ["type"] = "string",
            };
            return Reference(Meta + time);
        }
        if (type == typeof(object))
        {
            // RawExtension, FieldsV1 and the like: free-form JSON.
            return new JsonObject { ["type"] = "object" };
        }
        if (Element(type, out var isMap) is { } element)
        {
            var item = FieldSchema(schemas, Nullable.GetUnderlyingType(element) ?? element, null);
            return isMap
                ? new JsonObject { ["type"] = "object", ["additionalProperties"] = item }
                : new JsonObject { ["type"] = "array", ["items"] = item };
        }
        Add(schemas, type);
        return Reference(SchemaName(type));
    }

    /// <summary>A reference as the real document writes one for a struct field: <c>allOf</c> of one <c>$ref</c>.</summary>
    private static JsonObject Reference(string name) => new()
    {
        ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = "#/components/schemas/" + name }),
    };

    private static Type? Element(Type type, out bool isMap)
    {
        isMap = false;
        if (type == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(type))
        {
            return null;
        }
        var interfaces = type.IsInterface ? type.GetInterfaces().Append(type) : type.GetInterfaces();
        var dictionary = interfaces.FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));
        if (dictionary is not null)
        {
            isMap = true;
            return dictionary.GetGenericArguments()[1];
        }
        return interfaces.FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
    }

    private static string? JsonName(PropertyInfo property) => property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name;

    /// <summary>
    /// Required fields whose model property is a reference type, which KubernetesClient's models do not mark (they mark
    /// none): the ones of the served kinds' everyday types, from the Go types (<c>json</c> tags without <c>omitempty</c>
    /// and no <c>+optional</c>).
    /// </summary>
    private static readonly FrozenDictionary<Type, string[]> RequiredReferences = new Dictionary<Type, string[]>
    {
        [typeof(V1Container)] = ["name"],
        [typeof(V1PodSpec)] = ["containers"],
        [typeof(V1DeploymentSpec)] = ["selector", "template"],
        [typeof(V1ReplicaSetSpec)] = ["selector"],
        [typeof(V1HTTPIngressRuleValue)] = ["paths"],
        [typeof(V1HTTPIngressPath)] = ["backend", "pathType"],
        [typeof(V1IngressServiceBackend)] = ["name"],
        [typeof(V1EnvVar)] = ["name"],
        [typeof(V1Volume)] = ["name"],
        [typeof(V1VolumeMount)] = ["mountPath", "name"],
        [typeof(V1KeyToPath)] = ["key", "path"],
        [typeof(V1HTTPGetAction)] = ["port"],
        [typeof(V1TCPSocketAction)] = ["port"],
        [typeof(V1OwnerReference)] = ["apiVersion", "kind", "name", "uid"],
        [typeof(V1LabelSelectorRequirement)] = ["key", "operator"],
        [typeof(V1EndpointSlice)] = ["addressType", "endpoints"],
        [typeof(V1Endpoint)] = ["addresses"],
        [typeof(V1PolicyRule)] = ["verbs"],
        [typeof(V1RoleRef)] = ["apiGroup", "kind", "name"],
        [typeof(Rbacv1Subject)] = ["kind", "name"],
        [typeof(V1RoleBinding)] = ["roleRef"],
        [typeof(V1ClusterRoleBinding)] = ["roleRef"],
        [typeof(V1Condition)] = ["lastTransitionTime", "message", "reason", "status", "type"],
        [typeof(V1DeploymentCondition)] = ["status", "type"],
        [typeof(V1PodCondition)] = ["status", "type"],
        [typeof(V1NodeCondition)] = ["status", "type"],
        [typeof(V1ContainerStatus)] = ["image", "imageID", "name", "ready", "restartCount"],
    }.ToFrozenDictionary();

    /// <summary>
    /// The fields the API requires: value-typed properties the models declare non-nullable (<c>ServicePort.port</c> is an
    /// <c>int</c>, <c>nodePort</c> an <c>int?</c>) and <see cref="RequiredReferences"/>.
    /// </summary>
    private static List<string> RequiredFields(Type model)
    {
        var required = model.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => JsonName(p) is not null && p.PropertyType.IsValueType && Nullable.GetUnderlyingType(p.PropertyType) is null
                && p.PropertyType != typeof(IntOrString) && p.PropertyType != typeof(ResourceQuantity))
            .Select(p => JsonName(p)!)
            .ToHashSet(StringComparer.Ordinal);
        required.UnionWith(RequiredReferences.GetValueOrDefault(model) ?? []);
        return [.. required.Order(StringComparer.Ordinal)];
    }
}
