using k8s.Models;

namespace Dashboard.Server.Inventory;

/// <summary>Ready / not-ready endpoints of a Service, from its EndpointSlices. Pure.</summary>
public static class EndpointCounts
{
    /// <summary>Label that ties an EndpointSlice to its Service.</summary>
    public const string ServiceNameLabel = "kubernetes.io/service-name";

    /// <summary>
    /// Counts endpoints (not ports). An endpoint whose ready condition is unset counts as ready, as the API defines;
    /// the same address in two slices (address types, or a slice being replaced) counts once, ready if either says so.
    /// </summary>
    public static (int Ready, int NotReady) Count(IEnumerable<V1EndpointSlice> slices)
    {
        var byAddress = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var slice in slices)
        {
            foreach (var endpoint in slice.Endpoints ?? [])
            {
                var ready = endpoint.Conditions?.Ready ?? true;
                var key = endpoint.Addresses?.FirstOrDefault() ?? endpoint.TargetRef?.Uid ?? Guid.NewGuid().ToString();
                byAddress[key] = byAddress.TryGetValue(key, out var seen) ? seen || ready : ready;
            }
        }
        var readyCount = byAddress.Values.Count(r => r);
        return (readyCount, byAddress.Count - readyCount);
    }
}
