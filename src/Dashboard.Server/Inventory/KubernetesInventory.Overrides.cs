using System.Collections.Immutable;
using Dashboard.Client.Model;
using k8s.Models;

namespace Dashboard.Server.Inventory;

public sealed partial class KubernetesInventory
{
    /// <summary>
    /// The <c>alb.ingress.kubernetes.io/*</c> keys the AWS Load Balancer Controller reads on a backend Service before the
    /// Ingress, for that Service's target group (its per-Service target-group settings).
    /// </summary>
    internal static readonly ImmutableHashSet<string> ServiceOverridable = ImmutableHashSet.Create(StringComparer.Ordinal,
        "target-type", "backend-protocol", "backend-protocol-version", "target-group-attributes", "healthcheck-protocol", "healthcheck-port",
        "healthcheck-path", "healthcheck-interval-seconds", "healthcheck-timeout-seconds", "healthy-threshold-count",
        "unhealthy-threshold-count", "success-codes", "target-node-labels");

    private ImmutableArray<BackendOverride> BackendOverrides(IngressViewModel model, V1Ingress ingress)
    {
        var own = ingress.Metadata?.Annotations;
        var overrides = new List<BackendOverride>();
        foreach (var name in IngressDecoder.BackendServiceNames(ingress).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if (!_index.Services.TryGetValue($"{model.Namespace}/{name}", out var service))
            {
                continue;
            }
            foreach (var (key, value) in AlbSettings(service).OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                overrides.Add(new BackendOverride(name, key, value, own is not null && own.TryGetValue(key, out var ingressValue) ? ingressValue : null));
            }
        }
        return [.. overrides];
    }

    private static IEnumerable<KeyValuePair<string, string>> AlbSettings(V1Service? service) =>
        (service?.Metadata?.Annotations ?? new Dictionary<string, string>())
            .Where(p => p.Key.StartsWith(IngressDecoder.Prefix, StringComparison.Ordinal) && ServiceOverridable.Contains(p.Key[IngressDecoder.Prefix.Length..]));

    private static bool SameAlbAnnotations(V1Service? before, V1Service after) =>
        AlbSettings(before).OrderBy(p => p.Key, StringComparer.Ordinal).SequenceEqual(AlbSettings(after).OrderBy(p => p.Key, StringComparer.Ordinal));
}
