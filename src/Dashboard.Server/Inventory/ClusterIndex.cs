using Dashboard.Server.Kubernetes;
using k8s.Models;

namespace Dashboard.Server.Inventory;

/// <summary>
/// The one Kubernetes index: every watched object held once, with the lookups every reader needs, kept up to date
/// change by change from the watch caches. The Service/Ingress projection (<see cref="KubernetesInventory"/>) reads it
/// inside <see cref="Changed"/> to recompute only what a change affects; the topology join reads a frozen copy of it
/// (<c>Topology.KubernetesIndex.Freeze</c>), rebuilt per kind only when that kind's <see cref="Versions"/> moved.
/// Thread-safe: every change is applied, and <see cref="Changed"/> raised, under <see cref="Gate"/>; readers outside a
/// <see cref="Changed"/> handler take <see cref="Gate"/> themselves.
/// </summary>
public sealed partial class ClusterIndex : IKubernetesCacheSubscriber
{
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
    private readonly Dictionary<string, V1Node> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, V1IngressClass> _ingressClasses = new(StringComparer.Ordinal);
    /// <summary>Deployments by uid (every namespace).</summary>
    private readonly Dictionary<string, V1Deployment> _deployments = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TargetGroupBinding> _bindings = new(StringComparer.Ordinal);

    /// <summary>Held while a change is applied and while <see cref="Changed"/> runs.</summary>
    public object Gate { get; } = new();

    /// <summary>
    /// Raised under <see cref="Gate"/> after each batch is applied, with the batch itself (an
    /// <c>IReadOnlyList&lt;ResourceChange&lt;T&gt;&gt;</c> of one watched kind). Handlers must be quick and must not block.
    /// </summary>
    public event Action<object>? Changed;

    /// <summary>How many batches of each kind were applied: a reader holding a copy of a kind knows whether it is current.</summary>
    public IndexVersions Versions { get; private set; } = new();

    /// <summary>Subscribes to every cache's changes; call before the caches run.</summary>
    public void Attach(KubernetesCaches caches)
    {
        caches.Services.Changed += ApplyServices;
        caches.Ingresses.Changed += ApplyIngresses;
        caches.EndpointSlices.Changed += ApplyEndpointSlices;
        caches.Pods.Changed += ApplyPods;
        caches.Events.Changed += ApplyEvents;
        caches.Nodes.Changed += ApplyNodes;
        caches.IngressClasses.Changed += ApplyIngressClasses;
        caches.Deployments.Changed += ApplyDeployments;
        caches.TargetGroupBindings.Changed += ApplyTargetGroupBindings;
        caches.IngressClassParams.Changed += ApplyIngressClassParams;
    }

    /// <summary>Loads a whole snapshot of objects at once (tests, benchmarks and the topology's pure entry point).</summary>
    public static ClusterIndex Of(IEnumerable<V1Service> services, IEnumerable<V1Ingress> ingresses, IEnumerable<V1IngressClass> ingressClasses,
        IEnumerable<V1EndpointSlice> slices, IEnumerable<V1Pod> pods, IEnumerable<V1Node> nodes, IEnumerable<Corev1Event> events,
        IEnumerable<TargetGroupBinding> bindings, IEnumerable<V1Deployment>? deployments = null)
    {
        var index = new ClusterIndex();
        index.ApplyDeployments(Upserts(deployments ?? []));
        index.ApplyServices(Upserts(services));
        index.ApplyIngresses(Upserts(ingresses));
        index.ApplyIngressClasses(Upserts(ingressClasses));
        index.ApplyEndpointSlices(Upserts(slices));
        index.ApplyPods(Upserts(pods));
        index.ApplyNodes(Upserts(nodes));
        index.ApplyEvents(Upserts(events));
        lock (index.Gate)
        {
            foreach (var binding in bindings)
            {
                index._bindings[$"{binding.Namespace}/{binding.Name}"] = binding;
            }
            index.Versions = index.Versions with { TargetGroupBindings = index.Versions.TargetGroupBindings + 1 };
        }
        return index;
    }

    private static List<ResourceChange<T>> Upserts<T>(IEnumerable<T> items) where T : class =>
        [.. items.Select(item => new ResourceChange<T>(ResourceChangeKind.Upsert, item, null))];

    public void ApplyServices(IReadOnlyList<ResourceChange<V1Service>> changes)
    {
        lock (Gate)
        {
            foreach (var change in changes)
            {
                var key = KeyOf(change.Object.Metadata);
                _services.TryGetValue(key, out var held);
                if (held is not null)
                {
                    IndexSelector(held, add: false);
                }
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
            }
            Versions = Versions with { Services = Versions.Services + 1 };
            Changed?.Invoke(changes);
        }
    }

    public void ApplyIngresses(IReadOnlyList<ResourceChange<V1Ingress>> changes)
    {
        lock (Gate)
        {
            foreach (var change in changes)
            {
                var key = KeyOf(change.Object.Metadata);
                _ingresses.TryGetValue(key, out var held);
                if (change.Kind == ResourceChangeKind.Upsert)
                {
                    IndexIngress(held, key, add: false);
                    _ingresses[key] = change.Object;
                    IndexIngress(change.Object, key, add: true);
                }
                else if (held is not null && held.Metadata?.Uid == change.Object.Metadata?.Uid)
                {
                    IndexIngress(held, key, add: false);
                    _ingresses.Remove(key);
                }
            }
            Versions = Versions with { Ingresses = Versions.Ingresses + 1 };
            Changed?.Invoke(changes);
        }
    }

