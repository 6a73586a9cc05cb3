using System.Net;
using System.Text.Json.Nodes;
using Dashboard.Sandbox.Kubernetes.Api.Rbac;

namespace Dashboard.Sandbox.Kubernetes.Api;

/// <summary>
/// The review APIs a client asks about itself, answered for the request's user (<see cref="SandboxUsers"/>) by RBAC:
/// <c>SelfSubjectReview</c> (<c>kubectl auth whoami</c>), <c>SelfSubjectAccessReview</c> (<c>kubectl auth can-i</c>) and
/// <c>SelfSubjectRulesReview</c> (<c>kubectl auth can-i --list</c>). Like the real registries they are create-only and
/// never stored: the answer is the request with its <c>status</c> filled in, 201 Created.
/// </summary>
internal static class SelfReviews
{
    public static void MapSelfReviews(this IEndpointRouteBuilder app, RbacAuthorizer authorizer, Func<HttpContext, Func<Task>, Task> guard)
    {
        app.Map("/apis/authentication.k8s.io/v1/selfsubjectreviews", context => guard(context, () =>
            ReviewAsync(context, "authentication.k8s.io/v1", "SelfSubjectReview", _ => WhoAmI(ApiAccess.UserOf(context)))));
        app.Map("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", context => guard(context, () =>
            ReviewAsync(context, "authorization.k8s.io/v1", "SelfSubjectAccessReview", spec => CanI(authorizer, ApiAccess.UserOf(context), spec))));
        app.Map("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", context => guard(context, () =>
            ReviewAsync(context, "authorization.k8s.io/v1", "SelfSubjectRulesReview", spec => Rules(authorizer, ApiAccess.UserOf(context), spec))));
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

    private static JsonObject WhoAmI(UserInfo user) => new()
    {
        ["userInfo"] = new JsonObject
        {
            ["username"] = user.Name,
            ["groups"] = new JsonArray([.. user.Groups.Select(g => (JsonNode?)g)]),
        },
    };

    /// <summary>Exactly one of resourceAttributes and nonResourceAttributes, as the real validation demands; RBAC answers.</summary>
    private static JsonObject CanI(RbacAuthorizer authorizer, UserInfo user, JsonObject spec)
    {
        var resource = spec["resourceAttributes"] as JsonObject;
        var nonResource = spec["nonResourceAttributes"] as JsonObject;
        if ((resource is null) == (nonResource is null))
        {
            throw new StoreException(HttpStatusCode.UnprocessableEntity, "Invalid",
                "SelfSubjectAccessReview.authorization.k8s.io \"\" is invalid: spec.resourceAttributes: Invalid value: \"null\": exactly one of nonResourceAttributes or resourceAttributes must be specified");
        }
        string? Text(JsonObject o, string field) => o[field]?.ToString() is { Length: > 0 } v ? v : null;
        var attributes = resource is not null
            ? new RequestAttributes
            {
                Verb = Text(resource, "verb") ?? "",
                Group = Text(resource, "group") ?? "",
                Resource = Text(resource, "resource") ?? "",
                Subresource = Text(resource, "subresource"),
                Namespace = Text(resource, "namespace"),
                Name = Text(resource, "name"),
            }
            : new RequestAttributes { Verb = Text(nonResource!, "verb") ?? "", IsResourceRequest = false, Path = Text(nonResource!, "path") ?? "" };
        var (allowed, reason) = authorizer.Authorize(user, attributes);
        // The privileged-group authorizer allows system:masters before RBAC is asked, so that answer carries no reason.
        var status = new JsonObject { ["allowed"] = allowed };
        if (reason.Length > 0)
        {
            status["reason"] = reason;
        }
        return status;
    }

    private static JsonObject Rules(RbacAuthorizer authorizer, UserInfo user, JsonObject spec)
    {
        if (user.Groups.Contains(RbacAuthorizer.MastersGroup))
        {
            return new JsonObject
            {
                ["resourceRules"] = new JsonArray(new JsonObject { ["verbs"] = new JsonArray("*"), ["apiGroups"] = new JsonArray("*"), ["resources"] = new JsonArray("*") }),
                ["nonResourceRules"] = new JsonArray(new JsonObject { ["verbs"] = new JsonArray("*"), ["nonResourceURLs"] = new JsonArray("*") }),
                ["incomplete"] = false,
            };
        }
        var resourceRules = new JsonArray();
        var nonResourceRules = new JsonArray();
        foreach (var (_, rules) in authorizer.RulesFor(user, spec["namespace"]?.ToString()))
        {
            foreach (var rule in rules)
            {
                var copy = (JsonObject)rule.DeepClone();
                (copy["nonResourceURLs"] is JsonArray ? nonResourceRules : resourceRules).Add(copy);
            }
        }
        return new JsonObject { ["resourceRules"] = resourceRules, ["nonResourceRules"] = nonResourceRules, ["incomplete"] = false };
    }
}
