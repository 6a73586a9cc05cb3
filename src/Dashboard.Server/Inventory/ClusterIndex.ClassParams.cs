using Dashboard.Server.Kubernetes;
using k8s.Models;

namespace Dashboard.Server.Inventory;

public sealed partial class ClusterIndex
{
    /// <summary>IngressClassParams by name (cluster-scoped).</summary>
    private readonly Dictionary<string, IngressClassParamsResource> _classParams = new(StringComparer.Ordinal);

    public void ApplyIngressClassParams(IReadOnlyList<ResourceChange<IngressClassParamsResource>> changes)
    {
        lock (Gate)
        {
            foreach (var change in changes)
            {
                var name = change.Object.Metadata?.Name ?? "";
                if (change.Kind == ResourceChangeKind.Upsert)
                {
                    _classParams[name] = change.Object;
                }
                else
                {
                    _classParams.Remove(name);
                }
            }
            Changed?.Invoke(changes);
        }
    }

    /// <summary>
    /// The IngressClassParams an Ingress's IngressClass names in <c>spec.parameters</c> (apiGroup elbv2.k8s.aws, kind
    /// IngressClassParams), or null: the settings the AWS Load Balancer Controller applies over the Ingress's annotations.
    /// </summary>
    public IngressClassParamsResource? ClassParamsOf(V1Ingress ingress)
    {
        var className = ingress.Spec?.IngressClassName;
        var parameters = className is null ? null : _ingressClasses.Values.FirstOrDefault(c => c.Metadata?.Name == className)?.Spec?.Parameters;
        return parameters is { ApiGroup: IngressClassParamsResource.Group, Kind: IngressClassParamsResource.KindName, Name: { } name }
            && _classParams.TryGetValue(name, out var found) ? found : null;
    }
}
