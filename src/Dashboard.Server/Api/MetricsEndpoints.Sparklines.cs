using Dashboard.Client.Authorization;
using Dashboard.Client.Metrics;
using Dashboard.Server.LoadBalancers;
using Dashboard.Server.Metrics;
using Microsoft.AspNetCore.Mvc;

namespace Dashboard.Server.Api;

/// <summary><c>GET /api/v1/metrics/sparklines</c>: the Load balancers list's and Triage page's last-hour lines, the same service and read.</summary>
internal static partial class MetricsEndpoints
{
    private static void MapSparklines(RouteGroupBuilder api) =>
        api.MapGet("/metrics/sparklines", GetSparklines)
            .WithName("GetMetricSparklines")
            .WithSummary("The last hour at one minute of requests and 5xx (NLB: new flows and TCP resets) per load balancer or target group, in one read")
            .RequireAuthorization(DashboardPolicies.Viewer)
            .Produces<SparklineSetDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest, ApiProblems.ContentType)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity, ApiProblems.ContentType);

    private static async Task<IResult> GetSparklines(ISparklineReader reader, IAwsSnapshotSource aws, TimeProvider time,
        [FromQuery(Name = "lb")] string[]? lb, CancellationToken cancellationToken)
    {
        List<SparklineTarget> targets;
        if (lb is null || lb.Length == 0)
        {
            targets = [.. aws.Current.LoadBalancers.Where(b => b.Type is "application" or "network")
                .Select(b => new SparklineTarget(b.LoadBalancerName)).OrderBy(t => t.LoadBalancer, StringComparer.Ordinal)];
            if (targets.Count > ISparklineReader.MaxTargets)
            {
                return ApiProblems.Validation(new Dictionary<string, string[]>
                {
                    ["lb"] = [$"there are {targets.Count} load balancers; name at most {ISparklineReader.MaxTargets} with lb=name (or lb=name/targetGroup), repeated."],
                });
            }
        }
        else
        {
            targets = [.. lb.Select(SparklineTarget.Parse).OfType<SparklineTarget>()];
            if (targets.Count == 0)
            {
                return ApiProblems.Validation(new Dictionary<string, string[]> { ["lb"] = ["lb must name a load balancer, or name/targetGroup; got only empty values."] });
            }
        }
        try
        {
            var set = await reader.ReadSparklinesAsync(targets, cancellationToken);
            return TypedResults.Ok(SparklineSetDto.From(set, time.GetUtcNow()));
        }
        catch (MetricsRequestException ex)
        {
            return ApiProblems.Validation(new Dictionary<string, string[]> { [ex.Parameter] = [ex.Message] });
        }
    }
}

/// <summary>One sparkline: <c>requests</c> (ALB; new flows on an NLB) and <c>errors</c> per minute; a minute with no point had no traffic.</summary>
public sealed record SparklineDto
{
    public required string LoadBalancer { get; init; }
    public string? TargetGroup { get; init; }
    public required string Type { get; init; }
    /// <summary>"requests" or "new flows".</summary>
    public required string RequestsLabel { get; init; }
    /// <summary>"5xx" (target + ELB), "target 5xx" (a target group) or "TCP resets" (ELB + target).</summary>
    public required string ErrorsLabel { get; init; }
    public required IReadOnlyList<MetricPointDto> Requests { get; init; }
    public required IReadOnlyList<MetricPointDto> Errors { get; init; }
    public required double TotalRequests { get; init; }
    public required double TotalErrors { get; init; }
    public double? ErrorPercent { get; init; }
    public DateTimeOffset? LastDatapoint { get; init; }
    public DateTimeOffset? ReadAt { get; init; }
    public string? StaleReason { get; init; }
    /// <summary>Why this line has no data (an unknown balancer or group).</summary>
    public string? Error { get; init; }

    internal static SparklineDto From(Sparkline line) => new()
    {
        LoadBalancer = line.Target.LoadBalancer,
        TargetGroup = line.Target.TargetGroup,
        Type = line.Type,
        RequestsLabel = line.RequestsLabel,
        ErrorsLabel = line.ErrorsLabel,
        Requests = Points(line.Requests),
        Errors = Points(line.Errors),
        TotalRequests = line.TotalRequests,
        TotalErrors = line.TotalErrors,
        ErrorPercent = line.ErrorPercent,
        LastDatapoint = line.Requests?.LastPoint,
        ReadAt = line.ReadAt,
        StaleReason = line.StaleReason,
        Error = line.Error,
    };

    private static IReadOnlyList<MetricPointDto> Points(MetricSeries? series) =>
        series is null ? [] : [.. series.Times.Zip(series.Values).Select(p => new MetricPointDto(DateTimeOffset.FromUnixTimeSeconds(p.First), p.Second))];
}

/// <summary><c>GET /api/v1/metrics/sparklines</c>: every line asked for, read together (period 60 s, the last hour).</summary>
public sealed record SparklineSetDto
{
    public required DateTimeOffset Start { get; init; }
    public required DateTimeOffset End { get; init; }
    public required int Period { get; init; }
    public DateTimeOffset? ReadAt { get; init; }
    public long? AgeSeconds { get; init; }
    public string? StaleReason { get; init; }
    public required IReadOnlyList<SparklineDto> Sparklines { get; init; }

    internal static SparklineSetDto From(SparklineSet set, DateTimeOffset now) => new()
    {
        Start = set.Start,
        End = set.End,
        Period = SparklineSet.Period,
        ReadAt = set.ReadAt,
        AgeSeconds = set.ReadAt is { } read ? Math.Max(0, (long)(now - read).TotalSeconds) : null,
        StaleReason = set.StaleReason,
        Sparklines = [.. set.Lines.Select(SparklineDto.From)],
    };
}
