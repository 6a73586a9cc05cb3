using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Dashboard.Sandbox.Kubernetes.Protobuf;
using Microsoft.AspNetCore.JsonPatch.SystemTextJson;
using Microsoft.AspNetCore.JsonPatch.SystemTextJson.Exceptions;

namespace Dashboard.Sandbox.Kubernetes.Api;

/// <summary>
/// The verbs of the emulated API server on one resource URL: get, list (selectors, paging, Table), watch, create,
/// replace, the four patch types, delete and deletecollection, each with dryRun, and the status and scale subresources.
/// Every write goes through <see cref="Admit"/>: field validation, type check, defaulting, validation.
/// </summary>
internal sealed partial class ResourceHandler(ResourceStore store, WatchStreamer watches, ILogger logger)
{
    private const string JsonPatchType = "application/json-patch+json";
    private const string MergePatchType = "application/merge-patch+json";
    private const string StrategicPatchType = "application/strategic-merge-patch+json";
    private const string ApplyPatchType = "application/apply-patch+yaml";

    private readonly ObjectDefaults _defaults = new(store);
    private readonly ScaleEndpoint _scale = new(store, logger);

    public async Task HandleAsync(HttpContext context, ApiPath path, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var method = request.Method;
        if (method is "POST" or "PUT" && !AcceptsBody(path.Type, request.ContentType))
        {
            throw ApiStatus.UnsupportedMediaType(request.ContentType!, KindSchema.ModelType(path.Type) is null
                ? ["application/json", "application/yaml"]
                : ["application/json", "application/yaml", ProtobufEnvelope.MediaType]);
        }
        var shape = ResponseFormat.Negotiate(request);
        if (path.Subresource == "scale")
        {
            await _scale.HandleAsync(context, path, shape, cancellationToken);
            return;
        }
        var watch = path.LegacyWatch || IsTrue(request.Query["watch"]);
        if (path.Name is null)
        {
            switch (method)
            {
                case "GET" when watch:
                    await watches.StreamAsync(context, path, shape, cancellationToken);
                    return;
                case "GET":
                    await ListAsync(context, path, shape, cancellationToken);
                    return;
                case "POST" when !path.Type.Namespaced || path.Namespace is not null:
                    await CreateAsync(context, path, cancellationToken);
                    return;
                case "DELETE" when !path.Type.Namespaced || path.Namespace is not null:
                    await DeleteCollectionAsync(context, path, cancellationToken);
                    return;
                default:
                    throw ApiStatus.MethodNotAllowed(method);
            }
        }
        if (watch)
        {
            await watches.StreamAsync(context, path, shape, cancellationToken);
            return;
        }
        if (path.Type.Namespaced && path.Namespace is null)
        {
            throw ApiStatus.PathNotFound();
        }
        switch (method)
        {
            case "GET":
                var obj = store.Get(path.Type, path.Namespace, path.Name) ?? throw StoreException.NotFound(path.Type, path.Name);
                await WriteObjectAsync(context, HttpStatusCode.OK, path.Type, obj, shape, cancellationToken);
                return;
            case "PUT":
                await ReplaceAsync(context, path, shape, cancellationToken);
                return;
            case "PATCH":
                await PatchAsync(context, path, shape, cancellationToken);
                return;
            case "DELETE" when path.Subresource is null:
                await DeleteAsync(context, path, cancellationToken);
                return;
            default:
                throw ApiStatus.MethodNotAllowed(method);
        }
    }

