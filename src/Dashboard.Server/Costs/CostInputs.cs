using System.Collections.Immutable;
using Dashboard.Client.Model;

namespace Dashboard.Server.Costs;

/// <summary>Cost Explorer's monthly ELB cost grouped by the cluster tag: the trend, this month and last month.</summary>
public sealed record CostByClusterTag(ImmutableArray<MonthlyCost> Months);

/// <summary>Cost Explorer's daily ELB cost of the cluster this month grouped by the controller's stack tags.</summary>
public sealed record CostByStackTag(ImmutableArray<DailyCost> Days, ImmutableDictionary<string, decimal> MonthToDateByStack, bool TagsActivated);

/// <summary>Cost Explorer's resource-level ELB cost this month (opt-in data, last 14 days), by balancer ARN.</summary>
public sealed record CostByResource(ImmutableDictionary<string, decimal> MonthToDateByArn);

/// <summary>Cost Explorer's month-end forecast for Elastic Load Balancing.</summary>
public sealed record CostForecastFigure(decimal Amount);
