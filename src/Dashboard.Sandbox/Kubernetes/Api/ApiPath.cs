namespace Dashboard.Sandbox.Kubernetes.Api;

/// <summary>
/// A resource URL taken apart: <c>/api/v1[/watch][/namespaces/{ns}]/{plural}[/{name}[/{subresource}]]</c> and the
/// same under <c>/apis/{group}/{version}</c>; the subresources are <c>status</c> and (Deployments) <c>scale</c>. Secrets are deliberately absent from the served kinds.
/// </summary>
internal sealed record ApiPath(ResourceType Type, string? Namespace, string? Name, string? Subresource, bool LegacyWatch)
{
    /// <summary>Parses the segments after the group-version (e.g. <c>namespaces/mlops/services/web</c>); null when no kind matches.</summary>
    public static ApiPath? Parse(string group, string version, IReadOnlyList<string> segments)
    {
        var rest = segments.ToList();
        var watch = rest.Count > 0 && rest[0] == "watch";
        if (watch)
        {
            rest.RemoveAt(0);
        }
        string? ns = null;
        // namespaces/{ns}/{plural}/... is a namespaced resource; namespaces[/{name}[/status]] is the Namespace kind itself.
        if (rest.Count >= 3 && rest[0] == "namespaces" && rest[2] is not ("status" or "finalize"))
        {
            ns = rest[1];
            rest.RemoveRange(0, 2);
        }
        if (rest.Count is 0 or > 3)
        {
            return null;
        }
        var type = ResourceTypes.Find(group, version, rest[0]);
        if (type is null || (ns is not null && !type.Namespaced))
        {
            return null;
        }
        var name = rest.Count >= 2 ? rest[1] : null;
        var sub = rest.Count == 3 ? rest[2] : null;
        if (sub is not null && !(sub == "status" && type.HasStatus) && !(sub == "scale" && type.HasScale))
        {
            return null;
        }
        return new ApiPath(type, ns, name, sub, watch);
    }
}
