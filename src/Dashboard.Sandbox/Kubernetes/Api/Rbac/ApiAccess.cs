using System.Net;

namespace Dashboard.Sandbox.Kubernetes.Api.Rbac;

/// <summary>
/// Authentication and authorization of every request to the emulated API server. Users are told apart by bearer token
/// (<see cref="SandboxUsers"/>; an unknown token is 401) or, as kubectl sends no token over plain HTTP, by impersonation
/// headers, which the kubeconfig's limited contexts set. A request without credentials is the admin (the
/// dashboard's embedded connection and the tests' clients send none; a real cluster would take it as
/// <c>system:anonymous</c>). Each request's verb, group, resource, subresource, namespace and name are resolved from
/// its method and URL as the API server's request-info resolver does, and RBAC decides (403 with its message).
/// </summary>
internal sealed class ApiAccess(ResourceStore store)
{
    public const string UserItem = "sandbox.user";

    public RbacAuthorizer Authorizer { get; } = new(store);

    /// <summary>Authenticates and authorizes the request; throws 401 or 403. The user is kept for the self reviews.</summary>
    public void Check(HttpContext context)
    {
        var user = Impersonate(context, Authenticate(context));
        context.Items[UserItem] = user;
        var request = Attributes(context.Request);
        if (!Authorizer.Authorize(user, request).Allowed)
        {
            throw RbacAuthorizer.Forbidden(user, request);
        }
    }

    public static UserInfo UserOf(HttpContext context) => context.Items[UserItem] as UserInfo ?? SandboxUsers.Admin;

    private static UserInfo Authenticate(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return SandboxUsers.Admin;
        }
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
        return token is not null && SandboxUsers.ByToken.TryGetValue(token, out var user)
            ? user
            : throw new StoreException(HttpStatusCode.Unauthorized, "Unauthorized", "Unauthorized");
    }

    /// <summary>
    /// <c>Impersonate-User</c>/<c>Impersonate-Group</c> (kubectl <c>--as</c>, or <c>as:</c> in a kubeconfig user, which kubectl
    /// sends over plain HTTP where it sends no token): allowed when the requester may <c>impersonate</c> that user and
    /// those groups; the impersonated user is in <c>system:authenticated</c> besides the groups asked for.
    /// </summary>
    private UserInfo Impersonate(HttpContext context, UserInfo requester)
    {
        var name = context.Request.Headers["Impersonate-User"].ToString();
        var groups = context.Request.Headers["Impersonate-Group"].Where(g => !string.IsNullOrEmpty(g)).Select(g => g!).ToList();
        if (string.IsNullOrEmpty(name))
        {
            return groups.Count == 0 ? requester
                : throw StoreException.BadRequest("requested [Impersonate-Group] without impersonating a user");
        }
        foreach (var (resource, target) in groups.Select(g => ("groups", g)).Prepend(("users", name)))
        {
            var attributes = new RequestAttributes { Verb = "impersonate", Resource = resource, Name = target };
            if (!Authorizer.Authorize(requester, attributes).Allowed)
            {
                throw RbacAuthorizer.Forbidden(requester, attributes);
            }
        }
        if (name != "system:anonymous" && !groups.Contains("system:authenticated"))
        {
            groups.Add("system:authenticated");
        }
        return new UserInfo(name, groups);
    }

    /// <summary>The request's attributes, as <c>RequestInfoFactory</c> resolves them.</summary>
    public static RequestAttributes Attributes(HttpRequest request)
    {
        var segments = (request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToList();
        var method = request.Method.ToUpperInvariant();
        var prefix = segments.Count > 0 && segments[0] == "api" ? 2 : segments.Count > 0 && segments[0] == "apis" ? 3 : -1;
        if (prefix < 0 || segments.Count <= prefix)
        {
            return new RequestAttributes { Verb = method.ToLowerInvariant(), IsResourceRequest = false, Path = request.Path.Value ?? "/" };
        }
        var group = prefix == 3 ? segments[1] : "";
        var rest = segments.Skip(prefix).ToList();
        var watch = rest[0] == "watch" || string.Equals(request.Query["watch"], "true", StringComparison.OrdinalIgnoreCase) || request.Query["watch"] == "1";
        if (rest[0] == "watch")
        {
            rest.RemoveAt(0);
        }
        string? ns = null;
        if (rest.Count >= 3 && rest[0] == "namespaces" && rest[2] is not ("status" or "finalize"))
        {
            ns = rest[1];
            rest.RemoveRange(0, 2);
        }
        else if (rest.Count >= 2 && rest[0] == "namespaces")
        {
            // The Namespace kind itself: its name is also its namespace.
            ns = rest[1];
        }
        var name = rest.Count >= 2 ? rest[1] : null;
        var verb = method switch
        {
            "GET" or "HEAD" => watch ? "watch" : name is null ? "list" : "get",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => name is null ? "deletecollection" : "delete",
            _ => method.ToLowerInvariant(),
        };
        return new RequestAttributes
        {
            Verb = verb,
            Group = group,
            Resource = rest.Count > 0 ? rest[0] : "",
            Subresource = rest.Count >= 3 ? rest[2] : null,
            Namespace = ns,
            Name = name,
            Path = request.Path.Value ?? "/",
        };
    }
}
