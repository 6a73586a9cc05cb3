using System.Collections.Immutable;
using Dashboard.Client.Feed;
using Dashboard.Client.Model;
using Dashboard.Server.Feed;
using Dashboard.Server.Kubernetes;
using k8s.Models;

namespace Dashboard.Server.Inventory;

/// <summary>
/// Joins the watch caches into Service and Ingress view models and publishes them. Keeps its own indexes so that an event
/// recomputes only the view models it affects: a pod event recomputes the Services whose selector matches the pod (old or
/// new labels), an EndpointSlice event its one Service, a Service created or deleted the Ingresses that route to it, and a
/// change of "is the AWS Load Balancer Controller installed" the in-tree NLB Services. Driven by the caches' change
/// callbacks (or directly by tests); thread-safe.
/// </summary>
public sealed partial class KubernetesInventory : IInventoryFeeds, IKubernetesCacheSubscriber
{
    private readonly object _gate = new();
    private readonly Dictionary<string, V1Service> _services = new(StringComparer.Ordinal);
    private readonly Dictionary<string, V1Ingress> _ingresses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, V1EndpointSlice>> _slicesByService = new(StringComparer.Ordinal);
    private readonly Dictionary<string, V1Pod> _pods = new(StringComparer.Ordinal);
    private readonly Dictionary<LabelKey, HashSet<string>> _podsByLabel = [];
    private readonly Dictionary<LabelKey, HashSet<string>> _servicesBySelector = [];
    /// <summary>Ingress keys by the "namespace/service" of each backend they route to.</summary>
    private readonly Dictionary<string, HashSet<string>> _ingressesByBackend = new(StringComparer.Ordinal);
    /// <summary>Ingress keys by each host their rules route (lower case), for "the same host on two ALBs".</summary>
    private readonly Dictionary<string, HashSet<string>> _ingressesByHost = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, Corev1Event>> _eventsByObject = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _nodeZones = new(StringComparer.Ordinal);
    private readonly Dictionary<string, V1Deployment> _controllerDeployments = new(StringComparer.Ordinal);
    private readonly Dictionary<string, V1IngressClass> _ingressClasses = new(StringComparer.Ordinal);
    private bool _controllerInstalled;
    private bool _podsKnown;
    private bool _ingressClassesKnown;

    public KubernetesInventory(TimeProvider time, TimeSpan? batchInterval = null)
    {
        Services = new FeedBroadcaster<ServiceViewModel>(time, batchInterval);
        Ingresses = new FeedBroadcaster<IngressViewModel>(time, batchInterval);
    }

    public FeedBroadcaster<ServiceViewModel> Services { get; }

    IFeed<ServiceViewModel> IInventoryFeeds.Services => Services;

    IFeed<IngressViewModel> IInventoryFeeds.Ingresses => Ingresses;

    public FeedBroadcaster<IngressViewModel> Ingresses { get; }

    /// <summary>How many view models were recomputed since start (tests check that work stays proportional to the change).</summary>
    public long Recomputations { get; private set; }

    /// <summary>Subscribes to every cache; call before the caches run.</summary>
    public void Attach(KubernetesCaches caches)
    {
        caches.Services.Changed += ApplyServices;
        caches.Ingresses.Changed += ApplyIngresses;
        caches.EndpointSlices.Changed += ApplyEndpointSlices;
        caches.Pods.Changed += ApplyPods;
        caches.Events.Changed += ApplyEvents;
        caches.Nodes.Changed += ApplyNodes;
        caches.IngressClasses.Changed += ApplyIngressClasses;
        caches.ControllerDeployments.Changed += ApplyControllerDeployments;
        caches.Pods.StatusChanged += status =>
        {
            if (status.State == SourceState.Live)
            {
                MarkPodsKnown();
            }
        };
        caches.IngressClasses.StatusChanged += status =>
        {
            if (status.State == SourceState.Live)
            {
                MarkIngressClassesKnown();
            }
        };
    }

    public void ApplyServices(IReadOnlyList<ResourceChange<V1Service>> changes)
    {
        lock (_gate)
        {
            var services = new HashSet<string>(StringComparer.Ordinal);
            var ingresses = new HashSet<string>(StringComparer.Ordinal);
            foreach (var change in changes)
            {
                var key = KeyOf(change.Object.Metadata);
                _services.TryGetValue(key, out var held);
                if (held is not null)
                {
                    IndexSelector(held, add: false);
                }
                var existed = held is not null;
                if (change.Kind == ResourceChangeKind.Upsert)
                {
                    _services[key] = change.Object;
                    IndexSelector(change.Object, add: true);
                }
                else if (held is null || held.Metadata?.Uid == change.Object.Metadata?.Uid)
                {
                    _services.Remove(key);
                }
                else
                {
                    IndexSelector(held, add: true);
                }
                services.Add(key);
                // Created or deleted, or its alb.* annotations changed (they override the Ingress's for its target group).
                if (existed != _services.ContainsKey(key) || !SameAlbAnnotations(held, change.Object))
                {
                    ingresses.UnionWith(IngressesRouting(change.Object.Metadata?.NamespaceProperty, change.Object.Metadata?.Name ?? ""));
                }
            }
            Recompute(services, ingresses);
        }
    }

