using System.Collections.Immutable;
using Dashboard.Client.Model;
using Dashboard.Server.Kubernetes;
using k8s.Models;

namespace Dashboard.Server.Inventory;

/// <summary>The inventory's indexes: pods by label, Services by selector, Ingresses by backend and host, and their upkeep.</summary>
public sealed partial class KubernetesInventory
{
    private List<V1Pod> SelectedPods(V1Service service)
    {
        var selector = service.Spec?.Selector;
        if (FirstPair(service.Metadata?.NamespaceProperty, selector) is not { } pair || !_podsByLabel.TryGetValue(pair, out var candidates))
        {
            return [];
        }
        return [.. candidates.Select(uid => _pods[uid]).Where(p => InventoryLints.IsActive(p) && InventoryLints.Selects(selector, p.Metadata?.Labels))];
    }

    /// <summary>Services in the pod's namespace whose selector the pod's labels satisfy.</summary>
    private IEnumerable<string> ServicesSelecting(V1Pod pod)
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

    private IEnumerable<string> IngressesRouting(string? @namespace, string serviceName) =>
        _ingressesByBackend.GetValueOrDefault($"{@namespace ?? ""}/{serviceName}") ?? [];

    private void IndexBackends(V1Ingress? ingress, string ingressKey, bool add)
    {
        if (ingress is null)
        {
            return;
        }
        var ns = ingress.Metadata?.NamespaceProperty ?? "";
        foreach (var service in IngressDecoder.BackendServiceNames(ingress).Distinct(StringComparer.Ordinal))
        {
            var backend = $"{ns}/{service}";
            if (add)
            {
                GetOrAdd(_ingressesByBackend, backend).Add(ingressKey);
            }
            else if (_ingressesByBackend.GetValueOrDefault(backend) is { } keys && keys.Remove(ingressKey) && keys.Count == 0)
            {
                _ingressesByBackend.Remove(backend);
            }
        }
    }

    private bool IsAlbClass(string name) =>
        _ingressClasses.Values.Any(c => c.Metadata?.Name == name && c.Spec?.Controller == IngressDecoder.AlbIngressController);

    /// <summary>Adds or removes the Ingress under each of its hosts; returns the other Ingresses sharing them (their lints change).</summary>
    private List<string> IndexHosts(V1Ingress? ingress, string ingressKey, bool add)
    {
        var affected = new List<string>();
        foreach (var host in (ingress?.Spec?.Rules ?? []).Select(r => r.Host).OfType<string>().Where(h => h.Length > 0)
            .Select(h => h.ToLowerInvariant()).Distinct(StringComparer.Ordinal))
        {
            if (add)
            {
                GetOrAdd(_ingressesByHost, host).Add(ingressKey);
            }
            else if (_ingressesByHost.GetValueOrDefault(host) is { } keys && keys.Remove(ingressKey) && keys.Count == 0)
            {
                _ingressesByHost.Remove(host);
            }
            affected.AddRange(_ingressesByHost.GetValueOrDefault(host) ?? []);
        }
        return affected;
    }

    private void RefreshControllerInstalled()
    {
        var installed = InventoryLints.IsAwsLoadBalancerControllerInstalled(_controllerDeployments.Values, _ingressClasses.Values);
        if (installed == _controllerInstalled)
        {
            return;
        }
        _controllerInstalled = installed;
        var inTreeNlbs = _services.Where(s =>
            string.Equals(AnnotationValues.Get(s.Value.Metadata?.Annotations, ServiceDecoder.TypeAnnotation), "nlb", StringComparison.OrdinalIgnoreCase));
        Recompute([.. inTreeNlbs.Select(s => s.Key)], []);
    }

    private ImmutableArray<EndpointView> Endpoints(string serviceKey)
    {
        var views = new List<EndpointView>();
        foreach (var slice in _slicesByService.GetValueOrDefault(serviceKey)?.Values ?? Enumerable.Empty<V1EndpointSlice>())
        {
            foreach (var endpoint in slice.Endpoints ?? [])
            {
                var zone = endpoint.Zone ?? (endpoint.NodeName is { } node ? _nodeZones.GetValueOrDefault(node) : null);
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

    private ImmutableArray<EventView> Events(string kind, string @namespace, string name)
    {
        var events = _eventsByObject.GetValueOrDefault(KubernetesEvents.InvolvedKey(kind, @namespace, name))?.Values ?? Enumerable.Empty<Corev1Event>();
        return [.. events.Select(KubernetesEvents.ToView).OrderByDescending(e => e.LastSeen ?? DateTimeOffset.MinValue)];
    }

    private void IndexSelector(V1Service service, bool add)
    {
        if (FirstPair(service.Metadata?.NamespaceProperty, service.Spec?.Selector) is { } pair)
        {
            Index(_servicesBySelector, pair, KeyOf(service.Metadata!), add);
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

    private static void Index(Dictionary<LabelKey, HashSet<string>> index, LabelKey key, string member, bool add)
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
            var uid = change.Object.Metadata?.Uid ?? "";
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

    private static string KeyOf(V1ObjectMeta? meta) => $"{meta?.NamespaceProperty}/{meta?.Name}";

    private static string? ServiceKeyOf(V1EndpointSlice? slice) =>
        Label(slice?.Metadata?.Labels, EndpointCounts.ServiceNameLabel) is { } service
            ? $"{slice!.Metadata!.NamespaceProperty}/{service}"
            : null;

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
