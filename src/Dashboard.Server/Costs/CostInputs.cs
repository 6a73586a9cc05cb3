using System.Collections.Immutable;
using Dashboard.Client.Model;

namespace Dashboard.Server.Costs;

/// <summary>A load balancer as the cost report needs it: identity, type, age, tags and target groups.</summary>
public sealed record CostedBalancer
{
    public required string Arn { get; init; }
    public required string Name { get; init; }

    /// <summary><c>application</c> or <c>network</c>.</summary>
    public required string Type { get; init; }
    public DateTimeOffset? CreatedTime { get; init; }
    public ImmutableDictionary<string, string> Tags { get; init; } = ImmutableDictionary<string, string>.Empty;
    public ImmutableArray<CostedTargetGroup> TargetGroups { get; init; } = [];

    /// <summary>The CloudWatch <c>LoadBalancer</c> dimension: the ARN's tail, <c>app/{name}/{id}</c> or <c>net/{name}/{id}</c>.</summary>
    public string MetricDimension => MetricDimensions.LoadBalancer(Arn);
}

/// <summary>A target group of a balancer with its tags (<c>ingress.k8s.aws/resource</c> names the Ingress backend it serves).</summary>
public sealed record CostedTargetGroup(string Arn, ImmutableDictionary<string, string> Tags)
{
    /// <summary>The CloudWatch <c>TargetGroup</c> dimension: <c>targetgroup/{name}/{id}</c>.</summary>
    public string MetricDimension => MetricDimensions.TargetGroup(Arn);
}

/// <summary>What the balancers did, from one batched GetMetricData call; keys are ARNs.</summary>
public sealed record BalancerUsage
{
    /// <summary>Σ hourly ConsumedLCUs since the first of the month, by balancer.</summary>
    public ImmutableDictionary<string, double> LcuHours { get; init; } = ImmutableDictionary<string, double>.Empty;

    /// <summary>Requests (ALB) or new flows (NLB) over the idle window, by balancer.</summary>
    public ImmutableDictionary<string, double> RecentRequests { get; init; } = ImmutableDictionary<string, double>.Empty;

    /// <summary>Requests since the first of the month, by target group of a shared ALB.</summary>
    public ImmutableDictionary<string, double> TargetGroupRequests { get; init; } = ImmutableDictionary<string, double>.Empty;
}

/// <summary>The Services and Ingresses of the cluster, as the inventory holds them; <see cref="Known"/> once it has synced.</summary>
public sealed record ClusterObjects(
    bool Known,
    IReadOnlyDictionary<string, ServiceViewModel> Services,
    IReadOnlyDictionary<string, IngressViewModel> Ingresses)
{
    public static ClusterObjects Unknown { get; } = new(false, ImmutableDictionary<string, ServiceViewModel>.Empty, ImmutableDictionary<string, IngressViewModel>.Empty);
}

/// <summary>Cost Explorer's monthly ELB cost grouped by the cluster tag: the trend, this month and last month.</summary>
public sealed record CostByClusterTag(ImmutableArray<MonthlyCost> Months);

/// <summary>Cost Explorer's daily ELB cost of the cluster this month grouped by the controller's stack tags.</summary>
public sealed record CostByStackTag(ImmutableArray<DailyCost> Days, ImmutableDictionary<string, decimal> MonthToDateByStack, bool TagsActivated);

/// <summary>Cost Explorer's resource-level ELB cost this month (opt-in data, last 14 days), by balancer ARN.</summary>
public sealed record CostByResource(ImmutableDictionary<string, decimal> MonthToDateByArn);

/// <summary>Cost Explorer's month-end forecast for Elastic Load Balancing.</summary>
public sealed record CostForecastFigure(decimal Amount);

/// <summary>CloudWatch dimension values from ELBv2 ARNs.</summary>
public static class MetricDimensions
{
    private const string LoadBalancerMarker = ":loadbalancer/";

    /// <summary><c>arn:…:loadbalancer/app/web/50dc6c495c0c9188</c> → <c>app/web/50dc6c495c0c9188</c>.</summary>
    public static string LoadBalancer(string arn)
    {
        var at = arn.IndexOf(LoadBalancerMarker, StringComparison.Ordinal);
        return at < 0 ? arn : arn[(at + LoadBalancerMarker.Length)..];
    }

    /// <summary><c>arn:…:targetgroup/web/73e2d6bc24d8a067</c> → <c>targetgroup/web/73e2d6bc24d8a067</c>.</summary>
    public static string TargetGroup(string arn) => arn[(arn.LastIndexOf(':') + 1)..];
}
