using System.Net;
using System.Text.Json.Nodes;

namespace Dashboard.Sandbox.Kubernetes.Api;

/// <summary>
/// GET, PUT and PATCH (JSON, merge, strategic merge, apply) of <c>…/deployments/{name}/scale</c>, each with dryRun.
/// <c>kubectl scale</c> sends a merge patch <c>{"spec":{"replicas":N}}</c>; with <c>--current-replicas</c> or
/// <c>--resource-version</c> it GETs the Scale, checks the precondition itself and PUTs the Scale back with the
/// resourceVersion it read, so a Deployment changed in between answers 409 Conflict.
/// </summary>
internal sealed class ScaleEndpoint(ResourceStore store, ILogger logger)
{
    private const string JsonPatchType = "application/json-patch+json";
    private const string MergePatchType = "application/merge-patch+json";
    private const string StrategicPatchType = "application/strategic-merge-patch+json";
    private const string ApplyPatchType = "application/apply-patch+yaml";

    public async Task HandleAsync(HttpContext context, ApiPath path, ResponseShape shape, CancellationToken cancellationToken)
    {
        if (path.Type.Namespaced && path.Namespace is null)
        {
            throw ApiStatus.PathNotFound();
        }
        var name = path.Name!;
        switch (context.Request.Method)
        {
            case "GET":
                var owner = store.Get(path.Type, path.Namespace, name) ?? throw Scale.NotFound(path.Type, name);
                await WriteAsync(context, Scale.From(owner), shape, cancellationToken);
                return;
            case "PUT":
                var scale = RequestBody.ReadObject(await RequestBody.ReadAsync(context.Request, allowYaml: true, cancellationToken));
                Scale.CheckKind(scale);
                var current = store.Get(path.Type, path.Namespace, name) ?? throw Scale.NotFound(path.Type, name);
                await WriteAsync(context, Write(context, path, current, scale), shape, cancellationToken);
                return;
            case "PATCH":
                await PatchAsync(context, path, shape, cancellationToken);
                return;
            default:
                throw ApiStatus.MethodNotAllowed(context.Request.Method);
        }
    }

    private async Task PatchAsync(HttpContext context, ApiPath path, ResponseShape shape, CancellationToken cancellationToken)
    {
        var name = path.Name!;
        var contentType = (context.Request.ContentType ?? "").Split(';')[0].Trim();
        if (contentType is not (JsonPatchType or MergePatchType or StrategicPatchType or ApplyPatchType))
        {
            throw ApiStatus.UnsupportedMediaType(contentType, [JsonPatchType, MergePatchType, StrategicPatchType, ApplyPatchType]);
        }
        if (contentType == ApplyPatchType && string.IsNullOrEmpty(context.Request.Query["fieldManager"]))
        {
            throw new StoreException(HttpStatusCode.UnprocessableEntity, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
        }
        var patch = await RequestBody.ReadAsync(context.Request, allowYaml: contentType == ApplyPatchType, cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            var owner = store.Get(path.Type, path.Namespace, name) ?? throw Scale.NotFound(path.Type, name);
            var current = Scale.From(owner);
            var patched = contentType switch
            {
                JsonPatchType => ResourceHandler.ApplyJsonPatch(current, patch),
                MergePatchType => RequestBody.ReadObject(MergePatch.Apply(current, RequestBody.ReadObject(patch))),
                // A Scale has no lists, so a strategic merge is a merge that also honours $patch directives.
                StrategicPatchType => StrategicMergePatch.Apply(current, RequestBody.ReadObject(patch)),
                _ => Apply(current, RequestBody.ReadObject(patch)),
            };
            var pinsVersion = patched["metadata"]?["resourceVersion"]?.ToString() != current["metadata"]?["resourceVersion"]?.ToString();
            try
            {
                await WriteAsync(context, Write(context, path, owner, patched), shape, cancellationToken);
                return;
            }
            catch (StoreException e) when (e.Reason == "Conflict" && !pinsVersion && attempt < 5)
            {
                logger.LogDebug("Scale patch of {Resource} {Name} raced another write; retrying (attempt {Attempt})", path.Type, name, attempt);
            }
        }
    }

    /// <summary>Server-side apply of a Scale, simplified as for the other kinds: the applied fields merged in, no field ownership.</summary>
    private static JsonObject Apply(JsonObject current, JsonObject applied)
    {
        Scale.CheckKind(applied);
        var config = (JsonObject)applied.DeepClone();
        (config["metadata"] as JsonObject)?.Remove("resourceVersion");
        return RequestBody.ReadObject(MergePatch.Apply(current, config));
    }

    private JsonObject Write(HttpContext context, ApiPath path, JsonObject owner, JsonObject scale)
    {
        CheckFieldValidation(context, scale);
        var updated = Scale.ApplyTo(path.Type, owner, scale, path.Name!);
        var stored = store.Update(path.Type, path.Namespace, path.Name!, updated, ResourceHandler.IsDryRun(context));
        return Scale.From(stored);
    }

    private static void CheckFieldValidation(HttpContext context, JsonObject scale)
    {
        var validation = context.Request.Query["fieldValidation"].ToString();
        if (validation is not ("" or "Strict" or "Warn" or "Ignore"))
        {
            throw StoreException.BadRequest($"fieldValidation: Unsupported value: \"{validation}\": supported values: \"Ignore\", \"Strict\", \"Warn\"");
        }
        var unknown = Scale.UnknownFields(scale);
        if (unknown.Count == 0 || validation == "Ignore")
        {
            return;
        }
        if (validation == "Strict")
        {
            throw StoreException.BadRequest("Scale in version \"v1\" cannot be handled as a Scale: strict decoding error: "
                + string.Join(", ", unknown.Select(f => $"unknown field \"{f}\"")));
        }
        foreach (var field in unknown)
        {
            context.Response.Headers.Append("Warning", $"299 - \"unknown field \\\"{field}\\\"\"");
        }
    }

    private async Task WriteAsync(HttpContext context, JsonObject scale, ResponseShape shape, CancellationToken cancellationToken)
    {
        JsonObject body = shape switch
        {
            ResponseShape.Table => ObjectTables.RenderScale(scale, store.Time.GetUtcNow()),
            ResponseShape.PartialObjectMetadata => ObjectTables.PartialObjectMetadata(scale),
            _ => scale,
        };
        await ResponseFormat.WriteAsync(context, HttpStatusCode.OK, body, cancellationToken);
    }
}