    private async Task ListAsync(HttpContext context, ApiPath path, ResponseShape shape, CancellationToken cancellationToken)
    {
        var query = context.Request.Query;
        var labels = LabelSelector.Parse(query["labelSelector"]);
        var fields = FieldSelector.Parse(query["fieldSelector"], path.Type);
        if (shape == ResponseShape.Object && !ResponseFormat.PrefersProtobuf(context.Request))
        {
            // The common case (clients, informers, kubectl -o json): items written straight from the store, not copied.
            var items = new ArrayBufferWriter<byte>(64 * 1024);
            ListPage written;
            using (var writer = ResponseFormat.Writer(items))
            {
                written = ListPage.Write(store, path.Type, path.Namespace, o => labels.Matches(o) && fields.Matches(o), query["limit"], query["continue"], writer,
                    ResponseFormat.Options);
            }
            await ResponseFormat.WriteListAsync(context, path.Type.Kind + "List", path.Type.ApiVersion, ListMetadata(written), items.WrittenMemory, cancellationToken);
            return;
        }
        var page = ListPage.Take(store, path.Type, path.Namespace, o => labels.Matches(o) && fields.Matches(o), query["limit"], query["continue"]);
        var metadata = ListMetadata(page);
        JsonObject body = shape switch
        {
            ResponseShape.Table => ObjectTables.Render(path.Type, page.Items, store.Time.GetUtcNow(), metadata),
            ResponseShape.PartialObjectMetadata => new JsonObject
            {
                ["kind"] = "PartialObjectMetadataList",
                ["apiVersion"] = "meta.k8s.io/v1",
                ["metadata"] = metadata,
                ["items"] = new JsonArray(page.Items.Select(i => (JsonNode)ObjectTables.PartialObjectMetadata(i)).ToArray()),
            },
            _ => new JsonObject
            {
                ["kind"] = path.Type.Kind + "List",
                ["apiVersion"] = path.Type.ApiVersion,
                ["metadata"] = metadata,
                ["items"] = new JsonArray(page.Items.Select(i => i.DeepClone()).ToArray()),
            },
        };
        if (shape == ResponseShape.Table && context.Request.Query["includeObject"] == "Object")
        {
            var rows = (JsonArray)body["rows"]!;
            for (var i = 0; i < rows.Count; i++)
            {
                rows[i]!["object"] = page.Items[i].DeepClone();
            }
        }
        await ResponseFormat.WriteAsync(context, HttpStatusCode.OK, body, cancellationToken);
    }

    private static JsonObject ListMetadata(ListPage page)
    {
        var metadata = new JsonObject { ["resourceVersion"] = page.ResourceVersion.ToString(CultureInfo.InvariantCulture) };
        if (page.Continue is not null)
        {
            metadata["continue"] = page.Continue;
            metadata["remainingItemCount"] = page.Remaining;
        }
        return metadata;
    }

    private async Task CreateAsync(HttpContext context, ApiPath path, CancellationToken cancellationToken)
    {
        if (path.Subresource is not null)
        {
            throw ApiStatus.MethodNotAllowed("POST");
        }
        var obj = RequestBody.ReadObject(await RequestBody.ReadAsync(context.Request, allowYaml: true, cancellationToken));
        CheckKind(path.Type, obj);
        var meta = obj["metadata"] as JsonObject;
        var bodyNamespace = meta?["namespace"]?.ToString();
        if (path.Type.Namespaced && !string.IsNullOrEmpty(bodyNamespace) && bodyNamespace != path.Namespace)
        {
            throw StoreException.BadRequest($"the namespace of the provided object ({bodyNamespace}) does not match the namespace sent on the request ({path.Namespace})");
        }
        Admit(context, path.Type, obj, current: null);
        var created = store.Create(path.Type, path.Namespace, obj, IsDryRun(context));
        await ResponseFormat.WriteAsync(context, HttpStatusCode.Created, created, cancellationToken);
    }

    private async Task ReplaceAsync(HttpContext context, ApiPath path, ResponseShape shape, CancellationToken cancellationToken)
    {
        var obj = RequestBody.ReadObject(await RequestBody.ReadAsync(context.Request, allowYaml: true, cancellationToken));
        CheckKind(path.Type, obj);
        var bodyName = obj["metadata"]?["name"]?.ToString();
        if (bodyName != path.Name)
        {
            throw StoreException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({path.Name})");
        }
        var current = store.Get(path.Type, path.Namespace, path.Name!) ?? throw StoreException.NotFound(path.Type, path.Name!);
        var updated = Write(context, path, obj, current);
        await WriteObjectAsync(context, HttpStatusCode.OK, path.Type, updated, shape, cancellationToken);
    }

    private JsonObject Write(HttpContext context, ApiPath path, JsonObject obj, JsonObject current)
    {
        var statusOnly = path.Subresource == "status";
        Admit(context, path.Type, obj, current, statusOnly);
        return store.Update(path.Type, path.Namespace, path.Name!, obj, IsDryRun(context), statusOnly);
    }

