using System.Collections.Immutable;
using Dashboard.Client.Model;
using Dashboard.Server.Inventory;
using Dashboard.Server.Kubernetes;
using k8s.Models;

namespace Dashboard.Server.Topology;

/// <summary>
/// What the topology join reads of the cluster: a frozen copy of the one index (<see cref="ClusterIndex"/>) with the
/// join's own lookups — by name, pod IP, node instance id, involved object, target group ARN. Immutable, so the join runs
/// off the caches' threads. Each kind is copied again only when the index's version of that kind moved since the
/// previous copy: at scale most joins follow an Event or a pod status change, and rebuilding every lookup for each was
/// most of a join's cost.
/// </summary>
internal sealed class KubernetesIndex
{
    public const string ReadinessGatePrefix = "target-health.elbv2.k8s.aws/";

    /// <summary>Indexes a plain snapshot of objects (tests and benchmarks) through the same index the server keeps.</summary>
    public static KubernetesIndex From(KubernetesSnapshot snapshot) =>
        Freeze(ClusterIndex.Of(snapshot.Services, snapshot.Ingresses, snapshot.IngressClasses, snapshot.EndpointSlices, snapshot.Pods,
            snapshot.Nodes, snapshot.Events, snapshot.TargetGroupBindings, snapshot.Deployments), null);

    /// <summary>Copies the index, reusing each part of <paramref name="previous"/> whose kind has not changed since.</summary>
    public static KubernetesIndex Freeze(ClusterIndex index, KubernetesIndex? previous)
    {
        lock (index.Gate)
        {
            return new KubernetesIndex(index, previous);
        }
    }

    private KubernetesIndex(ClusterIndex index, KubernetesIndex? previous)
    {
        var now = index.Versions;
        var before = previous?.Versions;
        Versions = now;

        Services = before?.Services == now.Services ? previous!.Services : new Dictionary<string, V1Service>(index.Services, StringComparer.Ordinal);
        Ingresses = before?.Ingresses == now.Ingresses ? previous!.Ingresses : new Dictionary<string, V1Ingress>(index.Ingresses, StringComparer.Ordinal);
        AlbClasses = before?.IngressClasses == now.IngressClasses ? previous!.AlbClasses
            : index.IngressClasses
                .Where(c => string.Equals(c.Spec?.Controller, IngressDecoder.AlbIngressController, StringComparison.Ordinal))
                .Select(c => c.Metadata?.Name ?? "")
                .ToHashSet(StringComparer.Ordinal);

        if (before?.Pods == now.Pods)
        {
            PodsByIp = previous!.PodsByIp;
            PodsByName = previous.PodsByName;
        }
        else
        {
            (PodsByIp, PodsByName) = IndexPods(index.Pods.Values);
        }

        if (before?.Nodes == now.Nodes)
        {
            NodesByName = previous!.NodesByName;
            NodesByInstanceId = previous.NodesByInstanceId;
        }
        else
        {
            NodesByName = new Dictionary<string, V1Node>(index.Nodes, StringComparer.Ordinal);
            NodesByInstanceId = index.Nodes.Values
                .Select(n => (Id: InstanceId(n.Spec?.ProviderID), Node: n))
                .Where(x => x.Id is not null)
                .GroupBy(x => x.Id!)
                .ToDictionary(g => g.Key, g => g.First().Node, StringComparer.Ordinal);
        }

        EventsByObject = before?.Events == now.Events ? previous!.EventsByObject
            : index.EventsByObject.ToDictionary(
                p => p.Key, p => (IReadOnlyList<Corev1Event>)[.. p.Value.Values.OrderByDescending(KubernetesEvents.LastSeen)], StringComparer.Ordinal);

        SlicesByService = before?.EndpointSlices == now.EndpointSlices ? previous!.SlicesByService
            : index.SlicesByService.ToDictionary(p => p.Key, p => (IReadOnlyList<V1EndpointSlice>)[.. p.Value.Values], StringComparer.Ordinal);

        DeploymentsByNamespace = before?.Deployments == now.Deployments ? previous!.DeploymentsByNamespace
            : index.Deployments
                .GroupBy(d => d.Metadata?.NamespaceProperty ?? "default", StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<V1Deployment>)[.. g.OrderBy(d => d.Metadata?.Name, StringComparer.Ordinal)], StringComparer.Ordinal);

        // Immutable already: the copy is the reference.
        Changes = index.History.Snapshot;

        BindingsByArn = before?.TargetGroupBindings == now.TargetGroupBindings ? previous!.BindingsByArn
            : index.TargetGroupBindings
                .GroupBy(b => b.TargetGroupArn)
                .ToDictionary(g => g.Key, g => g.OrderBy(b => b.Namespace, StringComparer.Ordinal).ThenBy(b => b.Name, StringComparer.Ordinal).First(), StringComparer.Ordinal);
    }

    private static (Dictionary<string, V1Pod> ByIp, Dictionary<string, V1Pod> ByName) IndexPods(IEnumerable<V1Pod> all)
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

    /// <summary>The index's versions this copy was taken at.</summary>
    public IndexVersions Versions { get; }
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

    /// <summary>Recent changes by "Kind/namespace/name" (<see cref="ObjectChangeHistory"/>), oldest first.</summary>
    public System.Collections.Immutable.ImmutableDictionary<string, System.Collections.Immutable.ImmutableArray<ObjectChange>> Changes { get; }

    /// <summary>Deployments by namespace, by name.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<V1Deployment>> DeploymentsByNamespace { get; }

    public static string Key(V1ObjectMeta? meta) => ClusterIndex.KeyOf(meta);

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
