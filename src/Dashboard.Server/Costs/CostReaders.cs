using System.Collections.Immutable;
using System.Globalization;
using Dashboard.Client.Model;
using Dashboard.Server.Aws.CloudWatch;
using Dashboard.Server.Aws.CostExplorer;
using Dashboard.Server.Aws.ElasticLoadBalancing;

namespace Dashboard.Server.Costs;

/// <summary>The balancers of the region with their tags and target groups (DescribeLoadBalancers, DescribeTargetGroups, DescribeTags).</summary>
public static class BalancerReader
{
    public static async Task<ImmutableArray<CostedBalancer>> ReadAsync(IElasticLoadBalancingClient elb, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(elb);
        var loadBalancers = (await elb.DescribeLoadBalancersAsync(cancellationToken: cancellationToken))
            .Where(lb => lb.Type is BalancerTypes.Application or BalancerTypes.Network)
            .ToList();
        if (loadBalancers.Count == 0)
        {
            return [];
        }
        var balancerTags = await TagsAsync(elb, [.. loadBalancers.Select(lb => lb.LoadBalancerArn)], cancellationToken);

        // Target groups matter only to split an Ingress group's ALB between its members.
        var shared = loadBalancers
            .Where(lb => balancerTags.GetValueOrDefault(lb.LoadBalancerArn)?.GetValueOrDefault(BalancerOwnership.IngressStackTag) is { } stack && !stack.Contains('/', StringComparison.Ordinal))
            .Select(lb => lb.LoadBalancerArn)
            .ToHashSet(StringComparer.Ordinal);
        var groups = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (shared.Count > 0)
        {
            foreach (var group in await elb.DescribeTargetGroupsAsync(cancellationToken: cancellationToken))
            {
                foreach (var arn in group.LoadBalancerArns.Where(shared.Contains))
                {
                    (groups.TryGetValue(arn, out var list) ? list : groups[arn] = []).Add(group.TargetGroupArn);
                }
            }
        }
        var groupTags = await TagsAsync(elb, [.. groups.Values.SelectMany(g => g).Distinct(StringComparer.Ordinal)], cancellationToken);

        return
        [
            .. loadBalancers.Select(lb => new CostedBalancer
            {
                Arn = lb.LoadBalancerArn,
                Name = lb.LoadBalancerName,
                Type = lb.Type!,
                CreatedTime = lb.CreatedTime,
                Tags = balancerTags.GetValueOrDefault(lb.LoadBalancerArn) ?? ImmutableDictionary<string, string>.Empty,
                TargetGroups =
                [
                    .. (groups.GetValueOrDefault(lb.LoadBalancerArn) ?? []).Select(arn =>
                        new CostedTargetGroup(arn, groupTags.GetValueOrDefault(arn) ?? ImmutableDictionary<string, string>.Empty)),
                ],
            }),
        ];
    }

    private static async Task<Dictionary<string, ImmutableDictionary<string, string>>> TagsAsync(IElasticLoadBalancingClient elb, IReadOnlyCollection<string> arns, CancellationToken cancellationToken)
    {
        if (arns.Count == 0)
        {
            return [];
        }
        var descriptions = await elb.DescribeTagsAsync(arns, cancellationToken);
        return descriptions.ToDictionary(
            d => d.ResourceArn,
            d => d.Tags.Where(t => t.Value is not null).GroupBy(t => t.Key, StringComparer.Ordinal).ToImmutableDictionary(g => g.Key, g => g.Last().Value!, StringComparer.Ordinal),
            StringComparer.Ordinal);
    }
}

/// <summary>
/// Usage of every balancer in one batched GetMetricData call (period 3600, Sum): ConsumedLCUs since the first of the
/// month, requests or new flows over the idle window, and requests per target group of shared ALBs.
/// </summary>
public static class UsageReader
{
    private const int Hour = 3600;

