using System.Collections.Immutable;
using Dashboard.Client.Model;
using Dashboard.Server.Kubernetes;

namespace Dashboard.Server.Inventory;

/// <summary>The projection's reads of the index for the detail panel and the controller check.</summary>
public sealed partial class KubernetesInventory
{
    private void RefreshControllerInstalled()
    {
        var installed = _index.ControllerInstalled;
        if (installed == _controllerInstalled)
        {
            return;
        }
        _controllerInstalled = installed;
        var inTreeNlbs = _index.Services.Where(s =>
            string.Equals(AnnotationValues.Get(s.Value.Metadata?.Annotations, ServiceDecoder.TypeAnnotation), "nlb", StringComparison.OrdinalIgnoreCase));
        Recompute([.. inTreeNlbs.Select(s => s.Key)], []);
    }

    private ImmutableArray<EndpointView> Endpoints(string serviceKey)
    {
        var views = new List<EndpointView>();
        foreach (var slice in _index.SlicesOf(serviceKey))
        {
            foreach (var endpoint in slice.Endpoints ?? [])
            {
                var zone = endpoint.Zone ?? (endpoint.NodeName is { } node ? _index.ZoneOf(node) : null);
                var pod = endpoint.TargetRef?.Kind == "Pod" ? endpoint.TargetRef.Name : null;
                var ready = endpoint.Conditions?.Ready ?? true;
                foreach (var address in endpoint.Addresses ?? [])
                {
                    views.Add(new EndpointView(address, pod, endpoint.NodeName, zone, ready,
                        endpoint.Conditions?.Serving ?? ready, endpoint.Conditions?.Terminating ?? false));
                }
            }
        }
        return [.. views.DistinctBy(v => v.Address).OrderBy(v => v.PodName ?? v.Address, StringComparer.Ordinal)];
    }

    private ImmutableArray<EventView> Events(string kind, string @namespace, string name) =>
        [.. _index.EventsOf(KubernetesEvents.InvolvedKey(kind, @namespace, name)).Select(KubernetesEvents.ToView)
            .OrderByDescending(e => e.LastSeen ?? DateTimeOffset.MinValue)];
}
