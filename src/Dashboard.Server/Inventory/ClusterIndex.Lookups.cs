using Dashboard.Server.Kubernetes;
using k8s.Models;

namespace Dashboard.Server.Inventory;

/// <summary>The index's lookups and their upkeep. Every read here expects the caller to hold <see cref="ClusterIndex.Gate"/>.</summary>
public sealed partial class ClusterIndex
{
    /// <summary>Services by "namespace/name".</summary>
    public IReadOnlyDictionary<string, V1Service> Services => _services;

    /// <summary>Ingresses by "namespace/name".</summary>
    public IReadOnlyDictionary<string, V1Ingress> Ingresses => _ingresses;

    /// <summary>Pods by uid.</summary>
    public IReadOnlyDictionary<string, V1Pod> Pods => _pods;

    /// <summary>Nodes by name.</summary>
    public IReadOnlyDictionary<string, V1Node> Nodes => _nodes;

    public IEnumerable<V1IngressClass> IngressClasses => _ingressClasses.Values;

    /// <summary>The Deployments of kube-system, where the AWS Load Balancer Controller is installed.</summary>
    public IEnumerable<V1Deployment> ControllerDeployments =>
        _deployments.Values.Where(d => d.Metadata?.NamespaceProperty == WatchedKinds.ControllerNamespace);

    /// <summary>Every Deployment, any namespace.</summary>
    public IEnumerable<V1Deployment> Deployments => _deployments.Values;

    public IEnumerable<TargetGroupBinding> TargetGroupBindings => _bindings.Values;

    public IEnumerable<KeyValuePair<string, Dictionary<string, Corev1Event>>> EventsByObject => _eventsByObject;

    public IEnumerable<KeyValuePair<string, Dictionary<string, V1EndpointSlice>>> SlicesByService => _slicesByService;

    /// <summary>The EndpointSlices labelled for the Service "namespace/name".</summary>
    public IEnumerable<V1EndpointSlice> SlicesOf(string serviceKey) =>
        _slicesByService.GetValueOrDefault(serviceKey)?.Values ?? Enumerable.Empty<V1EndpointSlice>();

    /// <summary>The events whose involved object is <paramref name="involvedKey"/> (<see cref="KubernetesEvents.InvolvedKey(string, string?, string)"/>).</summary>
    public IEnumerable<Corev1Event> EventsOf(string involvedKey) =>
        _eventsByObject.GetValueOrDefault(involvedKey)?.Values ?? Enumerable.Empty<Corev1Event>();

    /// <summary>The zone of a node from its <c>topology.kubernetes.io/zone</c> label.</summary>
    public string? ZoneOf(string nodeName) =>
        _nodes.TryGetValue(nodeName, out var node) ? Label(node.Metadata?.Labels, "topology.kubernetes.io/zone") : null;

    /// <summary>Active pods the Service's selector matches.</summary>
    public List<V1Pod> SelectedPods(V1Service service)
    {
        var selector = service.Spec?.Selector;
        if (FirstPair(service.Metadata?.NamespaceProperty, selector) is not { } pair || !_podsByLabel.TryGetValue(pair, out var candidates))
        {
            return [];
        }
        return [.. candidates.Select(uid => _pods[uid]).Where(p => InventoryLints.IsActive(p) && InventoryLints.Selects(selector, p.Metadata?.Labels))];
    }

    /// <summary>Services in the pod's namespace whose selector the pod's labels satisfy.</summary>
    public IEnumerable<string> ServicesSelecting(V1Pod pod)
    {
        var ns = pod.Metadata?.NamespaceProperty ?? "";
        var labels = pod.Metadata?.Labels;
        if (labels is null)
        {
            yield break;
        }
        foreach (var (label, value) in labels)
        {
            if (!_servicesBySelector.TryGetValue(new LabelKey(ns, label, value), out var keys))
            {
                continue;
            }
            foreach (var key in keys)
            {
                if (_services.TryGetValue(key, out var service) && InventoryLints.Selects(service.Spec?.Selector, labels))
                {
                    yield return key;
                }
            }
        }
    }

    /// <summary>Ingresses with a backend (rule, default or action) naming the Service "namespace/name".</summary>
    public IEnumerable<string> IngressesRouting(string serviceKey) => _ingressesByBackend.GetValueOrDefault(serviceKey) ?? [];

    /// <summary>Ingresses routing <paramref name="host"/> (any case).</summary>
    public IEnumerable<string> IngressesWithHost(string host) => _ingressesByHost.GetValueOrDefault(host.ToLowerInvariant()) ?? [];

    /// <summary>True when an IngressClass of that name belongs to the AWS Load Balancer Controller.</summary>
    public bool IsAlbClass(string name) =>
        _ingressClasses.Values.Any(c => c.Metadata?.Name == name && c.Spec?.Controller == IngressDecoder.AlbIngressController);

