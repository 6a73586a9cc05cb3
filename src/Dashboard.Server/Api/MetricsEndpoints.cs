using System.Globalization;
using Dashboard.Client.Authorization;
using Dashboard.Client.Metrics;
using Dashboard.Client.Model;
using Dashboard.Server.Aws;
using Dashboard.Server.Metrics;
using Microsoft.AspNetCore.Mvc;

namespace Dashboard.Server.Api;

/// <summary>
/// <c>GET /api/v1/metrics</c> (one series) and <c>GET /api/v1/metrics/charts</c> (every chart of a Metrics section): the
/// same <see cref="MetricsService"/> and shared series cache as the pages (docs/metrics.md).
/// </summary>
internal static partial class MetricsEndpoints
{
    internal static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/metrics", GetSeries)
            .WithName("GetMetricSeries").WithSummary("One CloudWatch series of a load balancer (optionally one target group or zone), from the shared cache")
            .RequireAuthorization(DashboardPolicies.Viewer)
            .Produces<MetricSeriesDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest, ApiProblems.ContentType)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity, ApiProblems.ContentType)
            .ProducesProblem(StatusCodes.Status502BadGateway, ApiProblems.ContentType);
        api.MapGet("/metrics/charts", GetCharts)
            .WithName("GetMetricCharts").WithSummary("Every chart of the Metrics section for a balancer, target group or zone, in one read, with the changes on its timeline")
            .RequireAuthorization(DashboardPolicies.Viewer)
            .Produces<MetricsViewDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest, ApiProblems.ContentType)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity, ApiProblems.ContentType);
        MapSparklines(api);
    }

    private static async Task<IResult> GetSeries(MetricsService metrics, TimeProvider time, [AsParameters] SeriesParameters query, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var now = time.GetUtcNow();
        var end = Time(query.End, "end", now, errors);
        var start = Time(query.Start, "start", end.AddHours(-1), errors);
        int? period = null;
        if (query.Period is not null)
        {
            if (int.TryParse(query.Period, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                period = seconds;
            }
            else
            {
                errors["period"] = [$"period must be whole seconds, a multiple of 60; got '{query.Period}'."];
            }
        }
        if (string.IsNullOrEmpty(query.Metric))
        {
            errors["metric"] = ["metric is required: a CloudWatch metric name such as RequestCount or TargetResponseTime."];
        }
        if (string.IsNullOrEmpty(query.LoadBalancer))
        {
            errors["lb"] = ["lb is required: the load balancer's name (see /api/v1/load-balancers)."];
        }
        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }
        try
        {
            var (chosen, series) = await metrics.ReadSeriesAsync(query.LoadBalancer!, Empty(query.TargetGroup), Empty(query.Zone), query.Metric!,
                query.Stat ?? "Sum", start, end, period, cancellationToken);
            return TypedResults.Ok(new MetricSeriesDto
            {
                LoadBalancer = query.LoadBalancer!,
                TargetGroup = Empty(query.TargetGroup),
                Zone = Empty(query.Zone),
                Metric = query.Metric!,
                Stat = query.Stat ?? "Sum",
                Period = chosen,
                Start = MetricPeriods.AlignDown(start, chosen),
                End = MetricPeriods.AlignUp(end, chosen),
                Points = [.. series.Times.Zip(series.Values).Select(p => new MetricPointDto(DateTimeOffset.FromUnixTimeSeconds(p.First), p.Second))],
                ReadAt = series.ReadAt,
                AgeSeconds = Math.Max(0, (long)(now - series.ReadAt).TotalSeconds),
            });
        }
        catch (MetricsRequestException ex)
        {
            return ApiProblems.Validation(new Dictionary<string, string[]> { [ex.Parameter] = [ex.Message] });
        }
        catch (AwsServiceException ex)
        {
            return ApiProblems.Problem(StatusCodes.Status502BadGateway, "cloudWatchFailed", "CloudWatch could not be read.", $"{ex.ErrorCode}: {ex.ErrorMessage ?? ex.Message}");
        }
    }

    private static async Task<IResult> GetCharts(IMetricsReader metrics, TimeProvider time, [AsParameters] ChartParameters query, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var range = MetricRange.Parse(query.Range, out var rangeError);
        if (range is null)
        {
            return ApiProblems.Validation(new Dictionary<string, string[]> { ["range"] = [rangeError!] });
        }
        if (string.IsNullOrEmpty(query.LoadBalancer))
        {
            return ApiProblems.Validation(new Dictionary<string, string[]> { ["lb"] = ["lb is required: the load balancer's name (see /api/v1/load-balancers)."] });
        }
        ObjectRef? endpoint = null;
        if (!string.IsNullOrEmpty(query.Endpoint))
        {
            var parts = query.Endpoint.Split('/');
            if (parts.Length != 3 || !TopologyUrls.TryParseKind(parts[0], out var kind) || parts[1].Length == 0 || parts[2].Length == 0)
            {
                return ApiProblems.Validation(new Dictionary<string, string[]> { ["endpoint"] = [$"endpoint must be service/{{namespace}}/{{name}} or ingress/{{namespace}}/{{name}}; got '{query.Endpoint}'."] });
            }
            endpoint = new ObjectRef(kind, parts[1], parts[2]);
        }
        var (start, end) = range.Resolve(now);
        var view = await metrics.ReadAsync(new MetricsRequest(query.LoadBalancer, Empty(query.TargetGroup), Empty(query.Zone), start, end) { Endpoint = endpoint }, cancellationToken);
        if (view.ErrorParameter is { } parameter)
        {
            // start, end and period come from range here.
            return ApiProblems.Validation(new Dictionary<string, string[]> { [parameter is "start" or "end" or "period" ? "range" : parameter] = [view.Error!] });
        }
        return TypedResults.Ok(MetricsViewDto.From(view, now));
    }

    private static string? Empty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static DateTimeOffset Time(string? text, string name, DateTimeOffset fallback, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return parsed;
        }
        errors[name] = [$"{name} must be an ISO 8601 time such as 2025-06-04T14:00:00Z; got '{text}'."];
        return fallback;
    }

    internal sealed class SeriesParameters
    {
        /// <summary>The load balancer's name.</summary>
        [FromQuery(Name = "lb")]
        public string? LoadBalancer { get; init; }

        /// <summary>A target group's name: only its traffic (the endpoint's own group on a shared ALB).</summary>
        [FromQuery(Name = "tg")]
        public string? TargetGroup { get; init; }

        /// <summary>An Availability Zone, e.g. us-east-1a.</summary>
        [FromQuery(Name = "zone")]
        public string? Zone { get; init; }

        /// <summary>CloudWatch metric name, e.g. RequestCount, HTTPCode_Target_5XX_Count, TargetResponseTime.</summary>
        [FromQuery(Name = "metric")]
        public string? Metric { get; init; }

        /// <summary>Sum, Average, Minimum, Maximum, SampleCount or pNN (default Sum).</summary>
        [FromQuery(Name = "stat")]
        public string? Stat { get; init; }

        /// <summary>ISO 8601; default one hour before end.</summary>
        [FromQuery(Name = "start")]
        public string? Start { get; init; }

        /// <summary>ISO 8601; default now.</summary>
        [FromQuery(Name = "end")]
        public string? End { get; init; }

        /// <summary>Seconds, a multiple of 60 (300 beyond 15 days, 3600 beyond 63 days); default by the period rule (≤ 1,500 points).</summary>
        [FromQuery(Name = "period")]
        public string? Period { get; init; }
    }

    internal sealed class ChartParameters
    {
        [FromQuery(Name = "lb")]
        public string? LoadBalancer { get; init; }

        [FromQuery(Name = "tg")]
        public string? TargetGroup { get; init; }

        [FromQuery(Name = "zone")]
        public string? Zone { get; init; }

        /// <summary>15m, 1h, 3h, 12h, 1d, 3d, 1w, 2w, 30d, 90d, or start~end in ISO 8601 (default 3h).</summary>
        [FromQuery(Name = "range")]
        public string? Range { get; init; }

        /// <summary>service/{namespace}/{name} or ingress/{namespace}/{name}: that endpoint's markers (default: every endpoint of the balancer).</summary>
        [FromQuery(Name = "endpoint")]
        public string? Endpoint { get; init; }
    }
}

