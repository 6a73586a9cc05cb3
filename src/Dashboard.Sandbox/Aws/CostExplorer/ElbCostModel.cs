using System.Collections.Immutable;
using Dashboard.Sandbox.Aws.CloudWatch;

namespace Dashboard.Sandbox.Aws.CostExplorer;

/// <summary>List prices the cost model bills at (us-east-1 defaults; keep them configurable per region).</summary>
public sealed record ElbPrices
{
    public decimal ApplicationLoadBalancerHour { get; init; } = 0.0225m;
    public decimal ApplicationLcuHour { get; init; } = 0.008m;
    public decimal NetworkLoadBalancerHour { get; init; } = 0.0225m;
    public decimal NetworkLcuHour { get; init; } = 0.006m;
    public decimal EksClusterHour { get; init; } = 0.10m;
}

/// <summary>One Cost Explorer line item: a usage of one resource in one time slice.</summary>
public sealed record CostLineItem
{
    public required string Service { get; init; }
    public required string UsageType { get; init; }
    public required string Region { get; init; }
    public required string LinkedAccount { get; init; }
    public required string ResourceId { get; init; }
    public required ImmutableSortedDictionary<string, string> Tags { get; init; }
    public required decimal Cost { get; init; }
    public required decimal Usage { get; init; }
}

/// <summary>
/// Costs consistent with the traffic model: each load balancer bills its hourly price for every hour it exists plus
/// its ConsumedLCUs of each hour at the LCU price; the EKS cluster bills its hourly fee. Computed on demand for up to
/// <see cref="HistoryMonths"/> months back, and forward (for forecasts) from the current world.
/// </summary>
public sealed class ElbCostModel(ElbTrafficModel traffic, ElbPrices? prices = null)
{
    public const string ElbService = "Amazon Elastic Load Balancing";
    public const string EksService = "Amazon Elastic Container Service for Kubernetes";

    /// <summary>How much history Cost Explorer has (13 months).</summary>
    public static readonly int HistoryMonths = 13;

    public ElbPrices Prices { get; } = prices ?? new ElbPrices();

    public AwsWorld World => traffic.World;

    /// <summary>The first day with cost data: the first of the month 13 months before the current one.</summary>
    public DateTimeOffset HistoryStart
    {
        get
        {
            var now = World.TimeProvider.GetUtcNow();
            return new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(-(HistoryMonths - 1));
        }
    }

    /// <summary>
    /// The line items of [<paramref name="start"/>, <paramref name="end"/>), hour by hour summed per resource and usage type.
    /// Past slices stop at the current hour; with <paramref name="forecast"/> the current world is projected forward.
    /// </summary>
    public IReadOnlyList<CostLineItem> LineItems(DateTimeOffset start, DateTimeOffset end, bool forecast = false)
    {
        var now = World.TimeProvider.GetUtcNow();
        var from = Max(start, HistoryStart);
        var until = forecast ? end : Min(end, ElbTrafficModel.AlignDown(now, 3600).AddHours(1));
        var items = new List<CostLineItem>();
        if (from >= until)
        {
            return items;
        }
        var regionCode = RegionCode(World.Region);
        foreach (var lb in World.GetLoadBalancers())
        {
            decimal hours = 0, lcu = 0;
            for (var hour = ElbTrafficModel.AlignDown(from, 3600); hour < until; hour = hour.AddHours(1))
            {
                if (hour.AddHours(1) <= lb.CreatedTime)
                {
                    continue;
                }
                hours += 1;
                lcu += LcuHours(lb, hour, now, forecast);
            }
            if (hours == 0)
            {
                continue;
            }
            var application = lb.Type == LoadBalancerType.Application;
            var tags = World.GetTags(lb.Arn);
            items.Add(Item(ElbService, $"{regionCode}-LoadBalancerUsage", lb.Arn, tags,
                hours * (application ? Prices.ApplicationLoadBalancerHour : Prices.NetworkLoadBalancerHour), hours));
            items.Add(Item(ElbService, $"{regionCode}-LCUUsage", lb.Arn, tags,
                lcu * (application ? Prices.ApplicationLcuHour : Prices.NetworkLcuHour), lcu));
        }
        var clusterHours = (decimal)Math.Ceiling((until - from).TotalHours);
        items.Add(Item(EksService, $"{regionCode}-AmazonEKS-Hours:perCluster",
            $"arn:aws:eks:{World.Region}:{World.AccountId}:cluster/{World.ClusterName}",
            ImmutableSortedDictionary<string, string>.Empty, clusterHours * Prices.EksClusterHour, clusterHours));
        return items;
    }

    /// <summary>
    /// The LCU-hours of one billed hour, as CloudWatch reports them: the hour's rate for each minute the balancer existed
    /// and ELB has published (complete minutes up to now), so Cost Explorer equals hours × price + the ConsumedLCUs
    /// CloudWatch sums for the same hours × the LCU price. The hour of creation and the current hour are partial; a
    /// forecast counts whole future hours.
    /// </summary>
    private decimal LcuHours(LoadBalancer lb, DateTimeOffset hour, DateTimeOffset now, bool forecast)
    {
        var rate = (decimal)traffic.HourlyLcu(lb, hour);
        if (rate == 0)
        {
            return 0;
        }
        var from = Max(hour, ElbTrafficModel.AlignDown(lb.CreatedTime, 60));
        var until = forecast && hour >= now ? hour.AddHours(1) : Min(hour.AddHours(1), ElbTrafficModel.AlignDown(now, 60));
        var minutes = until > from ? (decimal)Math.Round((until - from).TotalMinutes) : 0;
        return rate * minutes / 60;
    }

    private CostLineItem Item(string service, string usageType, string resourceId, ImmutableSortedDictionary<string, string> tags, decimal cost, decimal usage) => new()
    {
        Service = service,
        UsageType = usageType,
        Region = World.Region,
        LinkedAccount = World.AccountId,
        ResourceId = resourceId,
        Tags = tags,
        Cost = cost,
        Usage = usage,
    };

    /// <summary>The billing prefix of a region's usage types (USE1, USW2, EU, …).</summary>
    public static string RegionCode(string region) => region switch
    {
        "us-east-1" => "USE1",
        "us-east-2" => "USE2",
        "us-west-1" => "USW1",
        "us-west-2" => "USW2",
        "eu-west-1" => "EU",
        "eu-central-1" => "EUC1",
        "ap-southeast-1" => "APS1",
        "ap-southeast-2" => "APS2",
        "ap-northeast-1" => "APN1",
        _ => region.ToUpperInvariant().Replace("-", "", StringComparison.Ordinal),
    };

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
