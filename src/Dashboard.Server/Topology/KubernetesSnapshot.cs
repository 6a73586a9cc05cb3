using System.Collections.Immutable;
using Dashboard.Server.Kubernetes;
using k8s.Models;

namespace Dashboard.Server.Topology;

/// <summary>
/// A plain set of Kubernetes objects for the topology's pure entry point (tests, benchmarks): indexed through the same
/// <see cref="Inventory.ClusterIndex"/> the server keeps live (<see cref="KubernetesIndex.From"/>).
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
    public ImmutableArray<V1Deployment> Deployments { get; init; } = [];

    /// <summary>When the snapshot was taken.</summary>
    public DateTimeOffset? AsOf { get; init; }
}
