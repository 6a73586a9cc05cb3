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
    private readonly ClusterIndex _index;
    private bool _controllerInstalled;
    private bool _podsKnown;
    private bool _ingressClassesKnown;

    public KubernetesInventory(ClusterIndex index, TimeProvider time, TimeSpan? batchInterval = null)
    {
        _index = index;
        Services = new FeedBroadcaster<ServiceViewModel>(time, batchInterval);
        Ingresses = new FeedBroadcaster<IngressViewModel>(time, batchInterval);
        index.Changed += OnIndexChanged;
    }

    public FeedBroadcaster<ServiceViewModel> Services { get; }

    IFeed<ServiceViewModel> IInventoryFeeds.Services => Services;

    IFeed<IngressViewModel> IInventoryFeeds.Ingresses => Ingresses;

    public FeedBroadcaster<IngressViewModel> Ingresses { get; }

    /// <summary>How many view models were recomputed since start (tests check that work stays proportional to the change).</summary>
    public long Recomputations { get; private set; }

    /// <summary>Follows the caches' first lists (the objects themselves arrive through the index).</summary>
    public void Attach(KubernetesCaches caches)
    {
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

    /// <summary>Runs under the index's gate, right after it applied <paramref name="batch"/>.</summary>
    private void OnIndexChanged(object batch)
    {
        switch (batch)
        {
            case IReadOnlyList<ResourceChange<V1Service>> services:
                OnServices(services);
                break;
            case IReadOnlyList<ResourceChange<V1Ingress>> ingresses:
                OnIngresses(ingresses);
                break;
            case IReadOnlyList<ResourceChange<V1EndpointSlice>> slices:
                Recompute([.. slices.SelectMany(c => new[] { ClusterIndex.ServiceKeyOf(c.Previous), ClusterIndex.ServiceKeyOf(c.Object) })
                    .OfType<string>().Distinct(StringComparer.Ordinal)], []);
                break;
            case IReadOnlyList<ResourceChange<V1Pod>> pods:
                OnPods(pods);
                break;
            case IReadOnlyList<ResourceChange<V1IngressClass>>:
                _ingressClassesKnown = true;
                RefreshControllerInstalled();
                Recompute([], [.. _index.Ingresses.Keys]); // "IngressClass … does not exist" follows the classes
                break;
            case IReadOnlyList<ResourceChange<IngressClassParamsResource>>:
                Recompute([], [.. _index.Ingresses.Keys]); // the settings an IngressClassParams forces
                break;
            case IReadOnlyList<ResourceChange<V1Deployment>> deployments
                when deployments.Any(d => d.Object.Metadata?.NamespaceProperty == WatchedKinds.ControllerNamespace):
                RefreshControllerInstalled();
                break;
        }
    }

    private void OnServices(IReadOnlyList<ResourceChange<V1Service>> changes)
    {
        var services = new HashSet<string>(StringComparer.Ordinal);
        var ingresses = new HashSet<string>(StringComparer.Ordinal);
        foreach (var change in changes)
        {
            var key = ClusterIndex.KeyOf(change.Object.Metadata);
            services.Add(key);
            // Created or deleted, or its alb.* annotations changed (they override the Ingress's for its target group).
            if (change.Previous is null || change.Kind == ResourceChangeKind.Delete || !SameAlbAnnotations(change.Previous, change.Object))
            {
                ingresses.UnionWith(_index.IngressesRouting(key));
            }
        }
        Recompute(services, ingresses);
    }

    private void OnIngresses(IReadOnlyList<ResourceChange<V1Ingress>> changes)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var change in changes)
        {
            keys.Add(ClusterIndex.KeyOf(change.Object.Metadata));
            // The members of its IngressGroup, before or after: their group-wide settings follow each other's.
            keys.UnionWith(GroupMembers(change.Previous).Concat(GroupMembers(change.Object)));
            // Ingresses sharing a host, before or after, re-check "the same host on two ALBs".
            foreach (var host in ClusterIndex.HostsOf(change.Previous).Concat(ClusterIndex.HostsOf(change.Object)))
            {
                keys.UnionWith(_index.IngressesWithHost(host));
            }
        }
        Recompute([], keys);
    }

    private void OnPods(IReadOnlyList<ResourceChange<V1Pod>> changes)
    {
        var services = new HashSet<string>(StringComparer.Ordinal);
        foreach (var change in changes)
        {
            if (change.Previous is not null)
            {
                services.UnionWith(_index.ServicesSelecting(change.Previous));
            }
            services.UnionWith(_index.ServicesSelecting(change.Object));
        }
        // Ingresses routing to those Services: their readiness-gate lint follows the pods.
        Recompute(services, [.. services.SelectMany(_index.IngressesRouting).Distinct(StringComparer.Ordinal)]);
    }

    /// <summary>The IngressClass cache has listed once: from now on "IngressClass … does not exist" is a fact, not a start-up gap.</summary>
    public void MarkIngressClassesKnown()
    {
        lock (_index.Gate)
        {
            if (_ingressClassesKnown)
            {
                return;
            }
            _ingressClassesKnown = true;
            Recompute([], [.. _index.Ingresses.Keys]);
        }
    }

    /// <summary>The pod cache has listed once: from now on "selects no pod" is a fact, not a start-up gap.</summary>
    public void MarkPodsKnown()
    {
        lock (_index.Gate)
        {
            if (_podsKnown)
            {
                return;
            }
            _podsKnown = true;
            Recompute([.. _index.Services.Where(s => s.Value.Spec?.Selector is { Count: > 0 }).Select(s => s.Key)], [.. _index.Ingresses.Keys]);
        }
    }

    /// <summary>What the detail panel shows, read from the held objects; null when the object is not known.</summary>
    public ObjectDetail? GetDetail(ObjectKind kind, string @namespace, string name, DateTimeOffset asOf)
    {
        lock (_index.Gate)
        {
            var key = $"{@namespace}/{name}";
            switch (kind)
            {
                case ObjectKind.Service when _index.Services.TryGetValue(key, out var service):
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
                case ObjectKind.Ingress when _index.Ingresses.TryGetValue(key, out var ingress):
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
                changes.Add(_index.Services.TryGetValue(key, out var service)
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
                changes.Add(_index.Ingresses.TryGetValue(key, out var ingress)
                    ? FeedChange<IngressViewModel>.Upsert(key, BuildIngress(ingress))
                    : FeedChange<IngressViewModel>.Delete(key));
            }
            Ingresses.Publish(changes);
        }
    }

    private ServiceViewModel BuildService(string key, V1Service service)
    {
        Recomputations++;
        var model = ServiceDecoder.Decode(service, _index.SlicesOf(key));
        var context = new ServiceLintContext(_index.SelectedPods(service), _podsKnown, _controllerInstalled);
        return model with { Lints = InventoryLints.ForService(service, model, context) };
    }

    private IngressViewModel BuildIngress(V1Ingress ingress)
    {
        Recomputations++;
        var model = IngressDecoder.Decode(ingress);
        model = model with { BackendOverrides = BackendOverrides(model, ingress) };
        model = WithGroupSettings(model, ingress);
        model = WithClassParams(model, ingress);
        model = model with
        {
            Lints = InventoryLints.ForIngress(model, service => _index.Services.ContainsKey($"{model.Namespace}/{service}"),
                name => !_ingressClassesKnown || _index.IngressClasses.Any(c => c.Metadata?.Name == name),
                host => _index.IngressesWithHost(host)
                    .Where(key => key != model.Key && _index.Ingresses.ContainsKey(key))
                    .Select(key => (key, InventoryLints.AlbOf(IngressDecoder.Decode(_index.Ingresses[key]), _index.IsAlbClass)))
                    .Where(other => other.Item2 is not null)
                    .Select(other => (other.key, other.Item2!)),
                _index.IsAlbClass,
                service => _podsKnown && _index.Services.TryGetValue($"{model.Namespace}/{service}", out var backend) ? _index.SelectedPods(backend) : null),
        };
        return model with { Lints = model.Lints.AddRange(GroupSettingLints(model)).AddRange(ClassParamsLints(ingress)) };
    }
}
