using System.Collections.Immutable;
using Dashboard.Server.Kubernetes;
using k8s.Models;

namespace Dashboard.Server.Topology;

/// <summary>
/// The Kubernetes side of the topology join at one moment: the watch caches' objects, copied. Immutable once built (the
/// objects are the caches' own instances, which the caches replace rather than mutate), so the join can run off the
/// caches' threads.
/// </summary>
public sealed record KubernetesSnapshot
{
    public static KubernetesSnapshot Empty { get; } = new();

    public ImmutableArray<V1Service> Services { get; init; } = [];
    public ImmutableArray<V1Ingress> Ingresses { get; init; } = [];
    public ImmutableArray<V1IngressClass> IngressClasses { get; init; } = [];
    public ImmutableArray<V1EndpointSlice> EndpointSlices { get; init; } = [];
    public ImmutableArray<V1Pod> Pods { get; init; } = [];
    public ImmutableArray<V1Node> Nodes { get; init; } = [];
    public ImmutableArray<Corev1Event> Events { get; init; } = [];
    public ImmutableArray<TargetGroupBinding> TargetGroupBindings { get; init; } = [];

    /// <summary>When the snapshot was taken.</summary>
    public DateTimeOffset? AsOf { get; init; }

    /// <summary>Every cache's current items (the caches' own arrays, shared while a kind does not change).</summary>
    public static KubernetesSnapshot From(KubernetesCaches caches, DateTimeOffset now) => new()
    {
        Services = caches.Services.Items,
        Ingresses = caches.Ingresses.Items,
        IngressClasses = caches.IngressClasses.Items,
        EndpointSlices = caches.EndpointSlices.Items,
        Pods = caches.Pods.Items,
        Nodes = caches.Nodes.Items,
        Events = caches.Events.Items,
        TargetGroupBindings = [.. caches.TargetGroupBindings.Snapshot().Select(TargetGroupBinding.From).OfType<TargetGroupBinding>()],
        AsOf = now,
    };
}

/// <summary>
/// A TargetGroupBinding as the join reads it: the target group ARN and the Service port that feeds it (same namespace).
/// <see cref="ServicePort"/> is the port number or name as written.
/// </summary>
public sealed record TargetGroupBinding(string Namespace, string Name, string TargetGroupArn, string? TargetType, string ServiceName, string? ServicePort)
{
    public ImmutableDictionary<string, string> Labels { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Null when the object lacks the target group ARN or the Service name (nothing to join on).</summary>
    public static TargetGroupBinding? From(TargetGroupBindingResource resource)
    {
        var spec = resource.Spec;
        if (string.IsNullOrEmpty(spec?.TargetGroupArn) || string.IsNullOrEmpty(spec.ServiceRef?.Name))
        {
            return null;
        }
        return new TargetGroupBinding(resource.Metadata.NamespaceProperty ?? "default", resource.Metadata.Name ?? "", spec.TargetGroupArn,
            spec.TargetType?.ToLowerInvariant(), spec.ServiceRef.Name, spec.ServiceRef.Port?.Value)
        {
            Labels = resource.Metadata.Labels is null ? ImmutableDictionary<string, string>.Empty : resource.Metadata.Labels.ToImmutableDictionary(StringComparer.Ordinal),
        };
    }
}
