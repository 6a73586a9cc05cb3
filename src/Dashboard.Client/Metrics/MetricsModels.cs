using System.Collections.Immutable;

namespace Dashboard.Client.Metrics;

/// <summary>
/// What a Metrics section asks for: one balancer (by name), an optional target group (by name) and zone narrowing the
/// scope, and [start, end) with the period (null: by <see cref="MetricPeriods.For"/>).
/// </summary>
public sealed record MetricsRequest(string LoadBalancer, string? TargetGroup, string? Zone, DateTimeOffset Start, DateTimeOffset End, int? Period = null)
{
    /// <summary>The endpoint (Service or Ingress) the section is shown for: its markers; null = every endpoint of the balancer.</summary>
    public Model.ObjectRef? Endpoint { get; init; }
}

/// <summary>One series as read: timestamps (epoch seconds, ascending) and values; no point means no data (a gap), never zero.</summary>
public sealed record MetricSeries(string Id, string Label, ImmutableArray<long> Times, ImmutableArray<double> Values)
{
    public DateTimeOffset? LastPoint => Times.IsEmpty ? null : DateTimeOffset.FromUnixTimeSeconds(Times[^1]);
}

/// <summary>One chart's series; <see cref="Notes"/> say which of its lines the scope does not publish.</summary>
public sealed record MetricChart(MetricChartDefinition Definition, ImmutableArray<MetricSeries> Series, ImmutableArray<string> Notes);

/// <summary>
/// The answer for a whole Metrics section, read in one GetMetricData call (or from the shared cache). When a read fails
/// the last answer for the same view is returned with <see cref="StaleReason"/> set; <see cref="Error"/> is set when
/// there is nothing to show at all.
/// </summary>
public sealed record MetricsView
{
    public required string LoadBalancer { get; init; }
    /// <summary>"application" or "network".</summary>
    public required string Type { get; init; }
    public string? TargetGroup { get; init; }
    public string? Zone { get; init; }
    public required DateTimeOffset Start { get; init; }
    public required DateTimeOffset End { get; init; }
    public required int Period { get; init; }
    public ImmutableArray<MetricChart> Charts { get; init; } = [];
    /// <summary>The balancer's target groups and zones, for the scope switch.</summary>
    public ImmutableArray<string> TargetGroups { get; init; } = [];
    public ImmutableArray<string> Zones { get; init; } = [];
    /// <summary>When CloudWatch was read for this answer.</summary>
    public DateTimeOffset? ReadAt { get; init; }
    /// <summary>Why this answer is older than asked (throttled, denied, unreachable …).</summary>
    public string? StaleReason { get; init; }
    /// <summary>Why there is nothing to show (bad input, unknown balancer).</summary>
    public string? Error { get; init; }
    /// <summary>
    /// The changes on the timeline within [Start, End]: the cluster's (rollouts, Service/Ingress changes, controller events,
    /// target health) and the dashboard's own (guided changes, smoke tests, <see cref="ActionMarkers"/>).
    /// </summary>
    public ImmutableArray<TimelineMarker> Markers { get; init; } = [];
    /// <summary>The request parameter <see cref="Error"/> is about (lb, tg, zone, start, end, period), when the request was bad.</summary>
    public string? ErrorParameter { get; init; }
}

/// <summary>
/// Reads metrics for the pages through the server's one shared series cache (concurrent viewers of the same chart
/// coalesce into one CloudWatch call). Implemented by the server; tests supply their own.
/// </summary>
public interface IMetricsReader
{
    Task<MetricsView> ReadAsync(MetricsRequest request, CancellationToken cancellationToken);
}
