using System.Net;
using System.Text.Json.Nodes;

namespace Dashboard.Sandbox.Kubernetes.Api;

/// <summary>
/// The review APIs a client asks about itself, for the kubeconfig's one user, a cluster admin:
/// <c>SelfSubjectReview</c> (<c>kubectl auth whoami</c>), <c>SelfSubjectAccessReview</c> (<c>kubectl auth can-i</c>) and
/// <c>SelfSubjectRulesReview</c> (<c>kubectl auth can-i --list</c>). Like the real registries they are create-only and
/// never stored: the answer is the request with its <c>status</c> filled in, 201 Created.
/// </summary>
internal static class SelfReviews
{
    /// <summary>Who the sandbox's kubeconfig user is: the admin identity of a kubeadm-style cluster.</summary>
    public const string AdminUser = "kubernetes-admin";

    /// <summary>The admin's groups: <c>system:masters</c> is the privileged group every authorizer lets through.</summary>
    public static readonly IReadOnlyList<string> AdminGroups = ["system:masters", "system:authenticated"];

    public static void MapSelfReviews(this IEndpointRouteBuilder app, Func<HttpContext, Func<Task>, Task> guard)
    {
        app.Map("/apis/authentication.k8s.io/v1/selfsubjectreviews", context => guard(context, () => ReviewAsync(context, "authentication.k8s.io/v1", "SelfSubjectReview", WhoAmI)));
        app.Map("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", context => guard(context, () => ReviewAsync(context, "authorization.k8s.io/v1", "SelfSubjectAccessReview", CanI)));
        app.Map("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", context => guard(context, () => ReviewAsync(context, "authorization.k8s.io/v1", "SelfSubjectRulesReview", Rules)));
    }

    private static async Task ReviewAsync(HttpContext context, string apiVersion, string kind, Func<JsonObject, JsonObject> answer)
    {
        if (context.Request.Method != "POST")
        {
            throw ApiStatus.MethodNotAllowed(context.Request.Method);
        }
        ResponseFormat.Negotiate(context.Request);
        var review = RequestBody.ReadObject(await RequestBody.ReadAsync(context.Request, allowYaml: true, context.RequestAborted));
        if (review["kind"]?.ToString() is { Length: > 0 } bodyKind && (bodyKind != kind || review["apiVersion"]?.ToString() != apiVersion))
        {
            throw StoreException.BadRequest($"the kind in the data ({review["apiVersion"]}, Kind={bodyKind}) does not match the expected kind ({apiVersion}, Kind={kind})");
        }
        var spec = review["spec"] as JsonObject ?? [];
        var result = new JsonObject
        {
            ["kind"] = kind,
            ["apiVersion"] = apiVersion,
            ["metadata"] = new JsonObject { ["creationTimestamp"] = null },
        };
        if (kind != "SelfSubjectReview")
        {
            result["spec"] = spec.DeepClone();
        }
        result["status"] = answer(spec);
        await ResponseFormat.WriteAsync(context, HttpStatusCode.Created, result, context.RequestAborted);
    }

    private static JsonObject WhoAmI(JsonObject spec) => new()
    {
        ["userInfo"] = new JsonObject
        {
            ["username"] = AdminUser,
            ["groups"] = new JsonArray([.. AdminGroups.Select(g => (JsonNode?)g)]),
        },
    };

    /// <summary>Exactly one of resourceAttributes and nonResourceAttributes, as the real validation demands; the admin may do anything.</summary>
    private static JsonObject CanI(JsonObject spec)
    {
        var resource = spec["resourceAttributes"] is JsonObject;
        var nonResource = spec["nonResourceAttributes"] is JsonObject;
        if (resource == nonResource)
        {
            throw new StoreException(HttpStatusCode.UnprocessableEntity, "Invalid",
                "SelfSubjectAccessReview.authorization.k8s.io \"\" is invalid: spec.resourceAttributes: Invalid value: \"null\": exactly one of nonResourceAttributes or resourceAttributes must be specified");
        }
        // The privileged-group authorizer allows system:masters before RBAC is asked, so the answer carries no reason.
        return new JsonObject { ["allowed"] = true };
    }

    private static JsonObject Rules(JsonObject spec) => new()
    {
        ["resourceRules"] = new JsonArray(new JsonObject { ["verbs"] = new JsonArray("*"), ["apiGroups"] = new JsonArray("*"), ["resources"] = new JsonArray("*") }),
        ["nonResourceRules"] = new JsonArray(new JsonObject { ["verbs"] = new JsonArray("*"), ["nonResourceURLs"] = new JsonArray("*") }),
        ["incomplete"] = false,
    };
}
