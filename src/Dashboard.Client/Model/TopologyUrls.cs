namespace Dashboard.Client.Model;

/// <summary>Paths of the topology pages (Triage, Load balancers, Endpoint), built in one place.</summary>
public static class TopologyUrls
{
    public const string Triage = "triage";
    public const string LoadBalancers = "load-balancers";
    public const string EndpointsPrefix = "endpoints";

    /// <summary>The endpoint page of a Service or Ingress: <c>endpoints/service/mlops/retail-forecast-nlb</c>.</summary>
    public static string Endpoint(ObjectRef endpoint) => Endpoint(endpoint.Kind, endpoint.Namespace, endpoint.Name);

    public static string Endpoint(ObjectKind kind, string @namespace, string name) =>
        $"{EndpointsPrefix}/{KindSegment(kind)}/{Uri.EscapeDataString(@namespace)}/{Uri.EscapeDataString(name)}";

    /// <summary>The URL segment of a kind: "service" or "ingress".</summary>
    public static string KindSegment(ObjectKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>Reads the kind segment of an endpoint URL; false for anything but "service" or "ingress".</summary>
    public static bool TryParseKind(string? segment, out ObjectKind kind)
    {
        foreach (var candidate in Enum.GetValues<ObjectKind>())
        {
            if (string.Equals(segment, KindSegment(candidate), StringComparison.OrdinalIgnoreCase))
            {
                kind = candidate;
                return true;
            }
        }
        kind = default;
        return false;
    }

    /// <summary>The list page (with the details open) of a Service or Ingress.</summary>
    public static string ObjectDetail(ObjectRef target) => target.Kind == ObjectKind.Ingress
        ? DashboardUrls.IngressDetail(target.Namespace, target.Name)
        : DashboardUrls.ServiceDetail(target.Namespace, target.Name);
}