    public void ApplyEndpointSlices(IReadOnlyList<ResourceChange<V1EndpointSlice>> changes)
    {
        lock (Gate)
        {
            foreach (var change in changes)
            {
                var uid = UidOf(change.Object.Metadata);
                if (ServiceKeyOf(change.Previous) is { } before)
                {
                    RemoveFrom(_slicesByService, before, uid);
                }
                if (ServiceKeyOf(change.Object) is { } after)
                {
                    if (change.Kind == ResourceChangeKind.Upsert)
                    {
                        GetOrAdd(_slicesByService, after)[uid] = change.Object;
                    }
                    else
                    {
                        RemoveFrom(_slicesByService, after, uid);
                    }
                }
            }
            Versions = Versions with { EndpointSlices = Versions.EndpointSlices + 1 };
            Changed?.Invoke(changes);
        }
    }

    public void ApplyPods(IReadOnlyList<ResourceChange<V1Pod>> changes)
    {
        lock (Gate)
        {
            foreach (var change in changes)
            {
                var uid = UidOf(change.Object.Metadata);
                if (_pods.Remove(uid, out var held))
                {
                    IndexPod(held, uid, add: false);
                }
                if (change.Kind == ResourceChangeKind.Upsert)
                {
                    _pods[uid] = change.Object;
                    IndexPod(change.Object, uid, add: true);
                }
            }
            Versions = Versions with { Pods = Versions.Pods + 1 };
            Changed?.Invoke(changes);
        }
    }

    public void ApplyEvents(IReadOnlyList<ResourceChange<Corev1Event>> changes)
    {
        lock (Gate)
        {
            foreach (var change in changes)
            {
                var key = KubernetesEvents.InvolvedKey(change.Object);
                var uid = UidOf(change.Object.Metadata);
                if (change.Kind == ResourceChangeKind.Upsert)
                {
                    GetOrAdd(_eventsByObject, key)[uid] = change.Object;
                }
                else
                {
                    RemoveFrom(_eventsByObject, key, uid);
                }
            }
            Versions = Versions with { Events = Versions.Events + 1 };
            Changed?.Invoke(changes);
        }
    }

    public void ApplyNodes(IReadOnlyList<ResourceChange<V1Node>> changes)
    {
        lock (Gate)
        {
            foreach (var change in changes)
            {
                var name = change.Object.Metadata?.Name ?? "";
                if (change.Kind == ResourceChangeKind.Upsert)
                {
                    _nodes[name] = change.Object;
                }
                else if (_nodes.TryGetValue(name, out var held) && held.Metadata?.Uid == change.Object.Metadata?.Uid)
                {
                    _nodes.Remove(name);
                }
            }
            Versions = Versions with { Nodes = Versions.Nodes + 1 };
            Changed?.Invoke(changes);
        }
    }

    public void ApplyIngressClasses(IReadOnlyList<ResourceChange<V1IngressClass>> changes)
    {
        lock (Gate)
        {
            Track(_ingressClasses, changes);
            Versions = Versions with { IngressClasses = Versions.IngressClasses + 1 };
            Changed?.Invoke(changes);
        }
    }

    public void ApplyDeployments(IReadOnlyList<ResourceChange<V1Deployment>> changes)
    {
        lock (Gate)
        {
            foreach (var change in changes)
            {
                var uid = UidOf(change.Object.Metadata);
                if (change.Kind == ResourceChangeKind.Upsert)
                {
                    _deployments[uid] = change.Object;
                }
                else
                {
                    _deployments.Remove(uid);
                }
            }
            Versions = Versions with { Deployments = Versions.Deployments + 1 };
            Changed?.Invoke(changes);
        }
    }

    public void ApplyTargetGroupBindings(IReadOnlyList<ResourceChange<TargetGroupBindingResource>> changes)
    {
        lock (Gate)
        {
            foreach (var change in changes)
            {
                var uid = UidOf(change.Object.Metadata);
                if (change.Kind == ResourceChangeKind.Upsert && TargetGroupBinding.From(change.Object) is { } binding)
                {
                    _bindings[uid] = binding;
                }
                else
                {
                    _bindings.Remove(uid);
                }
            }
            Versions = Versions with { TargetGroupBindings = Versions.TargetGroupBindings + 1 };
            Changed?.Invoke(changes);
        }
    }
}

/// <summary>How many batches of each kind <see cref="ClusterIndex"/> has applied.</summary>
public sealed record IndexVersions
{
    public long Services { get; init; }
    public long Ingresses { get; init; }
    public long EndpointSlices { get; init; }
    public long Pods { get; init; }
    public long Events { get; init; }
    public long Nodes { get; init; }
    public long IngressClasses { get; init; }
    public long Deployments { get; init; }
    public long TargetGroupBindings { get; init; }
}