/// <summary>One datapoint: <c>t</c> the period's start, <c>v</c> the statistic's value.</summary>
public sealed record MetricPointDto(DateTimeOffset T, double V);

/// <summary><c>GET /api/v1/metrics</c>: one series; a period with no point had no data (ELB publishes only while traffic flows).</summary>
public sealed record MetricSeriesDto
{
    public required string LoadBalancer { get; init; }
    public string? TargetGroup { get; init; }
    public string? Zone { get; init; }
    public required string Metric { get; init; }
    public required string Stat { get; init; }
    public required int Period { get; init; }
    public required DateTimeOffset Start { get; init; }
    public required DateTimeOffset End { get; init; }
    public required IReadOnlyList<MetricPointDto> Points { get; init; }
    public required DateTimeOffset ReadAt { get; init; }
    /// <summary>Seconds since CloudWatch was read for this answer (0 when read for this request).</summary>
    public required long AgeSeconds { get; init; }
}

public sealed record MetricSeriesLineDto(string Id, string Label, IReadOnlyList<MetricPointDto> Points);

/// <summary>
/// A change on the timeline: <c>kind</c> rollout, warning, controller, health, event (the cluster's) or change, rollback,
/// change-failed, smoke (the dashboard's own); <c>text</c> what changed and who did it; <c>href</c> the page that shows it.
/// </summary>
public sealed record MetricMarkerDto(DateTimeOffset T, string Kind, string Text, string? Href);

