using System.Collections.Immutable;
using Dashboard.Client.Model;
using Dashboard.Server.Kubernetes;
using k8s.Models;

namespace Dashboard.Server.Inventory;

/// <summary>One change of a watched object, as the index saw it arrive.</summary>
public sealed record ObjectChange(DateTimeOffset At, PrecedingChangeKind Kind, string ObjectKind, string Namespace, string Name,
    string? Field, string? From, string? To);

/// <summary>
/// The bounded history of the changes an on-call engineer asks about first ("what changed just before?"): annotation and
/// spec edits of Services and Ingresses, rollouts and scales of Deployments. Fed by <see cref="ClusterIndex"/> from the
/// watch caches' own changes (the object before and after) — nothing is read again. Keeps, per object, the last
/// <see cref="MaxPerObject"/> changes of the last <see cref="Retention"/>; a deleted object's history goes with it. Not
/// thread-safe on its own: the index records under its gate; <see cref="Snapshot"/> is immutable.
/// </summary>
public sealed class ObjectChangeHistory(TimeProvider time)
{
    public const int MaxPerObject = 20;
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    /// <summary>Annotations that change on every apply and say nothing about behaviour.</summary>
    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal)
    {
        "kubectl.kubernetes.io/last-applied-configuration",
        "deployment.kubernetes.io/revision",
        "kubectl.kubernetes.io/restartedAt",
    };

    /// <summary>Changes by "Kind/namespace/name", oldest first.</summary>
    public ImmutableDictionary<string, ImmutableArray<ObjectChange>> Snapshot { get; private set; } =
        ImmutableDictionary<string, ImmutableArray<ObjectChange>>.Empty.WithComparers(StringComparer.Ordinal);

    public static string Key(string kind, string? ns, string name) => $"{kind}/{ns ?? "default"}/{name}";

    public void Services(IReadOnlyList<ResourceChange<V1Service>> changes)
    {
        foreach (var change in changes)
        {
            Record("Service", change, (before, after, add) =>
            {
                Annotations(before.Metadata?.Annotations, after.Metadata?.Annotations, add);
                Field("spec.selector", Map(before.Spec?.Selector), Map(after.Spec?.Selector), add);
                Field("spec.type", before.Spec?.Type, after.Spec?.Type, add);
                Field("spec.loadBalancerClass", before.Spec?.LoadBalancerClass, after.Spec?.LoadBalancerClass, add);
                Field("spec.externalTrafficPolicy", before.Spec?.ExternalTrafficPolicy, after.Spec?.ExternalTrafficPolicy, add);
                Field("spec.ports", Ports(before.Spec?.Ports), Ports(after.Spec?.Ports), add);
                Field("spec.loadBalancerSourceRanges", List(before.Spec?.LoadBalancerSourceRanges), List(after.Spec?.LoadBalancerSourceRanges), add);
            });
        }
    }

    public void Ingresses(IReadOnlyList<ResourceChange<V1Ingress>> changes)
    {
        foreach (var change in changes)
        {
            Record("Ingress", change, (before, after, add) =>
            {
                Annotations(before.Metadata?.Annotations, after.Metadata?.Annotations, add);
                Field("spec.ingressClassName", before.Spec?.IngressClassName, after.Spec?.IngressClassName, add);
                Field("spec.rules", Rules(before), Rules(after), add);
                Field("spec.tls", List(before.Spec?.Tls?.SelectMany(t => t.Hosts ?? [])), List(after.Spec?.Tls?.SelectMany(t => t.Hosts ?? [])), add);
            });
        }
    }

    public void Deployments(IReadOnlyList<ResourceChange<V1Deployment>> changes)
    {
        foreach (var change in changes)
        {
            Record("Deployment", change, (before, after, add) =>
            {
                if (before.Spec?.Replicas != after.Spec?.Replicas)
                {
                    add(PrecedingChangeKind.Scale, null, (before.Spec?.Replicas ?? 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                        (after.Spec?.Replicas ?? 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
                // A new pod template is a rollout (the generation moves, and a new ReplicaSet is made).
                var was = k8s.KubernetesJson.Serialize(before.Spec?.Template);
                var now = k8s.KubernetesJson.Serialize(after.Spec?.Template);
                if (!string.Equals(was, now, StringComparison.Ordinal))
                {
                    var imageBefore = Images(before);
                    var imageAfter = Images(after);
                    add(PrecedingChangeKind.Rollout, imageBefore == imageAfter ? null : "image",
                        imageBefore == imageAfter ? null : imageBefore, imageBefore == imageAfter ? null : imageAfter);
                }
            });
        }
    }

    private delegate void Add(PrecedingChangeKind kind, string? field, string? from, string? to);

    private void Record<T>(string kind, ResourceChange<T> change, Action<T, T, Add> diff) where T : class, k8s.IKubernetesObject<V1ObjectMeta>
    {
        var meta = change.Object.Metadata;
        var key = Key(kind, meta?.NamespaceProperty, meta?.Name ?? "");
        if (change.Kind == ResourceChangeKind.Delete)
        {
            Snapshot = Snapshot.Remove(key);
            return;
        }
        if (change.Previous is not { } previous)
        {
            return;
        }
        var at = time.GetUtcNow();
        var found = new List<ObjectChange>();
        diff(previous, change.Object, (k, field, from, to) =>
            found.Add(new ObjectChange(at, k, kind, meta?.NamespaceProperty ?? "default", meta?.Name ?? "", field, from, to)));
        if (found.Count == 0)
        {
            return;
        }
        var held = Snapshot.GetValueOrDefault(key, []);
        var kept = held.Where(c => at - c.At <= Retention).Concat(found).TakeLast(MaxPerObject).ToImmutableArray();
        Snapshot = Snapshot.SetItem(key, kept);
    }

    private static void Annotations(IDictionary<string, string>? before, IDictionary<string, string>? after, Add add)
    {
        before ??= new Dictionary<string, string>();
        after ??= new Dictionary<string, string>();
        foreach (var key in before.Keys.Union(after.Keys, StringComparer.Ordinal).Where(k => !Ignored.Contains(k)).Order(StringComparer.Ordinal))
        {
            var from = before.TryGetValue(key, out var b) ? b : null;
            var to = after.TryGetValue(key, out var a) ? a : null;
            if (!string.Equals(from, to, StringComparison.Ordinal))
            {
                add(PrecedingChangeKind.Annotation, ShortName(key), from, to);
            }
        }
    }

    private static void Field(string name, string? before, string? after, Add add)
    {
        if (!string.Equals(before, after, StringComparison.Ordinal))
        {
            add(PrecedingChangeKind.Field, name, before, after);
        }
    }

    /// <summary>"healthcheck-path" for the controller's Service and Ingress annotation keys; other keys as they are.</summary>
    public static string ShortName(string annotation)
    {
        foreach (var prefix in (string[])["service.beta.kubernetes.io/aws-load-balancer-", "alb.ingress.kubernetes.io/"])
        {
            if (annotation.StartsWith(prefix, StringComparison.Ordinal) && annotation.Length > prefix.Length)
            {
                return annotation[prefix.Length..];
            }
        }
        return annotation;
    }

    private static string? Map(IDictionary<string, string>? map) =>
        map is null || map.Count == 0 ? null : string.Join(",", map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

    private static string? List(IEnumerable<string>? items) => items is null ? null : string.Join(",", items) is { Length: > 0 } s ? s : null;

    private static string? Ports(IList<V1ServicePort>? ports) =>
        List(ports?.Select(p => $"{p.Port}/{p.Protocol ?? "TCP"}→{p.TargetPort?.Value}"));

    private static string? Rules(V1Ingress ingress) =>
        List(ingress.Spec?.Rules?.SelectMany(r => (r.Http?.Paths ?? []).Select(p =>
            $"{r.Host ?? "*"}{p.Path}→{p.Backend?.Service?.Name}:{p.Backend?.Service?.Port?.Number?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? p.Backend?.Service?.Port?.Name}")));

    private static string? Images(V1Deployment deployment) => List(deployment.Spec?.Template?.Spec?.Containers?.Select(c => c.Image));
}
