using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Dashboard.Sandbox.Kubernetes.Api;

/// <summary>
/// DELETE of one object and of a collection, with <c>DeleteOptions</c> (body or query): <c>gracePeriodSeconds</c>,
/// <c>propagationPolicy</c> (or the older <c>orphanDependents</c>), <c>preconditions</c> and <c>dryRun</c>. Deletion is
/// the store's graceful one: an object that is not gone at once (a pod on a node, finalizers, foreground or orphan
/// propagation, a namespace) is answered with its marked state, as the real registry answers.
/// </summary>
internal sealed partial class ResourceHandler
{
    private static readonly HashSet<string> _undeletableNamespaces = new(StringComparer.Ordinal) { "default", "kube-system", "kube-public" };

    private async Task DeleteAsync(HttpContext context, ApiPath path, CancellationToken cancellationToken)
    {
        var options = await ReadDeleteOptionsAsync(context, cancellationToken);
        var request = DeleteRequestFrom(context, options);
        var current = store.Get(path.Type, path.Namespace, path.Name!) ?? throw StoreException.NotFound(path.Type, path.Name!);
        CheckPreconditions(path, options, current);
        if (path.Type == ResourceTypes.Namespaces && _undeletableNamespaces.Contains(path.Name!))
        {
            throw new StoreException(HttpStatusCode.Forbidden, "Forbidden", $"namespaces \"{path.Name}\" is forbidden: this namespace may not be deleted", path.Type, path.Name);
        }
        var outcome = store.DeleteGracefully(path.Type, path.Namespace, path.Name!, request);
        // As the real registries: an object deleted at once is answered with itself by these kinds and with a Status by
        // the others; one that stays (graceful deletion, finalizers) is answered with its marked state.
        JsonNode body = !outcome.Deleted || path.Type == ResourceTypes.Services || path.Type == ResourceTypes.Pods
            || path.Type == ResourceTypes.ServiceAccounts || KindSchema.ModelType(path.Type) is null
            ? outcome.Object
            : ApiStatus.Success(path.Type, path.Name!, outcome.Object["metadata"]?["uid"]?.ToString() ?? "");
        await ResponseFormat.WriteAsync(context, HttpStatusCode.OK, body, cancellationToken);
    }

    private async Task DeleteCollectionAsync(HttpContext context, ApiPath path, CancellationToken cancellationToken)
    {
        var options = await ReadDeleteOptionsAsync(context, cancellationToken);
        var request = DeleteRequestFrom(context, options);
        var labels = LabelSelector.Parse(context.Request.Query["labelSelector"]);
        var fields = FieldSelector.Parse(context.Request.Query["fieldSelector"], path.Type);
        var list = store.List(path.Type, path.Namespace, o => labels.Matches(o) && fields.Matches(o));
        var deleted = new JsonArray();
        foreach (var item in list.Items)
        {
            var name = item["metadata"]!["name"]!.ToString();
            if (path.Type == ResourceTypes.Namespaces && _undeletableNamespaces.Contains(name))
            {
                continue;
            }
            try
            {
                deleted.Add(store.DeleteGracefully(path.Type, path.Namespace ?? item["metadata"]?["namespace"]?.ToString(), name, request).Object);
            }
            catch (StoreException e) when (e.Code == HttpStatusCode.NotFound)
            {
                logger.LogDebug("{Resource} {Name} vanished during deletecollection", path.Type, name);
            }
        }
        var body = new JsonObject
        {
            ["kind"] = path.Type.Kind + "List",
            ["apiVersion"] = path.Type.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = store.CurrentVersion.ToString(CultureInfo.InvariantCulture) },
            ["items"] = deleted,
        };
        await ResponseFormat.WriteAsync(context, HttpStatusCode.OK, body, cancellationToken);
    }

    /// <summary>DeleteOptions from the body, query parameters filling what the body leaves out; invalid values are 422.</summary>
    private static DeleteRequest DeleteRequestFrom(HttpContext context, JsonObject? options)
    {
        var query = context.Request.Query;
        var dryRun = IsDryRun(context) || (options?["dryRun"] as JsonArray)?.Any(v => v?.ToString() == "All") == true;
        var policyText = options?["propagationPolicy"]?.ToString() ?? (query.TryGetValue("propagationPolicy", out var p) ? p.ToString() : null);
        var orphanText = options?["orphanDependents"]?.ToString() ?? (query.TryGetValue("orphanDependents", out var o) ? o.ToString() : null);
        var graceText = options?["gracePeriodSeconds"]?.ToString() ?? (query.TryGetValue("gracePeriodSeconds", out var g) ? g.ToString() : null);
        var errors = new List<string>();
        PropagationPolicy? policy = policyText switch
        {
            null or "" => null,
            "Background" => PropagationPolicy.Background,
            "Foreground" => PropagationPolicy.Foreground,
            "Orphan" => PropagationPolicy.Orphan,
            _ => null,
        };
        if (!string.IsNullOrEmpty(policyText) && policy is null)
        {
            errors.Add($"propagationPolicy: Unsupported value: \"{policyText}\": supported values: \"Foreground\", \"Background\", \"Orphan\"");
        }
        if (!string.IsNullOrEmpty(orphanText) && !string.IsNullOrEmpty(policyText))
        {
            errors.Add("propagationPolicy: Invalid value: \"" + policyText + "\": orphanDependents and deletionPropagation cannot be both set");
        }
        long? grace = null;
        if (!string.IsNullOrEmpty(graceText))
        {
            if (!long.TryParse(graceText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
            {
                throw StoreException.BadRequest($"gracePeriodSeconds: invalid value \"{graceText}\": must be an integer");
            }
            // As the registry: a negative grace period means "now" (kubectl --grace-period=-1 sends none at all).
            grace = Math.Max(0, seconds);
        }
        if (errors.Count > 0)
        {
            throw new StoreException(HttpStatusCode.UnprocessableEntity, "Invalid", "DeleteOptions.meta.k8s.io \"\" is invalid: " + string.Join(", ", errors));
        }
        policy ??= string.Equals(orphanText, "true", StringComparison.OrdinalIgnoreCase) ? PropagationPolicy.Orphan : PropagationPolicy.Background;
        return new DeleteRequest { DryRun = dryRun, Propagation = policy.Value, GracePeriodSeconds = grace };
    }

    private static async Task<JsonObject?> ReadDeleteOptionsAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (context.Request.ContentLength is 0 || (context.Request.ContentLength is null && !context.Request.Headers.TransferEncoding.Any()))
        {
            return null;
        }
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(text) as JsonObject ?? throw StoreException.BadRequest("DeleteOptions must be a JSON object");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw StoreException.BadRequest("DeleteOptions could not be read: " + e.Message);
        }
    }

    private static void CheckPreconditions(ApiPath path, JsonObject? options, JsonObject current)
    {
        if (options?["preconditions"] is not JsonObject preconditions)
        {
            return;
        }
        foreach (var field in new[] { "uid", "resourceVersion" })
        {
            var wanted = preconditions[field]?.ToString();
            var actual = current["metadata"]?[field]?.ToString();
            if (!string.IsNullOrEmpty(wanted) && wanted != actual)
            {
                var label = field == "uid" ? "UID" : "ResourceVersion";
                throw new StoreException(HttpStatusCode.Conflict, "Conflict",
                    $"Operation cannot be fulfilled on {path.Type} \"{path.Name}\": Precondition failed: {label} in precondition: {wanted}, {label} in object meta: {actual}",
                    path.Type, path.Name);
            }
        }
    }
}
