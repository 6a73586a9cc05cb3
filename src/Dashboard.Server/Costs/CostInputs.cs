using System.Collections.Immutable;
using Dashboard.Client.Model;

namespace Dashboard.Server.Costs;

/// <summary>
/// Cost Explorer's monthly ELB cost grouped by the cluster tag: the trend, this month and last month (each month with the
/// account's total and what is under another cluster's tag or under none).
/// </summary>
public sealed record CostByClusterTag(ImmutableArray<MonthlyCost> Months);

/// <summary>
/// Cost Explorer's daily ELB cost of the cluster this month grouped by the controller's stack tags; with each stack's
/// days (<see cref="DailyByStack"/>, by the same key) for the per-balancer trend.
/// </summary>
public sealed record CostByStackTag(ImmutableArray<DailyCost> Days, ImmutableDictionary<string, decimal> MonthToDateByStack, bool TagsActivated,
    ImmutableDictionary<string, ImmutableArray<DailyCost>>? DailyByStack = null);

/// <summary>Cost Explorer's resource-level ELB cost this month (opt-in data, last 14 days), by balancer ARN, with each balancer's days.</summary>
public sealed record CostByResource(ImmutableDictionary<string, decimal> MonthToDateByArn, ImmutableDictionary<string, ImmutableArray<DailyCost>>? DailyByArn = null);

/// <summary>
/// The public IPv4 addresses of a balancer: <see cref="Counted"/> when read from EC2 (its ELB network interfaces with a
/// public address), else an estimate of one per Availability Zone of an internet-facing balancer.
/// </summary>
public sealed record PublicIpv4Count(int Addresses, bool Counted);

/// <summary>Cost Explorer's month-end forecast for Elastic Load Balancing.</summary>
public sealed record CostForecastFigure(decimal Amount);