    /// <summary>Whether the AWS Load Balancer Controller looks installed (its Deployment or its IngressClass).</summary>
    public bool ControllerInstalled => InventoryLints.IsAwsLoadBalancerControllerInstalled(ControllerDeployments, _ingressClasses.Values);

    /// <summary>"namespace/name" — the one key every index and feed uses for namespaced objects.</summary>
    public static string KeyOf(V1ObjectMeta? meta) => $"{meta?.NamespaceProperty ?? "default"}/{meta?.Name}";

    /// <summary>
    /// What the index keys objects by within a kind: the uid (a re-created object is another object), or "namespace/name"
    /// for an object without one (hand-built snapshots in tests; the caches drop objects without a uid).
    /// </summary>
    private static string UidOf(V1ObjectMeta? meta) => string.IsNullOrEmpty(meta?.Uid) ? KeyOf(meta) : meta.Uid;

    /// <summary>The Service an EndpointSlice belongs to ("namespace/name"), from its <c>kubernetes.io/service-name</c> label.</summary>
    public static string? ServiceKeyOf(V1EndpointSlice? slice) =>
        Label(slice?.Metadata?.Labels, EndpointCounts.ServiceNameLabel) is { } service
            ? $"{slice!.Metadata!.NamespaceProperty ?? "default"}/{service}"
            : null;

    /// <summary>The lower-case hosts an Ingress's rules route.</summary>
    public static IEnumerable<string> HostsOf(V1Ingress? ingress) =>
        (ingress?.Spec?.Rules ?? []).Select(r => r.Host).OfType<string>().Where(h => h.Length > 0)
            .Select(h => h.ToLowerInvariant()).Distinct(StringComparer.Ordinal);

    private void IndexIngress(V1Ingress? ingress, string ingressKey, bool add)
    {
        if (ingress is null)
        {
            return;
        }
        var ns = ingress.Metadata?.NamespaceProperty ?? "default";
        foreach (var service in IngressDecoder.BackendServiceNames(ingress).Distinct(StringComparer.Ordinal))
        {
            Index(_ingressesByBackend, $"{ns}/{service}", ingressKey, add);
        }
        foreach (var host in HostsOf(ingress))
        {
            Index(_ingressesByHost, host, ingressKey, add);
        }
    }

    private void IndexSelector(V1Service service, bool add)
    {
        if (FirstPair(service.Metadata?.NamespaceProperty, service.Spec?.Selector) is { } pair)
        {
            Index(_servicesBySelector, pair, KeyOf(service.Metadata), add);
        }
    }

    private void IndexPod(V1Pod pod, string uid, bool add)
    {
        var ns = pod.Metadata?.NamespaceProperty ?? "";
        foreach (var (label, value) in pod.Metadata?.Labels ?? new Dictionary<string, string>())
        {
            Index(_podsByLabel, new LabelKey(ns, label, value), uid, add);
        }
    }

    private static void Index<TKey>(Dictionary<TKey, HashSet<string>> index, TKey key, string member, bool add) where TKey : notnull
    {
        if (add)
        {
            GetOrAdd(index, key).Add(member);
        }
        else if (index.TryGetValue(key, out var set))
        {
            set.Remove(member);
            if (set.Count == 0)
            {
                index.Remove(key);
            }
        }
    }

    private static void RemoveFrom<T>(Dictionary<string, Dictionary<string, T>> index, string key, string uid)
    {
        if (index.TryGetValue(key, out var items) && items.Remove(uid) && items.Count == 0)
        {
            index.Remove(key);
        }
    }

    /// <summary>A pod a Service selects necessarily carries the selector's first pair (ordinal order), so one pair indexes it.</summary>
    private static LabelKey? FirstPair(string? @namespace, IDictionary<string, string>? selector)
    {
        if (selector is not { Count: > 0 })
        {
            return null;
        }
        var first = selector.MinBy(p => p.Key, StringComparer.Ordinal);
        return new LabelKey(@namespace ?? "", first.Key, first.Value);
    }

    private static void Track<T>(Dictionary<string, T> held, IReadOnlyList<ResourceChange<T>> changes) where T : class, k8s.IKubernetesObject<V1ObjectMeta>
    {
        foreach (var change in changes)
        {
            var uid = UidOf(change.Object.Metadata);
            if (change.Kind == ResourceChangeKind.Upsert)
            {
                held[uid] = change.Object;
            }
            else
            {
                held.Remove(uid);
            }
        }
    }

    private static string? Label(IDictionary<string, string>? labels, string key) =>
        labels is not null && labels.TryGetValue(key, out var value) ? value : null;

    private static TValue GetOrAdd<TKey, TValue>(Dictionary<TKey, TValue> dictionary, TKey key) where TKey : notnull where TValue : new()
    {
        if (!dictionary.TryGetValue(key, out var value))
        {
            value = new TValue();
            dictionary[key] = value;
        }
        return value;
    }

    private readonly record struct LabelKey(string Namespace, string Label, string Value);
}
