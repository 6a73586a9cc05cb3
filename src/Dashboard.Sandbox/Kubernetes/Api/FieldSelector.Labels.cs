using System.Net;

namespace Dashboard.Sandbox.Kubernetes.Api;

/// <summary>
/// The field labels each kind's registry accepts in a field selector (its <c>GetAttrs</c>/<c>ConvertFieldLabel</c>);
/// another is 400 <c>field label not supported: …</c>, as on a real server. Every kind takes <c>metadata.name</c> and
/// <c>metadata.namespace</c>.
/// </summary>
public sealed partial class FieldSelector
{
    private static readonly Dictionary<ResourceType, string[]> _labels = new()
    {
        [ResourceTypes.Pods] = ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork",
            "status.phase", "status.podIP", "status.podIPs", "status.nominatedNodeName"],
        [ResourceTypes.Events] = ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion",
            "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"],
        [ResourceTypes.Services] = ["spec.clusterIP", "spec.type"],
        [ResourceTypes.Namespaces] = ["status.phase"],
        [ResourceTypes.Nodes] = ["spec.unschedulable"],
        [ResourceTypes.ReplicaSets] = ["status.replicas"],
    };

    /// <summary>Parses and checks that every term names a field label <paramref name="type"/> supports.</summary>
    public static FieldSelector Parse(string? text, ResourceType type)
    {
        var selector = Parse(text);
        var supported = _labels.GetValueOrDefault(type) ?? [];
        foreach (var term in selector._terms)
        {
            if (term.Path is not ("metadata.name" or "metadata.namespace") && !supported.Contains(term.Path))
            {
                throw new StoreException(HttpStatusCode.BadRequest, "BadRequest", $"field label not supported: {term.Path}");
            }
        }
        return selector;
    }
}
