namespace Dashboard.Sandbox.Aws.CloudWatch;

/// <summary>
/// The per-Availability-Zone dimension sets (<c>AvailabilityZone</c> + <c>LoadBalancer</c> [+ <c>TargetGroup</c>]) and the
/// publication delay: how long after a minute ends ELB's counts for it become readable.
/// </summary>
public sealed partial class ElbTrafficModel
{
    /// <summary>
    /// How long after the end of a minute its counts are published (real ELB: 1–3 minutes, measured from the minute's end).
    /// Zero publishes each minute as soon as it is complete; gauges are always current. A sandbox setting
    /// (<see cref="SandboxOptions.CloudWatchPublicationDelay"/>), so tests and benchmarks can state the delay their figures assume.
    /// </summary>
    public TimeSpan PublicationDelay { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// One minute of a series: the balancer-wide (or target-group) sample, or for an Availability Zone its node's part:
    /// counts split evenly across the balancer's nodes (the remainder to the first zones), gauges as that node reports
    /// them, host counts of the targets in that zone. ConsumedLCUs has no per-zone series (as in AWS).
    /// </summary>
    private MinuteSample? SampleInScope(Series series, string metricName, DateTimeOffset minute)
    {
        var sample = WithMeasured(series, metricName, minute, Sample(series, metricName, minute));
        if (series.Zone is null || sample is not { } whole)
        {
            return sample;
        }
        if (metricName == "ConsumedLCUs")
        {
            return null;
        }
        if (whole.IsGauge)
        {
            return whole with { Nodes = 1 };
        }
        var zones = series.LoadBalancer.AvailabilityZones;
        var index = Math.Max(0, zones.Select(z => z.ZoneName).ToList().IndexOf(series.Zone));
        var nodes = Math.Max(1, zones.Length);
        var part = Math.Floor(whole.Value / nodes) + (index < whole.Value % nodes ? 1 : 0);
        return part >= 1 ? whole with { Value = part, Nodes = 1 } : null;
    }

    private bool HasTlsListener(LoadBalancer loadBalancer) =>
        world.GetListeners(loadBalancer.Arn).Any(l => l.Protocol is "HTTPS" or "TLS");
}