public sealed record MetricChartDto(string Key, string Title, string Unit, string Help, IReadOnlyList<MetricSeriesLineDto> Series, IReadOnlyList<string> Notes);

/// <summary><c>GET /api/v1/metrics/charts</c>: what the Metrics section draws.</summary>
public sealed record MetricsViewDto
{
    public required string LoadBalancer { get; init; }
    public required string Type { get; init; }
    public string? TargetGroup { get; init; }
    public string? Zone { get; init; }
    public required DateTimeOffset Start { get; init; }
    public required DateTimeOffset End { get; init; }
    public required int Period { get; init; }
    public required IReadOnlyList<MetricChartDto> Charts { get; init; }
    public required IReadOnlyList<string> TargetGroups { get; init; }
    public required IReadOnlyList<string> Zones { get; init; }
    /// <summary>The changes within [start, end], oldest first.</summary>
    public IReadOnlyList<MetricMarkerDto> Markers { get; init; } = [];
    public DateTimeOffset? ReadAt { get; init; }
    public long? AgeSeconds { get; init; }
    public string? StaleReason { get; init; }
    public string? Error { get; init; }

    internal static MetricsViewDto From(MetricsView view, DateTimeOffset now) => new()
    {
        LoadBalancer = view.LoadBalancer,
        Type = view.Type,
        TargetGroup = view.TargetGroup,
        Zone = view.Zone,
        Start = view.Start,
        End = view.End,
        Period = view.Period,
        Charts = [.. view.Charts.Select(c => new MetricChartDto(c.Definition.Key, c.Definition.Title, c.Definition.Unit.ToString(), c.Definition.Help,
            [.. c.Series.Select(s => new MetricSeriesLineDto(s.Id, s.Label, [.. s.Times.Zip(s.Values).Select(p => new MetricPointDto(DateTimeOffset.FromUnixTimeSeconds(p.First), p.Second))]))],
            c.Notes))],
        TargetGroups = view.TargetGroups,
        Zones = view.Zones,
        Markers = [.. view.Markers.Select(m => new MetricMarkerDto(m.Time, m.Kind, m.Text, m.Href))],
        ReadAt = view.ReadAt,
        AgeSeconds = view.ReadAt is { } read ? Math.Max(0, (long)(now - read).TotalSeconds) : null,
        StaleReason = view.StaleReason,
        Error = view.Error,
    };
}
