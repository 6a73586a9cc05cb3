using Microsoft.Extensions.Options;

namespace Dashboard.Server.Costs;

/// <summary>Settings of the load balancer cost report (configuration section <c>Dashboard:Costs</c>).</summary>
public sealed class CostOptions
{
    public const string SectionName = "Dashboard:Costs";

    /// <summary>How long Cost Explorer answers are kept. Every request costs USD 0.01, so hours, not minutes.</summary>
    public TimeSpan CostExplorerRefresh { get; set; } = TimeSpan.FromHours(6);

    /// <summary>
    /// How often the report is rebuilt from the topology and the AWS snapshot (no AWS call of its own; Cost Explorer parts
    /// are re-read only when their <see cref="CostExplorerRefresh"/> has passed).
    /// </summary>
    public TimeSpan RebuildInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the AWS poller reads the usage metrics into its snapshot (ConsumedLCUs, requests; one batched GetMetricData).</summary>
    public TimeSpan UsageRefresh { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>After a failed read, how long before the part is tried again (the last good value is shown meanwhile).</summary>
    public TimeSpan RetryAfterFailure { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Months of history in the monthly trend, besides the current month (1–12).</summary>
    public int HistoryMonths { get; set; } = 6;

    /// <summary>
    /// Whether to ask Cost Explorer for resource-level data (GetCostAndUsageWithResources, opt-in, last 14 days). When the
    /// account has not opted in the report falls back to the stack tags and the estimate.
    /// </summary>
    public bool UseResourceLevelData { get; set; } = true;

    /// <summary>
    /// The EKS cluster whose balancers are costed, when <c>Dashboard:Topology:ClusterName</c> is not set (the topology's
    /// cluster is the one the report uses). Empty: the sandbox's cluster in sandbox mode, else the one the tags suggest.
    /// </summary>
    public string? ClusterName { get; set; }

    /// <summary>The label of a Service or Ingress that names its team.</summary>
    public string TeamLabel { get; set; } = "team";

    /// <summary>
    /// The AWS tag of a load balancer that names its team (e.g. <c>Team=payments</c>, set through the controller's
    /// additional-resource-tags annotation), used when its owner has no <see cref="TeamLabel"/> label; the key is matched
    /// case-insensitively.
    /// </summary>
    public string TeamTag { get; set; } = "Team";

    /// <summary>The window over which a balancer with (almost) no requests or flows counts as idle.</summary>
    public TimeSpan IdleWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Requests (ALB) or new flows (NLB) over <see cref="IdleWindow"/> at or below which a balancer is idle.</summary>
    public double IdleRequestThreshold { get; set; } = 10;

    /// <summary>What one Cost Explorer request costs, shown next to the request count.</summary>
    public decimal CostExplorerRequestPrice { get; set; } = 0.01m;

    /// <summary>What CloudWatch charges per 1,000 metrics requested through GetMetricData, shown next to the count.</summary>
    public decimal CloudWatchPricePerThousandMetrics { get; set; } = 0.01m;

    /// <summary>List prices by region; a region not listed is priced as us-east-1.</summary>
    public Dictionary<string, ElbPrices> Prices { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The prices of <paramref name="region"/>, else of us-east-1, else the built-in us-east-1 list prices.</summary>
    public ElbPrices PricesFor(string? region) =>
        region is not null && Prices.TryGetValue(region, out var prices) ? prices
        : Prices.TryGetValue(ElbPrices.DefaultRegion, out var fallback) ? fallback
        : new ElbPrices();
}

/// <summary>Elastic Load Balancing list prices of one region in USD (defaults: us-east-1).</summary>
public sealed class ElbPrices
{
    public const string DefaultRegion = "us-east-1";

    /// <summary>Application Load Balancer, per hour or partial hour.</summary>
    public decimal ApplicationHour { get; set; } = 0.0225m;

    /// <summary>Application Load Balancer, per LCU-hour.</summary>
    public decimal ApplicationLcuHour { get; set; } = 0.008m;

    /// <summary>Network Load Balancer, per hour or partial hour.</summary>
    public decimal NetworkHour { get; set; } = 0.0225m;

    /// <summary>Network Load Balancer, per NLCU-hour.</summary>
    public decimal NetworkLcuHour { get; set; } = 0.006m;

    public decimal HourFor(string type) => type == BalancerTypes.Network ? NetworkHour : ApplicationHour;

    /// <summary>A public IPv4 address, per hour (billed outside Elastic Load Balancing, as VPC public IPv4 address-hours).</summary>
    public decimal PublicIpv4Hour { get; set; } = 0.005m;

    public decimal LcuHourFor(string type) => type == BalancerTypes.Network ? NetworkLcuHour : ApplicationLcuHour;
}

/// <summary>The ELBv2 <c>Type</c> values the cost report prices.</summary>
public static class BalancerTypes
{
    public const string Application = "application";
    public const string Network = "network";
}

/// <summary>Checks <see cref="CostOptions"/> at start; every problem is named with its key.</summary>
public sealed class ValidateCostOptions : IValidateOptions<CostOptions>
{
    public ValidateOptionsResult Validate(string? name, CostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        void Positive(TimeSpan value, string key)
        {
            if (value <= TimeSpan.Zero)
            {
                errors.Add($"{CostOptions.SectionName}:{key} must be a positive time span such as 00:15:00; got {value}.");
            }
        }
        Positive(options.CostExplorerRefresh, nameof(CostOptions.CostExplorerRefresh));
        Positive(options.RebuildInterval, nameof(CostOptions.RebuildInterval));
        Positive(options.UsageRefresh, nameof(CostOptions.UsageRefresh));
        Positive(options.RetryAfterFailure, nameof(CostOptions.RetryAfterFailure));
        if (options.IdleWindow < TimeSpan.FromHours(1) || options.IdleWindow > TimeSpan.FromDays(15))
        {
            errors.Add($"{CostOptions.SectionName}:IdleWindow must be between 01:00:00 and 15.00:00:00 (CloudWatch keeps minute data 15 days); got {options.IdleWindow}.");
        }
        if (options.HistoryMonths is < 1 or > 12)
        {
            errors.Add($"{CostOptions.SectionName}:HistoryMonths must be between 1 and 12 (Cost Explorer keeps 13 months); got {options.HistoryMonths}.");
        }
        if (options.IdleRequestThreshold < 0)
        {
            errors.Add($"{CostOptions.SectionName}:IdleRequestThreshold must be 0 or more; got {options.IdleRequestThreshold}.");
        }
        if (options.CloudWatchPricePerThousandMetrics < 0)
        {
            errors.Add($"{CostOptions.SectionName}:CloudWatchPricePerThousandMetrics must be 0 or more, e.g. 0.01; got {options.CloudWatchPricePerThousandMetrics}.");
        }
        if (options.CostExplorerRequestPrice < 0)
        {
            errors.Add($"{CostOptions.SectionName}:CostExplorerRequestPrice must be 0 or more; got {options.CostExplorerRequestPrice}.");
        }
        if (string.IsNullOrWhiteSpace(options.TeamLabel))
        {
            errors.Add($"{CostOptions.SectionName}:TeamLabel must name a label, e.g. team.");
        }
        if (string.IsNullOrWhiteSpace(options.TeamTag))
        {
            errors.Add($"{CostOptions.SectionName}:TeamTag must name an AWS tag key, e.g. Team.");
        }
        foreach (var (region, prices) in options.Prices)
        {
            foreach (var (key, value) in new[] { ("ApplicationHour", prices.ApplicationHour), ("ApplicationLcuHour", prices.ApplicationLcuHour), ("NetworkHour", prices.NetworkHour), ("NetworkLcuHour", prices.NetworkLcuHour), ("PublicIpv4Hour", prices.PublicIpv4Hour) })
            {
                if (value < 0)
                {
                    errors.Add($"{CostOptions.SectionName}:Prices:{region}:{key} must be 0 or more (USD); got {value}.");
                }
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
