using Dashboard.Server.LoadBalancers;

namespace Dashboard.Server.Costs;

/// <summary>A balancer's estimated cost this month.</summary>
public sealed record BalancerEstimate(int Hours, decimal HourlyCost, decimal LcuCost, decimal Projected)
{
    public decimal MonthToDate => HourlyCost + LcuCost;
}

/// <summary>
/// The estimate from usage, as AWS bills it: every started hour a balancer exists at the hourly price, plus the hourly
/// ConsumedLCUs (CloudWatch Sum per hour = billed LCU-hours) at the LCU price. Pure, so it is tested from fixtures.
/// </summary>
public static class CostEstimator
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    /// <summary>The first instant of the UTC month of <paramref name="now"/>.</summary>
    public static DateTimeOffset MonthStart(DateTimeOffset now) => BalancerUsage.MonthStart(now);

    /// <summary>
    /// Hours billed this month up to <paramref name="now"/>: each hour slot in which the balancer existed, the current one
    /// included (a partial hour bills as a whole one). Zero when it was created after <paramref name="now"/>.
    /// </summary>
    public static int BilledHours(DateTimeOffset? createdTime, DateTimeOffset now)
    {
        var monthStart = MonthStart(now);
        var from = createdTime is { } created && created > monthStart ? created : monthStart;
        if (from > now)
        {
            return 0;
        }
        return (int)((BalancerUsage.HourFloor(now) - BalancerUsage.HourFloor(from)) / Hour) + 1;
    }

    /// <summary>Whole hour slots left in the month after the current one.</summary>
    public static int RemainingHours(DateTimeOffset now) =>
        (int)((MonthStart(now).AddMonths(1) - BalancerUsage.HourFloor(now)) / Hour) - 1;

    /// <summary>
    /// Month to date and projected month: the hourly charge for <see cref="BilledHours"/> plus
    /// <paramref name="lcuHours"/> at the LCU price; the projection adds the remaining hours at the hourly price and at
    /// the month's average LCUs per hour.
    /// </summary>
    public static BalancerEstimate Estimate(string type, DateTimeOffset? createdTime, double lcuHours, ElbPrices prices, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(prices);
        var hours = BilledHours(createdTime, now);
        var hourPrice = prices.HourFor(type);
        var lcuPrice = prices.LcuHourFor(type);
        var lcu = (decimal)Math.Max(0, lcuHours);
        var hourlyCost = hours * hourPrice;
        var lcuCost = lcu * lcuPrice;
        var remaining = hours == 0 ? 0 : RemainingHours(now);
        var averageLcu = hours == 0 ? 0 : lcu / hours;
        var projected = hourlyCost + lcuCost + (remaining * (hourPrice + (averageLcu * lcuPrice)));
        return new BalancerEstimate(hours, Round(hourlyCost), Round(lcuCost), Round(projected));
    }

    /// <summary>
    /// Idle: (almost) no requests or flows over the window, for a balancer old enough to judge (one day). Unknown
    /// traffic (CloudWatch did not answer) is never idle. ELB publishes no datapoint for a minute without traffic, so a
    /// missing series means zero.
    /// </summary>
    public static bool IsIdle(double? recentRequests, DateTimeOffset? createdTime, DateTimeOffset now, double threshold) =>
        recentRequests is { } requests
        && requests <= threshold
        && (createdTime is null || now - createdTime.Value >= TimeSpan.FromDays(1));

    /// <summary>Money rounded to a hundredth of a cent, as Cost Explorer's amounts are finer than cents.</summary>
    public static decimal Round(decimal amount) => Math.Round(amount, 4, MidpointRounding.AwayFromZero);
}
