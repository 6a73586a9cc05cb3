using Dashboard.Server.Kubernetes;
using Dashboard.Server.LoadBalancers;
using k8s.Models;

namespace Dashboard.Server.TargetHealthPolling;

/// <summary>
/// Kubernetes often knows first: a pod whose readiness probe starts failing usually fails the load balancer's health
/// check too, and a node going NotReady takes its instance targets with it. This watches the shared pod and node caches
/// (no extra API calls) and tells the poller which targets to re-read now, so a quiet target group does not wait for the
/// next CloudWatch minute. AWS stays the source of truth: the hint only moves a DescribeTargetHealth forward.
/// </summary>
public sealed class KubernetesHealthHints(IServiceProvider services, AwsPoller poller) : IHostedService
{
    private KubernetesCaches? _caches;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _caches = services.GetService<KubernetesCaches>();
        if (_caches is not null)
        {
            _caches.Pods.Changed += OnPods;
            _caches.Nodes.Changed += OnNodes;
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (_caches is not null)
        {
            _caches.Pods.Changed -= OnPods;
            _caches.Nodes.Changed -= OnNodes;
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
