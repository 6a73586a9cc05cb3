using System.Text.Json.Nodes;
using Dashboard.Sandbox.Kubernetes;

namespace Dashboard.Sandbox.Cluster;

/// <summary>
/// Service → EndpointSlices (discovery.k8s.io/v1) and the legacy Endpoints object, kept in step with the
/// pods the Service selects, their readiness and addresses. Services without a selector are left alone, as
/// upstream. Slices or Endpoints someone deletes or edits are put back.
/// </summary>
internal sealed class EndpointSliceController : IClusterController
{
    private readonly ClusterRuntime _runtime;
    private readonly int _seed;
    private readonly IReadOnlyDictionary<string, string> _zoneByNode;
    private readonly LabelIndex _podLabels = new();
    private readonly LabelIndex _serviceSelectors = new();

    public EndpointSliceController(ClusterRuntime runtime, IReadOnlyList<SimulatedNode> nodes, int seed)
    {
        _runtime = runtime;
        _seed = seed;
        _zoneByNode = nodes.ToDictionary(n => n.Name, n => n.Zone, StringComparer.Ordinal);
    }

    private ObjectCache Services => _runtime.Cache(ResourceTypes.Services);

    private ObjectCache Pods => _runtime.Cache(ResourceTypes.Pods);

    private ObjectCache Slices => _runtime.Cache(ResourceTypes.EndpointSlices);

    public void OnChange(ObjectChange change)
    {
        if (change.Type == ResourceTypes.Services)
        {
            _serviceSelectors.Update(change.Old, change.New, EndpointsBuilder.Selector);
            _runtime.Enqueue(this, JsonFields.Key(change.Namespace, change.Name));
        }
        else if (change.Type == ResourceTypes.Pods)
        {
            _podLabels.Update(change.Old, change.New, JsonFields.Labels);
            if (change.Old is not null && change.New is not null && !Relevant(change.Old, change.New))
            {
                return;
            }
            foreach (var service in ServicesSelecting(change.Namespace, change.Old, change.New))
            {
                _runtime.Enqueue(this, JsonFields.Key(change.Namespace, service));
            }
        }
        else if (change.Type == ResourceTypes.EndpointSlices)
        {
            if (JsonFields.Labels(change.Current).GetValueOrDefault(EndpointsBuilder.ServiceNameLabel) is { } service
                && EndpointsBuilder.IsManaged(change.Current))
            {
                _runtime.Enqueue(this, JsonFields.Key(change.Namespace, service));
            }
        }
        else if (change.Type == ResourceTypes.Endpoints)
        {
            _runtime.Enqueue(this, JsonFields.Key(change.Namespace, change.Name));
        }
    }

    /// <summary>Only label, address, readiness, node or port changes of a pod matter to endpoints.</summary>
    private static bool Relevant(JsonObject old, JsonObject current) =>
        !JsonNode.DeepEquals(old["metadata"]?["labels"], current["metadata"]?["labels"])
        || PodStatus.PodIp(old) != PodStatus.PodIp(current)
        || PodStatus.IsReady(old) != PodStatus.IsReady(current)
        || PodStatus.NodeName(old) != PodStatus.NodeName(current)
        || EndpointsBuilder.Serves(old) != EndpointsBuilder.Serves(current)
        || EndpointsBuilder.Terminating(old) != EndpointsBuilder.Terminating(current)
        || !JsonNode.DeepEquals(old["spec"]?["containers"], current["spec"]?["containers"]);

    private IEnumerable<string> ServicesSelecting(string ns, params JsonObject?[] pods)
    {
        var result = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var pod in pods.OfType<JsonObject>())
        {
            var labels = JsonFields.Labels(pod);
            foreach (var name in _serviceSelectors.WithAnyPair(ns, labels))
            {
                if (Services.Get(ns, name) is { } service && EndpointsBuilder.Matches(EndpointsBuilder.Selector(service), labels))
                {
                    result.Add(name);
                }
            }
        }
        return result;
    }

    public void Reconcile(string key)
    {
        var (ns, name) = JsonFields.SplitKey(key);
        var service = Services.Get(ns, name);
        var existing = Slices.InNamespace(ns)
            .Where(s => EndpointsBuilder.IsManaged(s) && JsonFields.Labels(s).GetValueOrDefault(EndpointsBuilder.ServiceNameLabel) == name)
            .OrderBy(s => JsonFields.Name(s), StringComparer.Ordinal)
            .ToList();
        var selector = service is null ? [] : EndpointsBuilder.Selector(service);
        if (service is null || selector.Count == 0)
        {
            foreach (var slice in existing)
            {
                _runtime.Delete(ResourceTypes.EndpointSlices, ns, JsonFields.Name(slice)!);
            }
            if (service is null)
            {
                _runtime.Delete(ResourceTypes.Endpoints, ns, name);
            }
            return;
        }

        var pods = _podLabels.Candidates(ns, selector)
            .Select(p => Pods.Get(ns, p))
            .OfType<JsonObject>()
            .Where(p => EndpointsBuilder.Matches(selector, JsonFields.Labels(p)))
            .ToList();

        var desired = EndpointsBuilder.Slices(service, pods, _zoneByNode);
        for (var i = 0; i < desired.Count; i++)
        {
            if (i < existing.Count)
            {
                var current = existing[i];
                if (!EndpointsBuilder.SameContent(current, desired[i]))
                {
                    var body = desired[i];
                    _runtime.Mutate(ResourceTypes.EndpointSlices, ns, JsonFields.Name(current)!, s =>
                    {
                        var metadata = JsonFields.Child(s, "metadata");
                        metadata["labels"] = body["metadata"]!["labels"]!.DeepClone();
                        metadata["ownerReferences"] = body["metadata"]!["ownerReferences"]!.DeepClone();
                        s["addressType"] = body["addressType"]!.DeepClone();
                        s["endpoints"] = body["endpoints"]?.DeepClone();
                        s["ports"] = body["ports"]?.DeepClone();
                        return s;
                    });
                }
            }
            else
            {
                var body = desired[i];
                var attempt = 0;
                string sliceName;
                do
                {
                    sliceName = EndpointsBuilder.SliceName(_seed, service, attempt++);
                }
                while (Slices.Get(ns, sliceName) is not null);
                body["metadata"]!["name"] = sliceName;
                _runtime.Create(ResourceTypes.EndpointSlices, body);
            }
        }
        foreach (var surplus in existing.Skip(desired.Count))
        {
            _runtime.Delete(ResourceTypes.EndpointSlices, ns, JsonFields.Name(surplus)!);
        }

        var endpoints = EndpointsBuilder.Endpoints(service, pods);
        var stored = _runtime.Cache(ResourceTypes.Endpoints).Get(ns, name);
        if (stored is null)
        {
            _runtime.Create(ResourceTypes.Endpoints, endpoints);
        }
        else if (!JsonNode.DeepEquals(stored["subsets"], endpoints["subsets"])
            || !JsonNode.DeepEquals(stored["metadata"]?["labels"], endpoints["metadata"]?["labels"]))
        {
            _runtime.Mutate(ResourceTypes.Endpoints, ns, name, e =>
            {
                JsonFields.Child(e, "metadata")["labels"] = endpoints["metadata"]!["labels"]!.DeepClone();
                e.Remove("subsets");
                if (endpoints["subsets"] is { } subsets)
                {
                    e["subsets"] = subsets.DeepClone();
                }
                return e;
            });
        }
    }
}
