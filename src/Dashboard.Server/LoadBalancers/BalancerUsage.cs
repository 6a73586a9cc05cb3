using System.Collections.Immutable;
using Dashboard.Server.Aws.CloudWatch;
using Dashboard.Server.Aws.ElasticLoadBalancing;

namespace Dashboard.Server.LoadBalancers;

/// <summary>
/// What the balancers did, from one batched GetMetricData (period one hour, Sum); keys are ARNs. Part of the
/// <see cref="AwsSnapshot"/>: the topology splits a shared ALB between its owners by it, the cost report prices it.
/// </summary>
public sealed record BalancerUsage
{
    /// <summary>When it was read.</summary>
    public DateTimeOffset? AsOf { get; init; }

    /// <summary>The window <see cref="RecentRequests"/> covers.</summary>
    public TimeSpan RecentWindow { get; init; }

    /// <summary>Σ hourly ConsumedLCUs since the first of the month, by balancer.</summary>
    public ImmutableDictionary<string, double> LcuHours { get; init; } = ImmutableDictionary<string, double>.Empty;

    /// <summary>Requests (ALB) or new flows (NLB) over <see cref="RecentWindow"/>, by balancer.</summary>
    public ImmutableDictionary<string, double> RecentRequests { get; init; } = ImmutableDictionary<string, double>.Empty;

    /// <summary>Requests since the first of the month, by target group of an ALB that has several.</summary>
    public ImmutableDictionary<string, double> TargetGroupRequests { get; init; } = ImmutableDictionary<string, double>.Empty;

    /// <summary>The first instant of <paramref name="now"/>'s month (UTC).</summary>
    public static DateTimeOffset MonthStart(DateTimeOffset now) => new(now.UtcDateTime.Year, now.UtcDateTime.Month, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The start of <paramref name="time"/>'s hour (UTC), as ELB bills and CloudWatch's hourly periods count.</summary>
    public static DateTimeOffset HourFloor(DateTimeOffset time) => DateTimeOffset.FromUnixTimeSeconds(time.ToUnixTimeSeconds() / 3600 * 3600);
}

/// <summary>
/// Reads <see cref="BalancerUsage"/> for every Application and Network Load Balancer in one batched GetMetricData (the
/// client splits it into calls of 500 queries): ConsumedLCUs since the first of the month, requests or new flows over
/// the recent window, and requests per target group of ALBs with several target groups (to split a shared ALB).
/// </summary>
public static class BalancerUsageReader
{
    private const int Hour = 3600;

    public static async Task<BalancerUsage> ReadAsync(ICloudWatchClient cloudWatch, IReadOnlyList<LoadBalancer> balancers, IReadOnlyList<TargetGroup> targetGroups,
        DateTimeOffset now, TimeSpan recentWindow, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cloudWatch);
        ArgumentNullException.ThrowIfNull(balancers);
        ArgumentNullException.ThrowIfNull(targetGroups);
        var groupsByBalancer = targetGroups
            .SelectMany(tg => tg.LoadBalancerArns.Select(lb => (Balancer: lb, Group: tg.TargetGroupArn)))
            .GroupBy(p => p.Balancer, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(p => p.Group).Distinct(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        var monthStart = BalancerUsage.MonthStart(now);
        var recentStart = now - recentWindow;
        var start = BalancerUsage.HourFloor(monthStart < recentStart ? monthStart : recentStart);
        var queries = new List<MetricDataQuery>();
        var lcu = new Dictionary<string, string>(StringComparer.Ordinal);
        var requests = new Dictionary<string, string>(StringComparer.Ordinal);
        var groupRequests = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < balancers.Count; i++)
        {
            var balancer = balancers[i];
            var network = balancer.Type == "network";
            if (balancer.Type is not ("application" or "network") || MetricDimensions.LoadBalancer(balancer.LoadBalancerArn) is not { } dimension)
            {
                continue;
            }
            var ns = MetricDimensions.Namespace(balancer.Type)!;
            Dimension[] dimensions = [new("LoadBalancer", dimension)];
            lcu[$"lcu{i}"] = balancer.LoadBalancerArn;
            queries.Add(Query($"lcu{i}", ns, "ConsumedLCUs", dimensions));
            requests[$"req{i}"] = balancer.LoadBalancerArn;
            queries.Add(Query($"req{i}", ns, network ? "NewFlowCount" : "RequestCount", dimensions));
            var groups = groupsByBalancer.GetValueOrDefault(balancer.LoadBalancerArn) ?? [];
            for (var j = 0; j < groups.Count && !network && groups.Count > 1; j++)
            {
                if (MetricDimensions.TargetGroup(groups[j]) is { } group)
                {
                    groupRequests[$"tg{i}x{j}"] = groups[j];
                    queries.Add(Query($"tg{i}x{j}", ns, "RequestCount", [new("TargetGroup", group), .. dimensions]));
                }
            }
        }
        if (queries.Count == 0)
        {
            return new BalancerUsage { AsOf = now, RecentWindow = recentWindow };
        }
        var response = await cloudWatch.GetMetricDataAsync(queries, start, now, ScanBy.TimestampAscending, cancellationToken: cancellationToken);
        var results = response.MetricDataResults.ToDictionary(r => r.Id, StringComparer.Ordinal);
        double Sum(string id, DateTimeOffset from) =>
            results.TryGetValue(id, out var result)
                ? result.Timestamps.Zip(result.Values).Where(p => p.First >= BalancerUsage.HourFloor(from)).Sum(p => p.Second)
                : 0;
        return new BalancerUsage
        {
            AsOf = now,
            RecentWindow = recentWindow,
            LcuHours = lcu.ToImmutableDictionary(p => p.Value, p => Sum(p.Key, monthStart), StringComparer.Ordinal),
            RecentRequests = requests.ToImmutableDictionary(p => p.Value, p => Sum(p.Key, recentStart), StringComparer.Ordinal),
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
}
