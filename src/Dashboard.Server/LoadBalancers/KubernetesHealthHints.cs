using Dashboard.Server.Kubernetes;
using k8s.Models;

namespace Dashboard.Server.LoadBalancers;

/// <summary>
/// Kubernetes often knows first: a pod whose readiness probe starts failing usually fails the load balancer's health
/// check too, and a node going NotReady takes its instance targets with it. This watches the shared pod and node caches
/// (no extra API calls) and tells the poller which targets to re-read now, so a quiet target group does not wait for the
/// next CloudWatch minute. AWS stays the source of truth: the hint only moves a DescribeTargetHealth forward.
/// It also watches Services, Ingresses and TargetGroupBindings: when one's annotations or spec change (a health-check
/// path, port, matcher or target type), its target groups are read fast for a while, since that is when a failure only
/// AWS can see usually starts. Target groups are found through the TargetGroupBindings (the controller's own link).
/// </summary>
/// <remarks>The caches are optional: a host that only polls AWS (tests, benchmarks) has none, and then there are no hints.</remarks>
public sealed class KubernetesHealthHints(AwsPoller poller, KubernetesCaches? caches = null) : IHostedService
{
    private readonly KubernetesCaches? _caches = caches;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_caches is not null)
        {
            _caches.Pods.Changed += OnPods;
            _caches.Nodes.Changed += OnNodes;
            _caches.Services.Changed += OnServices;
            _caches.Ingresses.Changed += OnIngresses;
            _caches.TargetGroupBindings.Changed += OnBindings;
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (_caches is not null)
        {
            _caches.Pods.Changed -= OnPods;
            _caches.Nodes.Changed -= OnNodes;
            _caches.Services.Changed -= OnServices;
            _caches.Ingresses.Changed -= OnIngresses;
            _caches.TargetGroupBindings.Changed -= OnBindings;
        }
        return Task.CompletedTask;
    }

    private void OnPods(IReadOnlyList<ResourceChange<V1Pod>> changes)
    {
        var ips = changes.Where(c => ReadinessFlipped(c.Kind, Ready(c.Previous), Ready(c.Object)))
            .Select(c => c.Object.Status?.PodIP ?? c.Previous?.Status?.PodIP)
            .OfType<string>()
            .ToList();
        if (ips.Count > 0)
        {
            poller.HintTargetsChanged(ips);
        }
    }

    private void OnNodes(IReadOnlyList<ResourceChange<V1Node>> changes)
    {
        var instances = changes.Where(c => ReadinessFlipped(c.Kind, NodeReady(c.Previous), NodeReady(c.Object)))
            .Select(c => InstanceId(c.Object.Spec?.ProviderID))
            .OfType<string>()
            .ToList();
        if (instances.Count > 0)
        {
            poller.HintTargetsChanged(instances);
        }
    }

    private void OnServices(IReadOnlyList<ResourceChange<V1Service>> changes) =>
        WatchGroupsOf(changes.Where(c => ConfigurationChanged(c.Previous, c.Object, s => s.Spec))
            .Select(c => (c.Object.Metadata?.NamespaceProperty ?? "", c.Object.Metadata?.Name ?? "")));

    private void OnIngresses(IReadOnlyList<ResourceChange<V1Ingress>> changes) =>
        WatchGroupsOf(changes.Where(c => ConfigurationChanged(c.Previous, c.Object, i => i.Spec))
            .SelectMany(c => Inventory.IngressDecoder.BackendServiceNames(c.Object).Select(service => (c.Object.Metadata?.NamespaceProperty ?? "", service))));

    private void OnBindings(IReadOnlyList<ResourceChange<TargetGroupBindingResource>> changes)
    {
        var arns = changes.Where(c => c.Kind == ResourceChangeKind.Upsert && ConfigurationChanged(c.Previous, c.Object, b => b.Spec))
            .Select(c => c.Object.Spec?.TargetGroupArn)
            .OfType<string>()
            .ToList();
        if (arns.Count > 0)
        {
            poller.WatchAfterChange(arns);
        }
    }

    /// <summary>The target groups bound to these Services (namespace, name), through the TargetGroupBindings.</summary>
    private void WatchGroupsOf(IEnumerable<(string Namespace, string Service)> services)
    {
        var wanted = services.ToHashSet();
        if (wanted.Count == 0 || _caches is null)
        {
            return;
        }
        var arns = _caches.TargetGroupBindings.Items
            .Where(b => b.Spec?.ServiceRef?.Name is { } name && wanted.Contains((b.Metadata?.NamespaceProperty ?? "", name)))
            .Select(b => b.Spec!.TargetGroupArn)
            .OfType<string>()
            .ToList();
        if (arns.Count > 0)
        {
            poller.WatchAfterChange(arns);
        }
    }

    /// <summary>
    /// An update that changed what a load balancer controller acts on: its annotations or the spec. Status-only updates
    /// (addresses, the controller's own writes), other annotations (a deploy tool's, kubectl's) and a re-list's unchanged
    /// objects are not; new objects are not either (their groups are new and read at once anyway).
    /// </summary>
    internal static bool ConfigurationChanged<T>(T? previous, T current, Func<T, object?> spec) where T : class, k8s.IKubernetesObject<V1ObjectMeta>
    {
        if (previous is null)
        {
            return false;
        }
        var before = ControllerAnnotations(previous);
        var after = ControllerAnnotations(current);
        var annotationsChanged = before.Count != after.Count || before.Any(a => !after.TryGetValue(a.Key, out var value) || value != a.Value);
        return annotationsChanged || k8s.KubernetesJson.Serialize(spec(previous)) != k8s.KubernetesJson.Serialize(spec(current));
    }

    private static readonly string[] ControllerAnnotationPrefixes =
        ["service.beta.kubernetes.io/aws-load-balancer-", "service.kubernetes.io/", "alb.ingress.kubernetes.io/", "kubernetes.io/ingress.class"];

    private static Dictionary<string, string> ControllerAnnotations(k8s.IKubernetesObject<V1ObjectMeta> item) =>
        (item.Metadata?.Annotations ?? new Dictionary<string, string>())
            .Where(a => ControllerAnnotationPrefixes.Any(p => a.Key.StartsWith(p, StringComparison.Ordinal)))
            .ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);

    /// <summary>A re-list's upserts of unchanged objects are not hints; a flip or a deletion is.</summary>
    internal static bool ReadinessFlipped(ResourceChangeKind kind, bool? before, bool? after) =>
        kind == ResourceChangeKind.Delete ? before == true : before is not null && before != after;

    private static bool? Ready(V1Pod? pod) =>
        pod is null ? null : pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") ?? false;

    private static bool? NodeReady(V1Node? node) =>
        node is null ? null : node.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") ?? false;

    /// <summary>"aws:///us-east-1a/i-0abc…" → "i-0abc…".</summary>
    internal static string? InstanceId(string? providerId) =>
        providerId?.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(p => p.StartsWith("i-", StringComparison.Ordinal));
}
