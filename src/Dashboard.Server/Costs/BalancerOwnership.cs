using System.Collections.Immutable;
using Dashboard.Client.Model;

namespace Dashboard.Server.Costs;

/// <summary>Who owns a balancer, read from the tags the controllers write.</summary>
public sealed record BalancerOwners
{
    /// <summary>The owner objects; the members of an Ingress group, each with the target groups that serve it.</summary>
    public ImmutableArray<OwnerCandidate> Owners { get; init; } = [];

    /// <summary>The explicit Ingress group (<c>alb.ingress.kubernetes.io/group.name</c>) the balancer serves, if any.</summary>
    public string? IngressGroup { get; init; }

    /// <summary>Tagged for the cluster but every owner object is gone (only decided once the inventory has synced).</summary>
    public bool Orphan { get; init; }

    /// <summary>What the tags say the owner was, for the orphan's explanation, e.g. "Service mlops/old-nlb".</summary>
    public string? TaggedOwner { get; init; }
}

/// <summary>An owner object and whether it still exists.</summary>
public sealed record OwnerCandidate(ObjectKind Kind, string Namespace, string Name, bool Exists, string? Team)
{
    public string Key => $"{Namespace}/{Name}";
}

/// <summary>
/// Maps a balancer to the Kubernetes objects that own it, in the controllers' order of trust:
/// <c>service.k8s.aws/stack</c> (AWS Load Balancer Controller, Service), <c>ingress.k8s.aws/stack</c> (Ingress or Ingress
/// group), <c>kubernetes.io/service-name</c> (in-tree cloud provider). Pure.
/// </summary>
public static class BalancerOwnership
{
    public const string ClusterTag = "elbv2.k8s.aws/cluster";
    public const string ServiceStackTag = "service.k8s.aws/stack";
    public const string IngressStackTag = "ingress.k8s.aws/stack";
    public const string IngressResourceTag = "ingress.k8s.aws/resource";
    public const string InTreeServiceTag = "kubernetes.io/service-name";
    public const string InTreeClusterTagPrefix = "kubernetes.io/cluster/";

    /// <summary>Whether the balancer was created for <paramref name="cluster"/> (either controller's cluster tag).</summary>
    public static bool BelongsTo(CostedBalancer balancer, string? cluster)
    {
        ArgumentNullException.ThrowIfNull(balancer);
        if (cluster is null)
        {
            return balancer.Tags.ContainsKey(ClusterTag) || balancer.Tags.Keys.Any(k => k.StartsWith(InTreeClusterTagPrefix, StringComparison.Ordinal));
        }
        return (balancer.Tags.TryGetValue(ClusterTag, out var tagged) && tagged == cluster)
            || balancer.Tags.ContainsKey(InTreeClusterTagPrefix + cluster);
    }

    /// <summary>The cluster most balancers are tagged for, when none is configured.</summary>
    public static string? InferCluster(IEnumerable<CostedBalancer> balancers) =>
        balancers.Select(b => b.Tags.GetValueOrDefault(ClusterTag)).OfType<string>()
            .GroupBy(c => c, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Key).FirstOrDefault();

    public static BalancerOwners OwnersOf(CostedBalancer balancer, ClusterObjects cluster, string teamLabel)
    {
        ArgumentNullException.ThrowIfNull(balancer);
        ArgumentNullException.ThrowIfNull(cluster);
        if (balancer.Tags.TryGetValue(ServiceStackTag, out var serviceStack) && Split(serviceStack) is { } service)
        {
            return Single(ObjectKind.Service, service, cluster, teamLabel);
        }
        if (balancer.Tags.TryGetValue(IngressStackTag, out var ingressStack))
        {
            if (Split(ingressStack) is { } ingress)
            {
                return Single(ObjectKind.Ingress, ingress, cluster, teamLabel);
            }
            var members = cluster.Ingresses.Values
                .Where(i => string.Equals(i.GroupName, ingressStack, StringComparison.Ordinal))
                .OrderBy(i => i.GroupOrder ?? 0).ThenBy(i => i.Key, StringComparer.Ordinal)
                .Select(i => new OwnerCandidate(ObjectKind.Ingress, i.Namespace, i.Name, true, i.Labels.GetValueOrDefault(teamLabel)))
                .ToImmutableArray();
            return new BalancerOwners
            {
                Owners = members,
                IngressGroup = ingressStack,
                Orphan = cluster.Known && members.IsEmpty,
                TaggedOwner = $"Ingress group {ingressStack}",
            };
        }
        if (balancer.Tags.TryGetValue(InTreeServiceTag, out var inTree) && Split(inTree) is { } inTreeService)
        {
            return Single(ObjectKind.Service, inTreeService, cluster, teamLabel);
        }
        return new BalancerOwners();
    }

    /// <summary>
    /// For each owner of a shared ALB, the target groups that serve it: the controller tags each target group
    /// <c>ingress.k8s.aws/resource</c> = <c>{namespace}/{ingress}-{service}:{port}</c>; the longest matching Ingress wins.
    /// </summary>
    public static ImmutableDictionary<string, ImmutableArray<string>> TargetGroupsByOwner(CostedBalancer balancer, IReadOnlyList<OwnerCandidate> owners)
    {
        ArgumentNullException.ThrowIfNull(balancer);
        ArgumentNullException.ThrowIfNull(owners);
        var result = owners.ToDictionary(o => o.Key, _ => new List<string>(), StringComparer.Ordinal);
        foreach (var group in balancer.TargetGroups)
        {
            if (!group.Tags.TryGetValue(IngressResourceTag, out var resource))
            {
                continue;
            }
            var owner = owners.Where(o => resource.StartsWith(o.Key + "-", StringComparison.Ordinal))
                .OrderByDescending(o => o.Key.Length).FirstOrDefault();
            if (owner is not null)
            {
                result[owner.Key].Add(group.Arn);
            }
        }
        return result.ToImmutableDictionary(p => p.Key, p => p.Value.ToImmutableArray(), StringComparer.Ordinal);
    }

    private static BalancerOwners Single(ObjectKind kind, (string Namespace, string Name) key, ClusterObjects cluster, string teamLabel)
    {
        var id = $"{key.Namespace}/{key.Name}";
        ImmutableDictionary<string, string>? labels = kind == ObjectKind.Service
            ? cluster.Services.GetValueOrDefault(id)?.Labels
            : cluster.Ingresses.GetValueOrDefault(id)?.Labels;
        var exists = labels is not null;
        return new BalancerOwners
        {
            Owners = [new OwnerCandidate(kind, key.Namespace, key.Name, exists || !cluster.Known, labels?.GetValueOrDefault(teamLabel))],
            Orphan = cluster.Known && !exists,
            TaggedOwner = $"{kind} {id}",
        };
    }

    private static (string Namespace, string Name)? Split(string value)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && slash < value.Length - 1 && value.IndexOf('/', slash + 1) < 0 ? (value[..slash], value[(slash + 1)..]) : null;
    }
}
