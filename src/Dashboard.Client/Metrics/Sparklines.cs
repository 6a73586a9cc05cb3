using System.Collections.Immutable;

namespace Dashboard.Client.Metrics;

/// <summary>
/// What a sparkline shows: a load balancer (by name) and, on a shared ALB, one of its target groups (the endpoint's own
/// traffic). Its text form <c>lb</c> or <c>lb/tg</c> is what the API takes (ELB names have no '/').
/// </summary>
public sealed record SparklineTarget(string LoadBalancer, string? TargetGroup = null)
{
    public string Key => TargetGroup is null ? LoadBalancer : $"{LoadBalancer}/{TargetGroup}";

    public override string ToString() => Key;

    /// <summary>Parses <c>lb</c> or <c>lb/tg</c>; null for an empty text.</summary>
    public static SparklineTarget? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? new SparklineTarget(text.Trim()) : new SparklineTarget(text[..slash].Trim(), text[(slash + 1)..].Trim() is { Length: > 0 } tg ? tg : null);
    }
}

/// <summary>
/// The last hour of one balancer or target group at one minute: requests (ALB; new flows on an NLB) and errors (ALB:
/// target + ELB 5xx, only target 5xx per target group, where ELB publishes no ELB codes; NLB: ELB + target TCP resets).
/// A minute without a request point had no traffic: a gap, never zero. Errors exist only for minutes with requests.
/// </summary>
public sealed record Sparkline
{
    public required SparklineTarget Target { get; init; }
    /// <summary>"application" or "network"; empty when <see cref="Error"/> is set.</summary>
    public string Type { get; init; } = "";
    public MetricSeries? Requests { get; init; }
    public MetricSeries? Errors { get; init; }
    /// <summary>Why there is no sparkline (unknown balancer or group, a type without metrics).</summary>
    public string? Error { get; init; }
    /// <summary>The window drawn, [Start, End) at one minute.</summary>
    public DateTimeOffset Start { get; init; }
    public DateTimeOffset End { get; init; }
    /// <summary>When CloudWatch was read for these lines.</summary>
    public DateTimeOffset? ReadAt { get; init; }
    /// <summary>Why these lines are older than asked (the last read failed: throttled, denied …).</summary>
    public string? StaleReason { get; init; }

    public double TotalRequests => Requests is null ? 0 : Requests.Values.Sum();

    public double TotalErrors => Errors is null ? 0 : Errors.Values.Sum();

    /// <summary>Errors as a percentage of requests over the hour; null without requests.</summary>
    public double? ErrorPercent => TotalRequests > 0 ? 100 * TotalErrors / TotalRequests : null;

    /// <summary>What the request line counts: "requests" or "new flows".</summary>
    public string RequestsLabel => Type == "network" ? "new flows" : "requests";

    /// <summary>What the error line counts.</summary>
    public string ErrorsLabel => Type == "network" ? "TCP resets" : Target.TargetGroup is null ? "5xx" : "target 5xx";
}

/// <summary>
/// Sparklines read together, in one GetMetricData call through the shared series cache. <see cref="ReadAt"/> is when
/// CloudWatch was read; a failed read answers the last good lines with <see cref="StaleReason"/>.
/// </summary>
public sealed record SparklineSet
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    public const int Period = 60;

    public required DateTimeOffset Start { get; init; }
    public required DateTimeOffset End { get; init; }
    public ImmutableArray<Sparkline> Lines { get; init; } = [];
    public DateTimeOffset? ReadAt { get; init; }
    public string? StaleReason { get; init; }
}

/// <summary>Reads sparklines (implemented by the server's metrics service over its one series cache).</summary>
public interface ISparklineReader
{
    /// <summary>The last hour of every target, in one read. At most <see cref="MaxTargets"/> targets.</summary>
    Task<SparklineSet> ReadSparklinesAsync(IReadOnlyCollection<SparklineTarget> targets, CancellationToken cancellationToken);

    /// <summary>How many sparklines one read may carry (4 queries each: 400 stay within one GetMetricData call of 500).</summary>
    public const int MaxTargets = 100;
}
