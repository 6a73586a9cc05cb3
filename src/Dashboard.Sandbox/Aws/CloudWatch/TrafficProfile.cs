namespace Dashboard.Sandbox.Aws.CloudWatch;

/// <summary>
/// How busy one load balancer is. The traffic model derives a default per load balancer from the seed; the
/// controller simulation (or a test) can set its own with <see cref="ElbTrafficModel.SetProfile"/>.
/// A zero <see cref="PeakRequestsPerSecond"/> means no traffic: no traffic datapoints at all.
/// </summary>
public sealed record TrafficProfile
{
    /// <summary>Requests (ALB) or new flows (NLB) per second at the daily peak (15:00 UTC on weekdays).</summary>
    public required double PeakRequestsPerSecond { get; init; }

    /// <summary>Share of requests answered 4xx by the targets.</summary>
    public double ClientErrorRate { get; init; } = 0.02;

    /// <summary>Share of requests answered 5xx by the targets while every target is healthy.</summary>
    public double ServerErrorRate { get; init; } = 0.002;

    /// <summary>Share of requests the load balancer itself answers 5xx.</summary>
    public double ElbErrorRate { get; init; } = 0.0005;

    /// <summary>Median target response time in seconds.</summary>
    public double MedianLatencySeconds { get; init; } = 0.045;

    /// <summary>Log-normal spread (sigma) of response times; p99 ≈ median × e^(2.33·sigma).</summary>
    public double LatencySpread { get; init; } = 0.6;

    public double BytesPerRequest { get; init; } = 12_000;
    public double RequestsPerConnection { get; init; } = 8;

    /// <summary>How long a connection (NLB flow) stays open, in seconds.</summary>
    public double ConnectionSeconds { get; init; } = 20;
}
