using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dashboard.Sandbox.Kubernetes.Api;

/// <summary>
/// The <c>autoscaling/v1 Scale</c> view of a scalable kind, as the API server's ScaleREST builds it: the owner's name,
/// namespace, uid, resourceVersion and creationTimestamp; <c>spec.replicas</c>; <c>status.replicas</c> and the selector
/// as a label-selector string. A written Scale changes only the owner's <c>spec.replicas</c>; its resourceVersion (when
/// set) is the owner's update precondition and its uid (when set) must be the owner's.
/// </summary>
internal static class Scale
{
    public const string Group = "autoscaling";
    public const string Version = "v1";
    public const string Kind = "Scale";
    public const string ApiVersion = Group + "/" + Version;

    private static readonly HashSet<string> KnownMetadata = new(StringComparer.Ordinal)
    {
        "name", "generateName", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp",
        "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers", "managedFields", "selfLink",
    };

    /// <summary>The Scale of <paramref name="owner"/> (a Deployment).</summary>
    public static JsonObject From(JsonObject owner)
    {
        var meta = owner["metadata"] as JsonObject ?? [];
        var scaleMeta = new JsonObject();
        foreach (var field in new[] { "name", "namespace", "uid", "resourceVersion", "creationTimestamp" })
        {
            if (meta[field] is { } value)
            {
                scaleMeta[field] = value.DeepClone();
            }
        }
        var spec = new JsonObject();
        var replicas = Replicas(owner["spec"]?["replicas"]);
        if (replicas != 0)
        {
            // autoscaling/v1 ScaleSpec.replicas is omitempty; ScaleStatus.replicas is not.
            spec["replicas"] = replicas;
        }
        var status = new JsonObject { ["replicas"] = Replicas(owner["status"]?["replicas"]) };
        var selector = LabelSelector.Format(owner["spec"]?["selector"] as JsonObject);
        if (selector.Length > 0)
        {
            status["selector"] = selector;
        }
        return new JsonObject
        {
            ["kind"] = Kind,
            ["apiVersion"] = ApiVersion,
            ["metadata"] = scaleMeta,
            ["spec"] = spec,
            ["status"] = status,
        };
    }

    /// <summary>
    /// Checks a Scale sent by a client (kind, name, field types, <c>spec.replicas</c> ≥ 0, uid precondition) and returns
    /// the owner with the Scale's replicas and resourceVersion, ready for <see cref="ResourceStore.Update"/>.
    /// </summary>
    public static JsonObject ApplyTo(ResourceType type, JsonObject owner, JsonObject scale, string name)
    {
        CheckKind(scale);
        var meta = scale["metadata"] as JsonObject;
        var bodyName = meta?["name"]?.ToString();
        if (bodyName != name)
        {
            throw StoreException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }
        var replicasNode = scale["spec"]?["replicas"];
        long replicas;
        if (replicasNode is null)
        {
            replicas = 0;
        }
        else if (!JsonScalar.TryGetInt64(replicasNode, out replicas) || replicasNode.GetValueKind() != JsonValueKind.Number
            || replicas is > int.MaxValue or < int.MinValue)
        {
            throw StoreException.BadRequest(
                $"Scale in version \"v1\" cannot be handled as a Scale: json: cannot unmarshal {replicasNode.GetValueKind().ToString().ToLowerInvariant()} into Go struct field ScaleSpec.spec.replicas of type int32");
        }
        if (replicas < 0)
        {
            var cause = new StatusCause("FieldValueInvalid", $"Invalid value: {replicas}: must be greater than or equal to 0", "spec.replicas");
            throw new StoreException(HttpStatusCode.UnprocessableEntity, "Invalid",
                $"Scale.autoscaling \"{name}\" is invalid: spec.replicas: {cause.Message}", ScaleKind, name, [cause]);
        }
        var uid = meta?["uid"]?.ToString();
        var ownerUid = owner["metadata"]?["uid"]?.ToString();
        if (!string.IsNullOrEmpty(uid) && uid != ownerUid)
        {
            throw new StoreException(HttpStatusCode.Conflict, "Conflict",
                $"Operation cannot be fulfilled on {Resource(type)} \"{name}\": Precondition failed: UID in precondition: {uid}, UID in object meta: {ownerUid}",
                Resource(type), name);
        }
        var updated = (JsonObject)owner.DeepClone();
        var spec = updated["spec"] as JsonObject ?? [];
        spec["replicas"] = replicas;
        updated["spec"] = spec;
        var updatedMeta = (JsonObject)updated["metadata"]!;
        var resourceVersion = meta?["resourceVersion"]?.ToString();
        if (string.IsNullOrEmpty(resourceVersion))
        {
            // An unconditional update, as the Deployment strategy allows.
            updatedMeta.Remove("resourceVersion");
        }
        else
        {
            updatedMeta["resourceVersion"] = resourceVersion;
        }
        return updated;
    }

    /// <summary>The 404 of the subresource when its owner does not exist (<c>deployments/scale.apps "x" not found</c>).</summary>
    public static StoreException NotFound(ResourceType type, string name) =>
        new(HttpStatusCode.NotFound, "NotFound", $"{Resource(type)} \"{name}\" not found", Resource(type), name);

    public static void CheckKind(JsonObject scale)
    {
        var kind = scale["kind"]?.ToString();
        var apiVersion = scale["apiVersion"]?.ToString();
        if (!string.IsNullOrEmpty(apiVersion) && apiVersion != ApiVersion)
        {
            throw StoreException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({ApiVersion})");
        }
        if (!string.IsNullOrEmpty(kind) && kind != Kind)
        {
            throw StoreException.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({Kind})");
        }
    }

    /// <summary>Fields a Scale does not have, as dotted paths (for fieldValidation).</summary>
    public static List<string> UnknownFields(JsonObject scale)
    {
        var unknown = new List<string>();
        foreach (var (field, value) in scale)
        {
            switch (field)
            {
                case "kind" or "apiVersion":
                    break;
                case "metadata":
                    unknown.AddRange((value as JsonObject ?? []).Select(p => p.Key).Where(k => !KnownMetadata.Contains(k)).Select(k => "metadata." + k));
                    break;
                case "spec":
                    unknown.AddRange((value as JsonObject ?? []).Select(p => p.Key).Where(k => k != "replicas").Select(k => "spec." + k));
                    break;
                case "status":
                    unknown.AddRange((value as JsonObject ?? []).Select(p => p.Key).Where(k => k is not ("replicas" or "selector")).Select(k => "status." + k));
                    break;
                default:
                    unknown.Add(field);
                    break;
            }
        }
        return unknown;
    }

    private static long Replicas(JsonNode? node) => JsonScalar.TryGetInt64(node, out var n) ? n : 0;

    /// <summary>The subresource as errors name it: <c>deployments/scale.apps</c>.</summary>
    private static ResourceType Resource(ResourceType type) => type with { Plural = type.Plural + "/scale", HasScale = false };

    private static readonly ResourceType ScaleKind = new()
    {
        Group = Group, Version = Version, Plural = "scales", Singular = "scale", Kind = Kind, Namespaced = true,
    };
}