    public void ApplyIngresses(IReadOnlyList<ResourceChange<V1Ingress>> changes)
    {
        lock (_gate)
        {
            var keys = new HashSet<string>(StringComparer.Ordinal);
            foreach (var change in changes)
            {
                var key = KeyOf(change.Object.Metadata);
                _ingresses.TryGetValue(key, out var held);
                if (change.Kind == ResourceChangeKind.Upsert)
                {
                    IndexBackends(held, key, add: false);
                    keys.UnionWith(IndexHosts(held, key, add: false));
                    _ingresses[key] = change.Object;
                    IndexBackends(change.Object, key, add: true);
                    keys.UnionWith(IndexHosts(change.Object, key, add: true));
                }
                else if (held is not null && held.Metadata?.Uid == change.Object.Metadata?.Uid)
                {
                    IndexBackends(held, key, add: false);
                    keys.UnionWith(IndexHosts(held, key, add: false));
                    _ingresses.Remove(key);
                }
                keys.Add(key);
            }
            Recompute([], keys);
        }
    }

    public void ApplyEndpointSlices(IReadOnlyList<ResourceChange<V1EndpointSlice>> changes)
    {
        lock (_gate)
        {
            var services = new HashSet<string>(StringComparer.Ordinal);
            foreach (var change in changes)
            {
                var uid = change.Object.Metadata?.Uid ?? "";
                if (ServiceKeyOf(change.Previous) is { } before)
                {
                    _slicesByService.GetValueOrDefault(before)?.Remove(uid);
                    services.Add(before);
                }
                if (ServiceKeyOf(change.Object) is { } after)
                {
                    if (change.Kind == ResourceChangeKind.Upsert)
                    {
                        GetOrAdd(_slicesByService, after)[uid] = change.Object;
                    }
                    else
                    {
                        _slicesByService.GetValueOrDefault(after)?.Remove(uid);
                    }
                    services.Add(after);
                }
            }
            Recompute(services, []);
        }
    }

    public void ApplyPods(IReadOnlyList<ResourceChange<V1Pod>> changes)
    {
        lock (_gate)
        {
            var services = new HashSet<string>(StringComparer.Ordinal);
            foreach (var change in changes)
            {
                var uid = change.Object.Metadata?.Uid ?? "";
                if (_pods.Remove(uid, out var held))
                {
                    IndexPod(held, uid, add: false);
                    services.UnionWith(ServicesSelecting(held));
                }
                if (change.Kind == ResourceChangeKind.Upsert)
                {
                    _pods[uid] = change.Object;
                    IndexPod(change.Object, uid, add: true);
                }
                services.UnionWith(ServicesSelecting(change.Object));
            }
            // Ingresses routing to those Services: their readiness-gate lint follows the pods.
            Recompute(services, [.. services.SelectMany(key => _ingressesByBackend.GetValueOrDefault(key) ?? []).Distinct(StringComparer.Ordinal)]);
        }
    }

    public void ApplyEvents(IReadOnlyList<ResourceChange<Corev1Event>> changes)
    {
        lock (_gate)
        {
            foreach (var change in changes)
            {
                var key = KubernetesEvents.InvolvedKey(change.Object);
                var uid = change.Object.Metadata?.Uid ?? "";
                if (change.Kind == ResourceChangeKind.Upsert)
                {
                    GetOrAdd(_eventsByObject, key)[uid] = change.Object;
                }
                else if (_eventsByObject.TryGetValue(key, out var events))
                {
                    events.Remove(uid);
                    if (events.Count == 0)
                    {
                        _eventsByObject.Remove(key);
                    }
                }
            }
        }
    }

    public void ApplyNodes(IReadOnlyList<ResourceChange<V1Node>> changes)
    {
        lock (_gate)
        {
            foreach (var change in changes)
            {
                var name = change.Object.Metadata?.Name ?? "";
                var zone = Label(change.Object.Metadata?.Labels, "topology.kubernetes.io/zone");
                if (change.Kind == ResourceChangeKind.Upsert && zone is not null)
                {
                    _nodeZones[name] = zone;
                }
                else
                {
                    _nodeZones.Remove(name);
                }
            }
        }
    }

    public void ApplyIngressClasses(IReadOnlyList<ResourceChange<V1IngressClass>> changes)
    {
        lock (_gate)
        {
            Track(_ingressClasses, changes);
            _ingressClassesKnown = true;
            RefreshControllerInstalled();
            Recompute([], [.. _ingresses.Keys]); // "IngressClass … does not exist" follows the classes
        }
    }

