using System.Collections.Immutable;
using Dashboard.Client.Model;
using Dashboard.Server.Inventory;
using Dashboard.Server.Kubernetes;
using k8s.Models;

namespace Dashboard.Server.Topology;

/// <summary>The Kubernetes snapshot indexed for the join: by name, pod IP, node instance id and involved object. Pure.</summary>
internal sealed class KubernetesIndex
{
    public const string ReadinessGatePrefix = "target-health.elbv2.k8s.aws/";

    public KubernetesIndex(KubernetesSnapshot snapshot)
        : this(snapshot, null)
    {
    }

    /// <summary>
    /// Indexes <paramref name="snapshot"/>, reusing each part of <paramref name="previous"/> whose source kind is the same
    /// array (a snapshot taken when that cache had not changed): at scale most joins follow an Event or a pod status
    /// change, and rebuilding the pod, Service and slice indexes for each was most of a join's cost.
    /// </summary>
    public KubernetesIndex(KubernetesSnapshot snapshot, KubernetesIndex? previous)
    {
        Snapshot = snapshot;
        var before = previous?.Snapshot;
        bool Same<T>(Func<KubernetesSnapshot, ImmutableArray<T>> kind) => before is not null && kind(before) == kind(snapshot);

        Services = Same(s => s.Services) ? previous!.Services
            : snapshot.Services.GroupBy(s => Key(s.Metadata)).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        Ingresses = Same(s => s.Ingresses) ? previous!.Ingresses
            : snapshot.Ingresses.GroupBy(i => Key(i.Metadata)).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        AlbClasses = Same(s => s.IngressClasses) ? previous!.AlbClasses
            : snapshot.IngressClasses
                .Where(c => string.Equals(c.Spec?.Controller, IngressDecoder.AlbIngressController, StringComparison.Ordinal))
                .Select(c => c.Metadata?.Name ?? "")
                .ToHashSet(StringComparer.Ordinal);

        if (Same(s => s.Pods))
        {
            PodsByIp = previous!.PodsByIp;
            PodsByName = previous.PodsByName;
        }
        else
        {
            (PodsByIp, PodsByName) = IndexPods(snapshot.Pods);
        }

        if (Same(s => s.Nodes))
        {
            NodesByName = previous!.NodesByName;
            NodesByInstanceId = previous.NodesByInstanceId;
        }
        else
        {
            NodesByName = snapshot.Nodes.GroupBy(n => n.Metadata?.Name ?? "").ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            NodesByInstanceId = snapshot.Nodes
                .Select(n => (Id: InstanceId(n.Spec?.ProviderID), Node: n))
                .Where(x => x.Id is not null)
                .GroupBy(x => x.Id!)
                .ToDictionary(g => g.Key, g => g.First().Node, StringComparer.Ordinal);
        }

        EventsByObject = Same(s => s.Events) ? previous!.EventsByObject
            : snapshot.Events
                .GroupBy(KubernetesEvents.InvolvedKey)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<Corev1Event>)[.. g.OrderByDescending(KubernetesEvents.LastSeen)], StringComparer.Ordinal);

        SlicesByService = Same(s => s.EndpointSlices) ? previous!.SlicesByService
            : snapshot.EndpointSlices
                .Where(s => s.Metadata?.Labels?.TryGetValue("kubernetes.io/service-name", out _) == true)
                .GroupBy(s => $"{s.Metadata.NamespaceProperty}/{s.Metadata.Labels["kubernetes.io/service-name"]}")
                .ToDictionary(g => g.Key, g => (IReadOnlyList<V1EndpointSlice>)[.. g], StringComparer.Ordinal);

        BindingsByArn = Same(s => s.TargetGroupBindings) ? previous!.BindingsByArn
            : snapshot.TargetGroupBindings
                .GroupBy(b => b.TargetGroupArn)
                .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    }

    private static (Dictionary<string, V1Pod> ByIp, Dictionary<string, V1Pod> ByName) IndexPods(ImmutableArray<V1Pod> all)
    {
        var byIp = new Dictionary<string, V1Pod>(StringComparer.Ordinal);
        var byName = new Dictionary<string, V1Pod>(StringComparer.Ordinal);
        foreach (var pod in all)
        {
            byName[Key(pod.Metadata)] = pod;
            // Host-network pods share their node's IP: they never stand for an ip target.
            if (pod.Spec?.HostNetwork == true)
            {
                continue;
            }
            foreach (var ip in (pod.Status?.PodIPs ?? []).Select(p => p.Ip).Append(pod.Status?.PodIP).OfType<string>().Distinct(StringComparer.Ordinal))
            {
                // A finished pod may keep the IP its running successor now holds: prefer the running one.
                if (!byIp.TryGetValue(ip, out var held) || (held.Status?.Phase != "Running" && pod.Status?.Phase == "Running"))
                {
                    byIp[ip] = pod;
                }
            }
        }
        return (byIp, byName);
    }

    public KubernetesSnapshot Snapshot { get; }
    public IReadOnlyDictionary<string, V1Service> Services { get; }
    public IReadOnlyDictionary<string, V1Ingress> Ingresses { get; }
    public IReadOnlySet<string> AlbClasses { get; }
    public IReadOnlyDictionary<string, V1Pod> PodsByIp { get; }
    public IReadOnlyDictionary<string, V1Pod> PodsByName { get; }
    public IReadOnlyDictionary<string, V1Node> NodesByName { get; }
    public IReadOnlyDictionary<string, V1Node> NodesByInstanceId { get; }
    public IReadOnlyDictionary<string, IReadOnlyList<Corev1Event>> EventsByObject { get; }
    public IReadOnlyDictionary<string, IReadOnlyList<V1EndpointSlice>> SlicesByService { get; }
    public IReadOnlyDictionary<string, TargetGroupBinding> BindingsByArn { get; }

    public static string Key(V1ObjectMeta? meta) => $"{meta?.NamespaceProperty ?? "default"}/{meta?.Name}";

    public IReadOnlyList<Corev1Event> EventsOf(string kind, string? ns, string name) =>
        EventsByObject.GetValueOrDefault(KubernetesEvents.InvolvedKey(kind, ns, name)) ?? [];

    /// <summary>True when the Ingress is handled by the AWS Load Balancer Controller (deprecated annotation wins over the class name).</summary>
    public bool IsAlb(V1Ingress ingress)
    {
        var annotation = AnnotationValues.Get(ingress.Metadata?.Annotations, IngressDecoder.DeprecatedClassAnnotation);
        if (annotation is not null)
        {
            return string.Equals(annotation, "alb", StringComparison.Ordinal);
        }
        return ingress.Spec?.IngressClassName is { } name && (AlbClasses.Contains(name) || (AlbClasses.Count == 0 && name == "alb"));
    }

    /// <summary>The ALB group an Ingress belongs to: its explicit group name, else its own implicit group (<c>ns/name</c>).</summary>
    public static string GroupOf(V1Ingress ingress) =>
        AnnotationValues.Get(ingress.Metadata?.Annotations, IngressDecoder.Prefix + "group.name") ?? Key(ingress.Metadata);

    /// <summary><c>aws:///us-east-1a/i-0abc</c> → <c>i-0abc</c>.</summary>
    public static string? InstanceId(string? providerId)
    {
        if (string.IsNullOrEmpty(providerId))
        {
            return null;
        }
        var last = providerId[(providerId.LastIndexOf('/') + 1)..];
        return last.StartsWith("i-", StringComparison.Ordinal) ? last : null;
    }

    public static bool IsReady(V1Node node) =>
        node.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    public static bool IsReady(V1Pod pod) =>
        pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    public static PodView ToView(V1Pod pod)
    {
        var statuses = pod.Status?.ContainerStatuses ?? [];
        var gate = pod.Status?.Conditions?.FirstOrDefault(c => c.Type.StartsWith(ReadinessGatePrefix, StringComparison.Ordinal));
        var probe = pod.Spec?.Containers?.Select(c => c.ReadinessProbe?.HttpGet).FirstOrDefault(h => h is not null);
        return new PodView(
            pod.Metadata?.NamespaceProperty ?? "default",
            pod.Metadata?.Name ?? "",
            pod.Status?.Phase ?? "Unknown",
            IsReady(pod),
            statuses.Sum(s => s.RestartCount),
            pod.Spec?.NodeName,
            gate is null ? null : $"{gate.Type}={gate.Status}" + (string.IsNullOrEmpty(gate.Reason) ? "" : $" ({gate.Reason})"),
            probe?.Path,
            probe?.Port?.Value);
    }

    public static NodeView ToView(V1Node node) => new(
        node.Metadata?.Name ?? "",
        IsReady(node),
        node.Metadata?.Labels is { } labels && labels.TryGetValue("topology.kubernetes.io/zone", out var zone) ? zone : null,
        InstanceId(node.Spec?.ProviderID));

    /// <summary>The pod's container waiting in CrashLoopBackOff, if any.</summary>
    public static V1ContainerStatus? CrashLooping(V1Pod pod) =>
        pod.Status?.ContainerStatuses?.FirstOrDefault(s => s.State?.Waiting?.Reason == "CrashLoopBackOff");

    public static ObjectRef Ref(ObjectKind kind, V1ObjectMeta? meta) => new(kind, meta?.NamespaceProperty ?? "default", meta?.Name ?? "");
}
