using Dashboard.Server.Aws.CloudWatch;
using Dashboard.Server.Aws.ElasticLoadBalancing;

namespace Dashboard.Server.LoadBalancers;

/// <summary>A target group whose host counts CloudWatch is asked for, with the metric dimensions it is published under.</summary>
public sealed record WatchedTargetGroup(string TargetGroupArn, string Namespace, string LoadBalancerDimension, string TargetGroupDimension);

/// <summary>
/// The batched change detector: HealthyHostCount (Minimum) and UnHealthyHostCount (Maximum), period 60 s, of every
/// watched target group in one GetMetricData (the client splits it into calls of 500 queries). CloudWatch bills
/// USD 0.01 per 1,000 metrics requested, i.e. two metrics per group per read.
/// </summary>
public static class HealthCountMetrics
{
    public const int PeriodSeconds = 60;

    /// <summary>How far back a read looks: real ELB metrics arrive a minute or more late.</summary>
    public static readonly TimeSpan Lookback = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The metric identity of <paramref name="targetGroup"/> behind <paramref name="loadBalancer"/>: namespace by balancer
    /// type and the ARN tails as dimensions; null for a type that publishes no host counts.
    /// </summary>
    public static WatchedTargetGroup? Watch(TargetGroup targetGroup, LoadBalancer loadBalancer)
    {
        var metricNamespace = MetricDimensions.Namespace(loadBalancer.Type);
        var lbDimension = MetricDimensions.LoadBalancer(loadBalancer.LoadBalancerArn);
        var tgDimension = MetricDimensions.TargetGroup(targetGroup.TargetGroupArn);
        return metricNamespace is null || lbDimension is null || tgDimension is null
            ? null
            : new WatchedTargetGroup(targetGroup.TargetGroupArn, metricNamespace, lbDimension, tgDimension);
    }

    /// <summary>Two queries per group, ids <c>h{i}</c> and <c>u{i}</c> by position in <paramref name="groups"/>.</summary>
    public static IReadOnlyList<MetricDataQuery> Queries(IReadOnlyList<WatchedTargetGroup> groups)
    {
        var queries = new List<MetricDataQuery>(groups.Count * 2);
        for (var i = 0; i < groups.Count; i++)
        {
            queries.Add(Query($"h{i}", groups[i], "HealthyHostCount", "Minimum"));
            queries.Add(Query($"u{i}", groups[i], "UnHealthyHostCount", "Maximum"));
        }
        return queries;
    }

    /// <summary>The latest minute of each group that has one, by target group ARN.</summary>
    public static IReadOnlyDictionary<string, HealthCountReading> Readings(IReadOnlyList<WatchedTargetGroup> groups, MetricDataResponse response)
    {
        var byId = response.MetricDataResults.ToDictionary(r => r.Id, StringComparer.Ordinal);
        var readings = new Dictionary<string, HealthCountReading>(StringComparer.Ordinal);
        for (var i = 0; i < groups.Count; i++)
        {
            if (!byId.TryGetValue($"h{i}", out var healthy) || Latest(healthy) is not { } latest)
            {
                continue;
            }
            var unhealthy = byId.TryGetValue($"u{i}", out var u) ? ValueAt(u, latest.Timestamp) : null;
            readings[groups[i].TargetGroupArn] = new HealthCountReading(latest.Value, unhealthy ?? 0, latest.Timestamp);
        }
        return readings;
    }

    private static MetricDataQuery Query(string id, WatchedTargetGroup group, string metricName, string stat) => new()
    {
        Id = id,
        MetricStat = new MetricStat
        {
            Metric = new Metric
            {
                Namespace = group.Namespace,
                MetricName = metricName,
                Dimensions = [new Dimension("TargetGroup", group.TargetGroupDimension), new Dimension("LoadBalancer", group.LoadBalancerDimension)],
            },
            Period = PeriodSeconds,
            Stat = stat,
        },
    };

    private static (DateTimeOffset Timestamp, double Value)? Latest(MetricDataResult result)
    {
        (DateTimeOffset Timestamp, double Value)? latest = null;
        for (var i = 0; i < Math.Min(result.Timestamps.Count, result.Values.Count); i++)
        {
            if (latest is null || result.Timestamps[i] > latest.Value.Timestamp)
            {
                latest = (result.Timestamps[i], result.Values[i]);
            }
        }
        return latest;
    }

    private static double? ValueAt(MetricDataResult result, DateTimeOffset timestamp)
    {
        for (var i = 0; i < Math.Min(result.Timestamps.Count, result.Values.Count); i++)
        {
            if (result.Timestamps[i] == timestamp)
            {
                return result.Values[i];
            }
        }
        return null;
    }
}
