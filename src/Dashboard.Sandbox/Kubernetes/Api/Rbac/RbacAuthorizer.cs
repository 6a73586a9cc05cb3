using System.Text.Json.Nodes;

namespace Dashboard.Sandbox.Kubernetes.Api.Rbac;

/// <summary>Who is asking: a user name and its groups, as the authenticator found them.</summary>
public sealed record UserInfo(string Name, IReadOnlyList<string> Groups);

/// <summary>What is asked, as the API server's request-info resolver describes it.</summary>
public sealed record RequestAttributes
{
    public required string Verb { get; init; }
    public bool IsResourceRequest { get; init; } = true;
    public string Group { get; init; } = "";
    public string Resource { get; init; } = "";
    public string? Subresource { get; init; }
    public string? Namespace { get; init; }
    public string? Name { get; init; }
    /// <summary>The URL path of a non-resource request (<c>/version</c>, <c>/apis</c>…).</summary>
    public string Path { get; init; } = "";
}

/// <summary>
/// The RBAC authorizer over the stored Roles, ClusterRoles and their bindings, preceded by the privileged-group check that
/// lets <c>system:masters</c> do anything: a request is allowed when a rule of a role bound to the user (by name) or one of
/// its groups matches its verb, API group, resource (with <c>/subresource</c>), name and namespace, or its non-resource
/// path (<c>*</c> only as the last character). Aggregated ClusterRoles are not resolved. Hand-written: no served package
/// evaluates RBAC.
/// </summary>
public sealed class RbacAuthorizer(ResourceStore store)
{
    public const string MastersGroup = "system:masters";

    /// <summary>Allowed or not, and the reason RBAC gives for an allow (none for the privileged group or a denial).</summary>
    public (bool Allowed, string Reason) Authorize(UserInfo user, RequestAttributes request)
    {
        if (user.Groups.Contains(MastersGroup))
        {
            return (true, "");
        }
        foreach (var (binding, rules) in RulesFor(user, request.Namespace))
        {
            if (rules.Any(rule => Matches(rule, request)))
            {
                return (true, $"RBAC: allowed by {binding}");
            }
        }
        return (false, "");
    }

    /// <summary>The rules that apply to <paramref name="user"/> in <paramref name="ns"/> (cluster-wide ones always), each with the binding that grants them.</summary>
    public IEnumerable<(string Binding, List<JsonObject> Rules)> RulesFor(UserInfo user, string? ns)
    {
        foreach (var binding in store.List(ResourceTypes.ClusterRoleBindings).Items.Where(b => Binds(b, user)))
        {
            yield return (Describe(binding, "ClusterRoleBinding", user), Rules(binding, null));
        }
        if (string.IsNullOrEmpty(ns))
        {
            yield break;
        }
        foreach (var binding in store.List(ResourceTypes.RoleBindings, ns).Items.Where(b => Binds(b, user)))
        {
            yield return (Describe(binding, "RoleBinding", user), Rules(binding, ns));
        }
    }

    private static string Describe(JsonObject binding, string kind, UserInfo user)
    {
        var ns = binding["metadata"]?["namespace"]?.ToString();
        var subject = (binding["subjects"] as JsonArray ?? []).OfType<JsonObject>().First(s => SubjectMatches(s, user));
        return $"{kind} \"{binding["metadata"]?["name"]}{(ns is null ? "" : "/" + ns)}\" of {binding["roleRef"]?["kind"]} \"{binding["roleRef"]?["name"]}\" to {subject["kind"]} \"{subject["name"]}\"";
    }

    private static bool Binds(JsonObject binding, UserInfo user) =>
        (binding["subjects"] as JsonArray ?? []).OfType<JsonObject>().Any(s => SubjectMatches(s, user));

    private static bool SubjectMatches(JsonObject subject, UserInfo user) => subject["kind"]?.ToString() switch
    {
        "User" => subject["name"]?.ToString() == user.Name,
        "Group" => user.Groups.Contains(subject["name"]?.ToString() ?? ""),
        "ServiceAccount" => user.Name == $"system:serviceaccount:{subject["namespace"]}:{subject["name"]}",
        _ => false,
    };

    private List<JsonObject> Rules(JsonObject binding, string? ns)
    {
        var kind = binding["roleRef"]?["kind"]?.ToString();
        var name = binding["roleRef"]?["name"]?.ToString() ?? "";
        var role = kind == "ClusterRole" ? store.Get(ResourceTypes.ClusterRoles, null, name) : ns is null ? null : store.Get(ResourceTypes.Roles, ns, name);
        return [.. (role?["rules"] as JsonArray ?? []).OfType<JsonObject>()];
    }

    private static bool Matches(JsonObject rule, RequestAttributes request)
    {
        if (!Has(rule, "verbs", request.Verb))
        {
            return false;
        }
        if (!request.IsResourceRequest)
        {
            return Strings(rule, "nonResourceURLs").Any(u => u == "*" || u == request.Path || (u.EndsWith('*') && request.Path.StartsWith(u[..^1], StringComparison.Ordinal)));
        }
        var resource = request.Subresource is null ? request.Resource : $"{request.Resource}/{request.Subresource}";
        var resources = Strings(rule, "resources");
        var names = Strings(rule, "resourceNames");
        return Has(rule, "apiGroups", request.Group)
            && resources.Any(r => r == "*" || r == resource || (request.Subresource is not null && (r == "*/" + request.Subresource || r == request.Resource + "/*")))
            && (names.Count == 0 || (request.Name is not null && names.Contains(request.Name)));
    }

    private static bool Has(JsonObject rule, string field, string value)
    {
        var values = Strings(rule, field);
        return values.Contains("*") || values.Contains(value);
    }

    private static List<string> Strings(JsonObject rule, string field) =>
        [.. (rule[field] as JsonArray ?? []).Select(v => v?.ToString() ?? "")];

    /// <summary>The 403 Forbidden the API server answers, worded as its RBAC denial.</summary>
    public static StoreException Forbidden(UserInfo user, RequestAttributes request)
    {
        if (!request.IsResourceRequest)
        {
            return new StoreException(System.Net.HttpStatusCode.Forbidden, "Forbidden",
                $"forbidden: User \"{user.Name}\" cannot {request.Verb} path \"{request.Path}\"");
        }
        var resource = request.Subresource is null ? request.Resource : $"{request.Resource}/{request.Subresource}";
        // The Status names the group-resource without the subresource; the message names the subresource.
        var qualified = request.Group.Length == 0 ? request.Resource : $"{request.Resource}.{request.Group}";
        var subject = request.Name is null ? qualified : $"{qualified} \"{request.Name}\"";
        var scope = string.IsNullOrEmpty(request.Namespace) ? "at the cluster scope" : $"in the namespace \"{request.Namespace}\"";
        return new StoreException(System.Net.HttpStatusCode.Forbidden, "Forbidden",
            $"{subject} is forbidden: User \"{user.Name}\" cannot {request.Verb} resource \"{resource}\" in API group \"{request.Group}\" {scope}",
            ResourceTypes.All.FirstOrDefault(t => t.Plural == request.Resource && t.Group == request.Group), request.Name);
    }
}
