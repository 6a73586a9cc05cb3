using System.Collections.Immutable;
using System.Globalization;
using Dashboard.Client.Model;
using Dashboard.Server.Aws.CostExplorer;
using Dashboard.Server.LoadBalancers;

namespace Dashboard.Server.Costs;

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
            GroupBy = [new GroupDefinition(GroupDefinitionType.Tag, ControllerTags.Cluster)],
        }, cancellationToken);
        var clusterKey = $"{ControllerTags.Cluster}${cluster}";
        return new CostByClusterTag(
        [
            .. answer.ResultsByTime.Select(r =>
            {
                var amounts = r.Groups.Select(g => (Key: g.Keys.FirstOrDefault() ?? "", Amount: Amount(g.Metrics))).ToList();
                var account = amounts.Count > 0 ? amounts.Sum(a => a.Amount) : Amount(r.Total);
                decimal? clusterAmount = cluster is null ? null : amounts.Where(a => a.Key == clusterKey).Sum(a => a.Amount);
                // "key$" is Cost Explorer's group for resources without the tag (or before the tag was activated for cost allocation).
                var untagged = amounts.Where(a => a.Key == $"{ControllerTags.Cluster}$").Sum(a => a.Amount);
                decimal? others = cluster is null ? null : amounts.Where(a => a.Key != clusterKey && a.Key != $"{ControllerTags.Cluster}$").Sum(a => a.Amount);
                return new MonthlyCost(Day(r.TimePeriod.Start), clusterAmount, CostEstimator.Round(account), r.Estimated,
                    amounts.Count > 0 ? CostEstimator.Round(untagged) : null, others is { } o ? CostEstimator.Round(o) : null);
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
            Filter = cluster is null ? ElbFilter : CostExpression.AllOf(ElbFilter, CostExpression.Tag(ControllerTags.Cluster, cluster)),
            GroupBy = [new GroupDefinition(GroupDefinitionType.Tag, ControllerTags.ServiceStack), new GroupDefinition(GroupDefinitionType.Tag, ControllerTags.IngressStack)],
        }, cancellationToken);
        var byStack = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var daily = new Dictionary<string, List<DailyCost>>(StringComparer.Ordinal);
        var tagged = false;
        foreach (var result in answer.ResultsByTime)
        {
            foreach (var group in result.Groups)
            {
                // A group's keys are "tagkey$value", "tagkey$" when the resource has no such tag (or the tag is not activated).
                var key = group.Keys.FirstOrDefault(k => !k.EndsWith('$'));
                if (key is not null)
                {
                    tagged = true;
                    byStack[key] = byStack.GetValueOrDefault(key) + Amount(group.Metrics);
                    AddDay(daily, key, Day(result.TimePeriod.Start), Amount(group.Metrics));
                }
            }
        }
        return new CostByStackTag(
            [.. answer.ResultsByTime.Select(r => new DailyCost(Day(r.TimePeriod.Start), CostEstimator.Round(r.Groups.Count > 0 ? r.Groups.Sum(g => Amount(g.Metrics)) : Amount(r.Total))))],
            byStack.ToImmutableDictionary(StringComparer.Ordinal),
            tagged,
            Days(daily));
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
        var daily = new Dictionary<string, List<DailyCost>>(StringComparer.Ordinal);
        foreach (var result in answer.ResultsByTime)
        {
            foreach (var group in result.Groups)
            {
                if (group.Keys.FirstOrDefault() is { Length: > 0 } id)
                {
                    byArn[id] = byArn.GetValueOrDefault(id) + Amount(group.Metrics);
                    AddDay(daily, id, Day(result.TimePeriod.Start), Amount(group.Metrics));
                }
            }
        }
        return new CostByResource(byArn.ToImmutableDictionary(StringComparer.Ordinal), Days(daily));
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

    private static void AddDay(Dictionary<string, List<DailyCost>> daily, string key, DateOnly day, decimal amount)
    {
        if (!daily.TryGetValue(key, out var days))
        {
            daily[key] = days = [];
        }
        var at = days.FindIndex(d => d.Day == day);
        if (at >= 0)
        {
            days[at] = days[at] with { Amount = days[at].Amount + amount };
        }
        else
        {
            days.Add(new DailyCost(day, amount));
        }
    }

    private static ImmutableDictionary<string, ImmutableArray<DailyCost>> Days(Dictionary<string, List<DailyCost>> daily) =>
        daily.ToImmutableDictionary(p => p.Key, p => p.Value.OrderBy(d => d.Day).Select(d => d with { Amount = CostEstimator.Round(d.Amount) }).ToImmutableArray(),
            StringComparer.Ordinal);

    private static decimal Amount(IReadOnlyDictionary<string, MetricValue> metrics) => metrics.GetValueOrDefault(Metric)?.Amount ?? 0;

    private static DateOnly Tomorrow(DateTimeOffset now) => DateOnly.FromDateTime(now.UtcDateTime).AddDays(1);

    private static DateOnly Day(string text) => DateOnly.ParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