    private async Task PatchAsync(HttpContext context, ApiPath path, ResponseShape shape, CancellationToken cancellationToken)
    {
        var contentType = (context.Request.ContentType ?? "").Split(';')[0].Trim();
        if (contentType is not (JsonPatchType or MergePatchType or StrategicPatchType or ApplyPatchType))
        {
            throw ApiStatus.UnsupportedMediaType(contentType, [JsonPatchType, MergePatchType, StrategicPatchType, ApplyPatchType]);
        }
        if (contentType == StrategicPatchType && KindSchema.ModelType(path.Type) is null)
        {
            throw ApiStatus.UnsupportedMediaType(contentType, [JsonPatchType, MergePatchType, ApplyPatchType]);
        }
        var patch = await RequestBody.ReadAsync(context.Request, allowYaml: contentType == ApplyPatchType, cancellationToken);
        if (contentType == ApplyPatchType && string.IsNullOrEmpty(context.Request.Query["fieldManager"]))
        {
            throw new StoreException(HttpStatusCode.UnprocessableEntity, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch", path.Type, path.Name);
        }
        for (var attempt = 1; ; attempt++)
        {
            var current = store.Get(path.Type, path.Namespace, path.Name!);
            if (current is null)
            {
                if (contentType != ApplyPatchType || path.Subresource is not null)
                {
                    throw StoreException.NotFound(path.Type, path.Name!);
                }
                var applied = RequestBody.ReadObject(patch);
                CheckKind(path.Type, applied);
                var meta = applied["metadata"] as JsonObject ?? [];
                meta["name"] = path.Name;
                applied["metadata"] = meta;
                FieldOwnership.OnCreate(applied, context.Request.Query["fieldManager"].ToString(), path.Type.ApiVersion, store.Time.GetUtcNow());
                Admit(context, path.Type, applied, current: null);
                var created = store.Create(path.Type, path.Namespace, applied, IsDryRun(context));
                await WriteObjectAsync(context, HttpStatusCode.Created, path.Type, created, shape, cancellationToken);
                return;
            }
            var patched = contentType switch
            {
                JsonPatchType => ApplyJsonPatch(current, patch),
                MergePatchType => RequestBody.ReadObject(MergePatch.Apply(current, RequestBody.ReadObject(patch))),
                StrategicPatchType => StrategicMergePatch.Apply(current, RequestBody.ReadObject(patch)),
                _ => ServerSideApply(context, path.Type, current, RequestBody.ReadObject(patch)),
            };
            var pinsVersion = patched["metadata"]?["resourceVersion"]?.ToString() != current["metadata"]?["resourceVersion"]?.ToString();
            try
            {
                var updated = Write(context, path, patched, current);
                await WriteObjectAsync(context, HttpStatusCode.OK, path.Type, updated, shape, cancellationToken);
                return;
            }
            catch (StoreException e) when (e.Reason == "Conflict" && !pinsVersion && attempt < 5)
            {
                logger.LogDebug("Patch of {Resource} {Name} raced another write; retrying (attempt {Attempt})", path.Type, path.Name, attempt);
            }
        }
    }

    public static JsonObject ApplyJsonPatch(JsonObject current, JsonNode? patch)
    {
        if (patch is not JsonArray)
        {
            throw StoreException.BadRequest("a JSON patch (application/json-patch+json) must be an array of operations such as [{\"op\":\"replace\",\"path\":\"/spec/type\",\"value\":\"NodePort\"}]");
        }
        try
        {
            var document = System.Text.Json.JsonSerializer.Deserialize<JsonPatchDocument>(patch) ?? throw StoreException.BadRequest("the JSON patch is empty");
            var target = (JsonObject)current.DeepClone();
            document.ApplyTo(target);
            return target;
        }
        catch (JsonPatchException e)
        {
            throw new StoreException(HttpStatusCode.UnprocessableEntity, "Invalid", "the server rejected our request due to an error in our request: " + e.Message);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw StoreException.BadRequest("the JSON patch could not be read: " + e.Message);
        }
    }

    /// <summary>
    /// Server-side apply: the applied configuration is merged into the live object with strategic-merge semantics (merge
    /// keys honoured), with field ownership and conflicts between appliers (<see cref="FieldOwnership"/>).
    /// </summary>
    private JsonObject ServerSideApply(HttpContext context, ResourceType type, JsonObject current, JsonObject applied)
    {
        CheckKind(type, applied);
        return FieldOwnership.Merge(type, current, applied, context.Request.Query["fieldManager"].ToString(), IsTrue(context.Request.Query["force"]),
            store.Time.GetUtcNow(), (live, config) => KindSchema.ModelType(type) is null
                ? RequestBody.ReadObject(MergePatch.Apply(live, config))
                : StrategicMergePatch.Apply(live, config));
    }

    /// <summary>
    /// Admission for every write: unknown fields (rejected with fieldValidation=Strict, else dropped with a warning),
    /// type errors (400), server defaults, then validation (422 with field causes).
    /// </summary>
    private void Admit(HttpContext context, ResourceType type, JsonObject obj, JsonObject? current, bool statusOnly = false)
    {
        var validation = context.Request.Query["fieldValidation"].ToString();
        if (validation is not ("" or "Strict" or "Warn" or "Ignore"))
        {
            throw StoreException.BadRequest($"fieldValidation: Unsupported value: \"{validation}\": supported values: \"Ignore\", \"Strict\", \"Warn\"");
        }
        var schema = KindSchema.For(type);
        var unknown = schema.PruneUnknownFields(obj);
        if (unknown.Count > 0)
        {
            if (validation == "Strict")
            {
                throw StoreException.BadRequest($"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: strict decoding error: "
                    + string.Join(", ", unknown.Select(f => $"unknown field \"{f}\"")));
            }
            if (validation != "Ignore")
            {
                foreach (var field in unknown)
                {
                    context.Response.Headers.Append("Warning", $"299 - \"unknown field \\\"{field}\\\"\"");
                }
            }
        }
        if (schema.TypeError(obj) is { } typeError)
        {
            throw StoreException.BadRequest($"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: {typeError}");
        }
        if (statusOnly)
        {
            return;
        }
        _defaults.Apply(type, obj, current);
        ObjectValidation.Validate(type, obj, current);
    }

    private static void CheckKind(ResourceType type, JsonObject obj)
    {
        var kind = obj["kind"]?.ToString();
        var apiVersion = obj["apiVersion"]?.ToString();
        if (!string.IsNullOrEmpty(apiVersion) && apiVersion != type.ApiVersion)
        {
            throw StoreException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({type.ApiVersion})");
        }
        if (!string.IsNullOrEmpty(kind) && kind != type.Kind)
        {
            throw StoreException.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({type.Kind}) of {type}");
        }
    }

    private async Task WriteObjectAsync(HttpContext context, HttpStatusCode code, ResourceType type, JsonObject obj, ResponseShape shape, CancellationToken cancellationToken)
    {
        JsonObject body = shape switch
        {
            ResponseShape.Table => ObjectTables.Render(type, [obj], store.Time.GetUtcNow(), new JsonObject { ["resourceVersion"] = obj["metadata"]?["resourceVersion"]?.DeepClone() }),
            ResponseShape.PartialObjectMetadata => ObjectTables.PartialObjectMetadata(obj),
            _ => obj,
        };
        await ResponseFormat.WriteAsync(context, code, body, cancellationToken);
    }

    public static bool IsDryRun(HttpContext context)
    {
        var values = context.Request.Query["dryRun"];
        foreach (var value in values)
        {
            if (value != "All")
            {
                throw StoreException.BadRequest($"dryRun: Unsupported value: \"{value}\": supported values: \"All\"");
            }
        }
        return values.Count > 0;
    }

    private static bool IsTrue(string? value) => value is "true" or "1" or "True";

    /// <summary>
    /// Whether a create or replace body can be read: JSON and YAML always; the Kubernetes protobuf serialization for
    /// built-in kinds (as the real server: custom resources have no protobuf schema); never CBOR, which is not served.
    /// </summary>
    private static bool AcceptsBody(ResourceType type, string? contentType) =>
        ProtobufEnvelope.IsProtobuf(contentType)
            ? KindSchema.ModelType(type) is not null
            : contentType?.Contains("protobuf", StringComparison.OrdinalIgnoreCase) != true && contentType?.Contains("cbor", StringComparison.OrdinalIgnoreCase) != true;
}
