using System.Collections.Immutable;
using Dashboard.Server.Aws.ElasticLoadBalancing;
using Dashboard.Server.LoadBalancers;

namespace Dashboard.Server.Topology;

/// <summary>The AWS snapshot indexed for the join: target groups by ARN and by balancer, forwards, tags, DNS names. Pure.</summary>
internal sealed class AwsIndex
{
    public const string ClusterTag = ControllerTags.Cluster;
    public const string ServiceStackTag = ControllerTags.ServiceStack;
    public const string ServiceResourceTag = ControllerTags.ServiceResource;
    public const string IngressStackTag = ControllerTags.IngressStack;
    public const string IngressResourceTag = ControllerTags.IngressResource;
    public const string InTreeServiceTag = ControllerTags.InTreeService;
    public const string InTreeClusterTagPrefix = ControllerTags.InTreeClusterPrefix;

    public AwsIndex(AwsSnapshot snapshot)
    {
        Snapshot = snapshot;
        TargetGroups = snapshot.TargetGroups.GroupBy(t => t.TargetGroupArn).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

        var byBalancer = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var forwarded = new HashSet<string>(StringComparer.Ordinal);
        void Link(string lb, string tg)
        {
            if (!byBalancer.TryGetValue(lb, out var list))
            {
                byBalancer[lb] = list = [];
            }
            if (!list.Contains(tg, StringComparer.Ordinal))
            {
                list.Add(tg);
            }
        }
        foreach (var tg in snapshot.TargetGroups)
        {
            foreach (var lb in tg.LoadBalancerArns)
            {
                Link(lb, tg.TargetGroupArn);
            }
        }
        foreach (var (lb, listeners) in snapshot.Listeners)
        {
            foreach (var listener in listeners)
            {
                var actions = listener.DefaultActions.Concat(snapshot.Rules.GetValueOrDefault(listener.ListenerArn, []).SelectMany(r => r.Actions));
                foreach (var arn in actions.SelectMany(ForwardedArns))
                {
                    forwarded.Add(arn);
                    Link(lb, arn);
                }
            }
        }
        TargetGroupsByBalancer = byBalancer.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value, StringComparer.Ordinal);
        Forwarded = forwarded.ToHashSet(StringComparer.Ordinal);
        BalancersByDnsName = snapshot.LoadBalancers
            .Where(lb => !string.IsNullOrEmpty(lb.DnsName))
            .GroupBy(lb => DnsAnswer.Normalize(lb.DnsName!))
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    }

    public AwsSnapshot Snapshot { get; }
    public IReadOnlyDictionary<string, TargetGroup> TargetGroups { get; }
    public IReadOnlyDictionary<string, IReadOnlyList<string>> TargetGroupsByBalancer { get; }

    /// <summary>Target groups some listener or rule forwards to.</summary>
    public IReadOnlySet<string> Forwarded { get; }
    public IReadOnlyDictionary<string, LoadBalancer> BalancersByDnsName { get; }

    public ImmutableDictionary<string, string> TagsOf(string arn) =>
        Snapshot.Tags.GetValueOrDefault(arn) ?? ImmutableDictionary<string, string>.Empty;

    /// <summary>The cluster a resource is tagged for, by the controller's tag or the in-tree provider's.</summary>
    public static string? ClusterOf(ImmutableDictionary<string, string> tags)
    {
        if (tags.TryGetValue(ClusterTag, out var cluster) && cluster.Length > 0)
        {
            return cluster;
        }
        foreach (var key in tags.Keys)
        {
            if (key.StartsWith(InTreeClusterTagPrefix, StringComparison.Ordinal) && key.Length > InTreeClusterTagPrefix.Length)
            {
                return key[InTreeClusterTagPrefix.Length..];
            }
        }
        return null;
    }

    public static IEnumerable<string> ForwardedArns(ListenerAction action)
    {
        if (!string.Equals(action.Type, "forward", StringComparison.OrdinalIgnoreCase))
        {
            yield break;
        }
        if (action.ForwardConfig is { TargetGroups.Count: > 0 } config)
        {
            foreach (var tuple in config.TargetGroups)
            {
                yield return tuple.TargetGroupArn;
            }
        }
        else if (!string.IsNullOrEmpty(action.TargetGroupArn))
        {
            yield return action.TargetGroupArn;
        }
    }
}