    public static async Task<BalancerUsage> ReadAsync(ICloudWatchClient cloudWatch, IReadOnlyList<CostedBalancer> balancers, DateTimeOffset now, TimeSpan idleWindow, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cloudWatch);
        ArgumentNullException.ThrowIfNull(balancers);
        if (balancers.Count == 0)
        {
            return new BalancerUsage();
        }
        var monthStart = CostEstimator.MonthStart(now);
        var idleStart = now - idleWindow;
        var start = HourFloor(monthStart < idleStart ? monthStart : idleStart);
        var queries = new List<MetricDataQuery>();
        var lcu = new Dictionary<string, string>(StringComparer.Ordinal);
        var requests = new Dictionary<string, string>(StringComparer.Ordinal);
        var groupRequests = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < balancers.Count; i++)
        {
            var balancer = balancers[i];
            var network = balancer.Type == BalancerTypes.Network;
            var ns = network ? "AWS/NetworkELB" : "AWS/ApplicationELB";
            Dimension[] dimensions = [new("LoadBalancer", balancer.MetricDimension)];
            lcu[$"lcu{i}"] = balancer.Arn;
            queries.Add(Query($"lcu{i}", ns, "ConsumedLCUs", dimensions));
            requests[$"req{i}"] = balancer.Arn;
            queries.Add(Query($"req{i}", ns, network ? "NewFlowCount" : "RequestCount", dimensions));
            for (var j = 0; j < balancer.TargetGroups.Length && !network; j++)
            {
                var group = balancer.TargetGroups[j];
                groupRequests[$"tg{i}x{j}"] = group.Arn;
                queries.Add(Query($"tg{i}x{j}", ns, "RequestCount", [new("TargetGroup", group.MetricDimension), .. dimensions]));
            }
        }
        var response = await cloudWatch.GetMetricDataAsync(queries, start, now, ScanBy.TimestampAscending, cancellationToken: cancellationToken);
        var results = response.MetricDataResults.ToDictionary(r => r.Id, StringComparer.Ordinal);
        double Sum(string id, DateTimeOffset from) =>
            results.TryGetValue(id, out var result)
                ? result.Timestamps.Zip(result.Values).Where(p => p.First >= HourFloor(from)).Sum(p => p.Second)
                : 0;
        return new BalancerUsage
        {
            LcuHours = lcu.ToImmutableDictionary(p => p.Value, p => Sum(p.Key, monthStart), StringComparer.Ordinal),
            RecentRequests = requests.ToImmutableDictionary(p => p.Value, p => Sum(p.Key, idleStart), StringComparer.Ordinal),
            TargetGroupRequests = groupRequests.ToImmutableDictionary(p => p.Value, p => Sum(p.Key, monthStart), StringComparer.Ordinal),
        };
    }

    private static MetricDataQuery Query(string id, string ns, string metric, IReadOnlyList<Dimension> dimensions) => new()
    {
        Id = id,
        MetricStat = new MetricStat
        {
            Metric = new Metric { Namespace = ns, MetricName = metric, Dimensions = dimensions },
            Period = Hour,
            Stat = "Sum",
        },
    };

    private static DateTimeOffset HourFloor(DateTimeOffset time) => DateTimeOffset.FromUnixTimeSeconds(time.ToUnixTimeSeconds() / Hour * Hour);
}

/// <summary>
/// The Cost Explorer requests of the report, each filtered to SERVICE = "Amazon Elastic Load Balancing". Each method is
/// one request (more when Cost Explorer pages), and each request costs money: the caller caches.
/// </summary>
public static class CostExplorerReader
{
    public const string ElbService = "Amazon Elastic Load Balancing";
    private const string Metric = "UnblendedCost";

    private static CostExpression ElbFilter => CostExpression.Dimension("SERVICE", ElbService);

