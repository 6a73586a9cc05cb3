using System.Collections.Immutable;
using Dashboard.Client.Model;
using Dashboard.Server.LoadBalancers;

namespace Dashboard.Server.Tests.Costs;

/// <summary>Balancers as the topology hands them to the cost report (owners and shares decided), for the cost unit tests.</summary>
internal static class CostFixtures
{
    public const string Cluster = "retail-forecast-cluster";

    /// <summary>2025-06-11 10:30 UTC: 10 days and 10 hours into a 30-day month.</summary>
    public static readonly DateTimeOffset Now = new(2025, 6, 11, 10, 30, 0, TimeSpan.Zero);

    private static readonly DateTimeOffset Created = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>An AWS Load Balancer Controller NLB owned by its live Service.</summary>
    public static LoadBalancerViewModel ServiceNlb(string ns, string name, DateTimeOffset? created = null, string cluster = Cluster) => new()
    {
        Arn = $"arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/k8s-{ns}-{name}/0123456789abcdef",
        Name = $"k8s-{ns}-{name}",
        Type = "network",
        Scheme = "internet-facing",
        State = "active",
        DnsName = $"k8s-{ns}-{name}.elb.us-east-1.amazonaws.com",
        CreatedAt = created ?? Created,
        Owners = [new BalancerOwner(ObjectKind.Service, ns, name)],
        TaggedOwner = new ObjectRef(ObjectKind.Service, ns, name),
        Cluster = cluster,
        LinkedBy = LinkSource.ControllerTags,
        Tags = ImmutableDictionary<string, string>.Empty.Add(ControllerTags.Cluster, cluster).Add(ControllerTags.ServiceStack, $"{ns}/{name}"),
    };

    /// <summary>The same NLB after its Service was deleted: the topology calls it an orphan and names no owner.</summary>
    public static LoadBalancerViewModel OrphanNlb(string ns, string name) => ServiceNlb(ns, name) with
    {
        Owners = [],
        LinkedBy = null,
        Flags = LoadBalancerFlags.Orphan,
    };

    /// <summary>An Ingress group's shared ALB, each member with the share the topology gave it.</summary>
    public static LoadBalancerViewModel GroupAlb(string group, params (string Namespace, string Ingress, double Share)[] members) => new()
    {
        Arn = $"arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/k8s-{group}/fedcba9876543210",
        Name = $"k8s-{group}",
        Type = "application",
        Scheme = "internet-facing",
        State = "active",
        DnsName = $"k8s-{group}.us-east-1.elb.amazonaws.com",
        CreatedAt = Created,
        Owners = [.. members.Select(m => new BalancerOwner(ObjectKind.Ingress, m.Namespace, m.Ingress, m.Share))],
        IngressGroup = group,
        Cluster = Cluster,
        LinkedBy = LinkSource.ControllerTags,
        Flags = (members.Length > 1 ? LoadBalancerFlags.Shared : LoadBalancerFlags.None) | (members.Length == 0 ? LoadBalancerFlags.Orphan : LoadBalancerFlags.None),
        Tags = ImmutableDictionary<string, string>.Empty.Add(ControllerTags.Cluster, Cluster).Add(ControllerTags.IngressStack, group),
    };

    /// <summary>Recent requests for each balancer, well above the idle threshold.</summary>
    public static BalancerUsage Busy(params LoadBalancerViewModel[] balancers) => new()
    {
        RecentRequests = balancers.ToImmutableDictionary(b => b.Arn, _ => 5000.0),
    };
}
