using System.Collections.Immutable;
using Dashboard.Client.Model;
using Dashboard.Server.Costs;

namespace Dashboard.Server.Tests.Costs;

/// <summary>Balancers, owners and usage shaped like the controllers tag them, for the cost unit tests.</summary>
internal static class CostFixtures
{
    public const string Cluster = "retail-forecast-cluster";

    /// <summary>2025-06-11 10:30 UTC: 10 days and 10 hours into a 30-day month.</summary>
    public static readonly DateTimeOffset Now = new(2025, 6, 11, 10, 30, 0, TimeSpan.Zero);

    public static CostedBalancer ServiceNlb(string ns, string name, DateTimeOffset? created = null) => new()
    {
        Arn = $"arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/k8s-{ns}-{name}/0123456789abcdef",
        Name = $"k8s-{ns}-{name}",
        Type = BalancerTypes.Network,
        CreatedTime = created ?? new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero),
        Tags = ImmutableDictionary<string, string>.Empty
            .Add(BalancerOwnership.ClusterTag, Cluster)
            .Add(BalancerOwnership.ServiceStackTag, $"{ns}/{name}"),
    };

    public static CostedBalancer GroupAlb(string group, params (string Namespace, string Ingress, string Service)[] backends) => new()
    {
        Arn = $"arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/k8s-{group}/fedcba9876543210",
        Name = $"k8s-{group}",
        Type = BalancerTypes.Application,
        CreatedTime = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero),
        Tags = ImmutableDictionary<string, string>.Empty
            .Add(BalancerOwnership.ClusterTag, Cluster)
            .Add(BalancerOwnership.IngressStackTag, group),
        TargetGroups =
        [
            .. backends.Select((b, i) => new CostedTargetGroup(
                $"arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/k8s-{b.Service}/{i:D16}",
                ImmutableDictionary<string, string>.Empty.Add(BalancerOwnership.IngressResourceTag, $"{b.Namespace}/{b.Ingress}-{b.Service}:80"))),
        ],
    };

    public static ServiceViewModel Service(string ns, string name, string? team = null) => new()
    {
        Uid = Guid.NewGuid().ToString(),
        Namespace = ns,
        Name = name,
        Type = "LoadBalancer",
        CreatedAt = Now.AddDays(-30),
        Labels = team is null ? ImmutableDictionary<string, string>.Empty : ImmutableDictionary<string, string>.Empty.Add("team", team),
    };

    public static IngressViewModel Ingress(string ns, string name, string? group = null) => new()
    {
        Uid = Guid.NewGuid().ToString(),
        Namespace = ns,
        Name = name,
        GroupName = group,
        CreatedAt = Now.AddDays(-30),
    };

    public static ClusterObjects Objects(IEnumerable<ServiceViewModel> services, IEnumerable<IngressViewModel> ingresses, bool known = true) =>
        new(known, services.ToImmutableDictionary(s => s.Key), ingresses.ToImmutableDictionary(i => i.Key));
}