    /// <summary>Monthly, <paramref name="historyMonths"/> months back and this month, grouped by the cluster tag.</summary>
    public static async Task<CostByClusterTag> ByClusterTagAsync(ICostExplorerClient ce, string? cluster, int historyMonths, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ce);
        var monthStart = DateOnly.FromDateTime(CostEstimator.MonthStart(now).UtcDateTime);
        var answer = await ce.GetCostAndUsageAsync(new CostAndUsageRequest
        {
            TimePeriod = DateInterval.Of(monthStart.AddMonths(-historyMonths), Tomorrow(now)),
            Granularity = Granularity.Monthly,
            Metrics = [Metric],
            Filter = ElbFilter,
            GroupBy = [new GroupDefinition(GroupDefinitionType.Tag, BalancerOwnership.ClusterTag)],
        }, cancellationToken);
        var clusterKey = $"{BalancerOwnership.ClusterTag}${cluster}";
        return new CostByClusterTag(
        [
            .. answer.ResultsByTime.Select(r =>
            {
                var amounts = r.Groups.Select(g => (Key: g.Keys.FirstOrDefault() ?? "", Amount: Amount(g.Metrics))).ToList();
                var account = amounts.Count > 0 ? amounts.Sum(a => a.Amount) : Amount(r.Total);
                decimal? clusterAmount = cluster is null ? null : amounts.Where(a => a.Key == clusterKey).Sum(a => a.Amount);
                return new MonthlyCost(Day(r.TimePeriod.Start), clusterAmount, CostEstimator.Round(account), r.Estimated);
            }),
        ]);
    }

    /// <summary>Daily this month for the cluster's balancers, grouped by the two controllers' stack tags.</summary>
    public static async Task<CostByStackTag> ByStackTagAsync(ICostExplorerClient ce, string? cluster, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ce);
        var monthStart = DateOnly.FromDateTime(CostEstimator.MonthStart(now).UtcDateTime);
        var answer = await ce.GetCostAndUsageAsync(new CostAndUsageRequest
        {
            TimePeriod = DateInterval.Of(monthStart, Tomorrow(now)),
            Granularity = Granularity.Daily,
            Metrics = [Metric],
            Filter = cluster is null ? ElbFilter : CostExpression.AllOf(ElbFilter, CostExpression.Tag(BalancerOwnership.ClusterTag, cluster)),
            GroupBy = [new GroupDefinition(GroupDefinitionType.Tag, BalancerOwnership.ServiceStackTag), new GroupDefinition(GroupDefinitionType.Tag, BalancerOwnership.IngressStackTag)],
        }, cancellationToken);
        var byStack = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var tagged = false;
        foreach (var group in answer.ResultsByTime.SelectMany(r => r.Groups))
        {
            // A group's keys are "tagkey$value", "tagkey$" when the resource has no such tag (or the tag is not activated).
            var key = group.Keys.FirstOrDefault(k => !k.EndsWith('$'));
            if (key is not null)
            {
                tagged = true;
                byStack[key] = byStack.GetValueOrDefault(key) + Amount(group.Metrics);
            }
        }
        return new CostByStackTag(
            [.. answer.ResultsByTime.Select(r => new DailyCost(Day(r.TimePeriod.Start), CostEstimator.Round(r.Groups.Count > 0 ? r.Groups.Sum(g => Amount(g.Metrics)) : Amount(r.Total))))],
            byStack.ToImmutableDictionary(StringComparer.Ordinal),
            tagged);
    }

    /// <summary>Resource-level cost since the first of the month (only when the month started within the 14 days CE keeps).</summary>
    public static async Task<CostByResource> ByResourceAsync(ICostExplorerClient ce, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ce);
        var monthStart = DateOnly.FromDateTime(CostEstimator.MonthStart(now).UtcDateTime);
        var answer = await ce.GetCostAndUsageWithResourcesAsync(new CostAndUsageRequest
        {
            TimePeriod = DateInterval.Of(monthStart, Tomorrow(now)),
            Granularity = Granularity.Daily,
            Metrics = [Metric],
            Filter = ElbFilter,
            GroupBy = [new GroupDefinition(GroupDefinitionType.Dimension, "RESOURCE_ID")],
        }, cancellationToken);
        var byArn = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var group in answer.ResultsByTime.SelectMany(r => r.Groups))
        {
            if (group.Keys.FirstOrDefault() is { Length: > 0 } id)
            {
                byArn[id] = byArn.GetValueOrDefault(id) + Amount(group.Metrics);
            }
        }
        return new CostByResource(byArn.ToImmutableDictionary(StringComparer.Ordinal));
    }

    /// <summary>The forecast from today to the end of the month.</summary>
    public static async Task<CostForecastFigure> ForecastAsync(ICostExplorerClient ce, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ce);
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var monthEnd = DateOnly.FromDateTime(CostEstimator.MonthStart(now).AddMonths(1).UtcDateTime);
        var answer = await ce.GetCostForecastAsync(new CostForecastRequest
        {
            TimePeriod = DateInterval.Of(today, monthEnd),
            Metric = "UNBLENDED_COST",
            Granularity = Granularity.Monthly,
            Filter = ElbFilter,
        }, cancellationToken);
        return new CostForecastFigure(CostEstimator.Round(answer.Total?.Amount ?? answer.ForecastResultsByTime.Sum(r => r.MeanValue ?? 0)));
    }

    /// <summary>Whether the month started within the 14 days of resource-level data.</summary>
    public static bool ResourceDataCoversMonth(DateTimeOffset now) =>
        CostEstimator.MonthStart(now) >= new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(-13);

    private static decimal Amount(IReadOnlyDictionary<string, MetricValue> metrics) => metrics.GetValueOrDefault(Metric)?.Amount ?? 0;

    private static DateOnly Tomorrow(DateTimeOffset now) => DateOnly.FromDateTime(now.UtcDateTime).AddDays(1);

    private static DateOnly Day(string text) => DateOnly.ParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