    public void ApplyControllerDeployments(IReadOnlyList<ResourceChange<V1Deployment>> changes)
    {
        lock (_gate)
        {
            Track(_controllerDeployments, changes);
            RefreshControllerInstalled();
        }
    }

    /// <summary>The IngressClass cache has listed once: from now on "IngressClass … does not exist" is a fact, not a start-up gap.</summary>
    public void MarkIngressClassesKnown()
    {
        lock (_gate)
        {
            if (_ingressClassesKnown)
            {
                return;
            }
            _ingressClassesKnown = true;
            Recompute([], [.. _ingresses.Keys]);
        }
    }

    /// <summary>The pod cache has listed once: from now on "selects no pod" is a fact, not a start-up gap.</summary>
    public void MarkPodsKnown()
    {
        lock (_gate)
        {
            if (_podsKnown)
            {
                return;
            }
            _podsKnown = true;
            Recompute([.. _services.Where(s => s.Value.Spec?.Selector is { Count: > 0 }).Select(s => s.Key)], [.. _ingresses.Keys]);
        }
    }

    /// <summary>What the detail panel shows, read from the held objects; null when the object is not known.</summary>
    public ObjectDetail? GetDetail(ObjectKind kind, string @namespace, string name, DateTimeOffset asOf)
    {
        lock (_gate)
        {
            var key = $"{@namespace}/{name}";
            switch (kind)
            {
                case ObjectKind.Service when _services.TryGetValue(key, out var service):
                    return new ObjectDetail
                    {
                        Kind = kind,
                        Namespace = @namespace,
                        Name = name,
                        Yaml = ObjectYaml.Serialize(service, "v1", "Service"),
                        Endpoints = Endpoints(key),
                        Events = Events("Service", @namespace, name),
                        AsOf = asOf,
                    };
                case ObjectKind.Ingress when _ingresses.TryGetValue(key, out var ingress):
                    return new ObjectDetail
                    {
                        Kind = kind,
                        Namespace = @namespace,
                        Name = name,
                        Yaml = ObjectYaml.Serialize(ingress, "networking.k8s.io/v1", "Ingress"),
                        Endpoints = [.. IngressDecoder.BackendServiceNames(ingress).Distinct(StringComparer.Ordinal)
                            .SelectMany(service => Endpoints($"{@namespace}/{service}"))],
                        Events = Events("Ingress", @namespace, name),
                        AsOf = asOf,
                    };
                default:
                    return null;
            }
        }
    }

    private void Recompute(IReadOnlyCollection<string> serviceKeys, IReadOnlyCollection<string> ingressKeys)
    {
        if (serviceKeys.Count > 0)
        {
            var changes = new List<FeedChange<ServiceViewModel>>(serviceKeys.Count);
            foreach (var key in serviceKeys)
            {
                changes.Add(_services.TryGetValue(key, out var service)
                    ? FeedChange<ServiceViewModel>.Upsert(key, BuildService(key, service))
                    : FeedChange<ServiceViewModel>.Delete(key));
            }
            Services.Publish(changes);
        }
        if (ingressKeys.Count > 0)
        {
            var changes = new List<FeedChange<IngressViewModel>>(ingressKeys.Count);
            foreach (var key in ingressKeys)
            {
                changes.Add(_ingresses.TryGetValue(key, out var ingress)
                    ? FeedChange<IngressViewModel>.Upsert(key, BuildIngress(ingress))
                    : FeedChange<IngressViewModel>.Delete(key));
            }
            Ingresses.Publish(changes);
        }
    }

    private ServiceViewModel BuildService(string key, V1Service service)
    {
        Recomputations++;
        var model = ServiceDecoder.Decode(service, _slicesByService.GetValueOrDefault(key)?.Values ?? Enumerable.Empty<V1EndpointSlice>());
        var context = new ServiceLintContext(SelectedPods(service), _podsKnown, _controllerInstalled);
        return model with { Lints = InventoryLints.ForService(service, model, context) };
    }

    private IngressViewModel BuildIngress(V1Ingress ingress)
    {
        Recomputations++;
        var model = IngressDecoder.Decode(ingress);
        model = model with { BackendOverrides = BackendOverrides(model, ingress) };
        return model with
        {
            Lints = InventoryLints.ForIngress(model, service => _services.ContainsKey($"{model.Namespace}/{service}"),
                name => !_ingressClassesKnown || _ingressClasses.Values.Any(c => c.Metadata?.Name == name),
                host => (_ingressesByHost.GetValueOrDefault(host.ToLowerInvariant()) ?? [])
                    .Where(key => key != model.Key && _ingresses.ContainsKey(key))
                    .Select(key => (key, InventoryLints.AlbOf(IngressDecoder.Decode(_ingresses[key]), IsAlbClass)))
                    .Where(other => other.Item2 is not null)
                    .Select(other => (other.key, other.Item2!)),
                IsAlbClass,
                service => _podsKnown && _services.TryGetValue($"{model.Namespace}/{service}", out var backend) ? SelectedPods(backend) : null),
        };
    }
}
