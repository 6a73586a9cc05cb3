using System.Collections.Immutable;
using Dashboard.Client.Model;

namespace Dashboard.Server.Topology;

/// <summary>The result of the join: every balancer, every exposed endpoint by <see cref="ObjectRef.Key"/>, and the triage list.</summary>
public sealed record EndpointTopology
{
    public static EndpointTopology Empty { get; } = new();

    public ImmutableArray<LoadBalancerViewModel> LoadBalancers { get; init; } = [];

    /// <summary>Services and Ingresses that have or should have a balancer, by <see cref="ObjectRef.Key"/>.</summary>
    public ImmutableDictionary<string, EndpointViewModel> Endpoints { get; init; } = ImmutableDictionary<string, EndpointViewModel>.Empty;

    /// <summary>Every target that is not healthy, most severe first.</summary>
    public ImmutableArray<TriageItem> Triage { get; init; } = [];

    /// <summary>Custom domains and balancer DNS names the checklist would like answers for (lower case).</summary>
    public ImmutableArray<string> HostsToResolve { get; init; } = [];

    /// <summary>The EKS cluster the join decided this is (configured, the sandbox's, or inferred from the tags); null when unknown.</summary>
    public string? ClusterName { get; init; }

    /// <summary>The Kubernetes index the join used, handed to the next join so unchanged parts are not rebuilt.</summary>
    internal KubernetesIndex? Index { get; init; }

    /// <summary>The target groups behind one endpoint: what its page marks as viewed.</summary>
    public static ImmutableArray<string> TargetGroupArnsOf(EndpointViewModel endpoint) =>
        [.. endpoint.LoadBalancers.SelectMany(lb => lb.TargetGroups).Select(tg => tg.Arn).Distinct(StringComparer.Ordinal)];
}
