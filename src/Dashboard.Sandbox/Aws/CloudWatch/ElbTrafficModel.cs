using System.Collections.Concurrent;

namespace Dashboard.Sandbox.Aws.CloudWatch;

/// <summary>One CloudWatch datapoint.</summary>
public readonly record struct MetricDatapoint(DateTimeOffset Timestamp, double Value);

/// <summary>The health of a target group at an instant, as the traffic model sees it.</summary>
public readonly record struct TargetGroupHealthCounts(int Registered, int Healthy, int Unhealthy);

/// <summary>
/// A deterministic model of what AWS/ApplicationELB and AWS/NetworkELB would publish: per load balancer a daily and
/// weekly curve of requests with seeded per-minute noise, response codes, a log-normal latency distribution,
/// connections or flows, bytes, ConsumedLCUs, and per target group Healthy/UnHealthyHostCount from the world's
/// target health (history before a target's last change is assumed healthy). Nothing is stored: every value is
/// computed from the seed, the load balancer's creation time and the clock, kept as CloudWatch keeps it: one-minute
/// data for <see cref="Retention"/> (15 days), five-minute periods for 63 days and one-hour periods for 455 days.
/// Traffic reacts to health: a target group with no healthy target fails open and answers many 5xx; one with no
/// registered target turns its share into ELB 503s.
/// </summary>
public sealed partial class ElbTrafficModel(AwsWorld world)
{
    /// <summary>How far back one-minute data exists (CloudWatch keeps 60-second data 15 days).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(15);

    /// <summary>How far back periods that are multiples of five minutes exist (CloudWatch keeps 5-minute data 63 days).</summary>
    public static readonly TimeSpan FiveMinuteRetention = TimeSpan.FromDays(63);

    /// <summary>How far back periods that are multiples of an hour exist (CloudWatch keeps 1-hour data 455 days).</summary>
    public static readonly TimeSpan HourRetention = TimeSpan.FromDays(455);

    /// <summary>
    /// How far back data with <paramref name="period"/> seconds exists: older data is only kept rolled up, so a period
    /// that is not a multiple of the roll-up finds nothing there (as CloudWatch answers).
    /// </summary>
    public static TimeSpan RetentionFor(int period) =>
        period % 3600 == 0 ? HourRetention : period % 300 == 0 ? FiveMinuteRetention : Retention;

    private readonly ConcurrentDictionary<string, TrafficProfile> _profiles = new(StringComparer.Ordinal);

    public AwsWorld World => world;

    /// <summary>Overrides the traffic of one load balancer (by ARN).</summary>
    public void SetProfile(string loadBalancerArn, TrafficProfile profile) => _profiles[loadBalancerArn] = profile;

    /// <summary>The profile in force: the override, or the seeded default.</summary>
    public TrafficProfile GetProfile(LoadBalancer loadBalancer) =>
        _profiles.TryGetValue(loadBalancer.Arn, out var profile) ? profile : new TrafficProfile
        {
            PeakRequestsPerSecond = Math.Round(2 + (AwsArns.Unit(world.Seed, "rps/" + loadBalancer.Name) * 80), 1),
            MedianLatencySeconds = 0.02 + (AwsArns.Unit(world.Seed, "latency/" + loadBalancer.Name) * 0.1),
        };

    /// <summary>Requests (ALB) or new flows (NLB) per second expected at a time, without noise.</summary>
    public double ExpectedRate(LoadBalancer loadBalancer, DateTimeOffset time)
    {
        var profile = GetProfile(loadBalancer);
        var hour = time.UtcDateTime.TimeOfDay.TotalHours;
        var daily = 0.2 + (0.8 * (0.5 - (0.5 * Math.Cos(2 * Math.PI * (hour - 3) / 24))));
        var weekly = time.UtcDateTime.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0.6 : 1.0;
        return profile.PeakRequestsPerSecond * daily * weekly;
    }

    /// <summary>
    /// LCUs consumed in the hour starting at <paramref name="hourStart"/> (the billed LCU-hours): the largest of the
    /// new-connection, active-connection, processed-bytes and rule-evaluation dimensions. Zero before creation.
    /// </summary>
    public double HourlyLcu(LoadBalancer loadBalancer, DateTimeOffset hourStart)
    {
        if (hourStart.AddHours(1) <= loadBalancer.CreatedTime)
        {
            return 0;
        }
        var profile = GetProfile(loadBalancer);
        var rate = ExpectedRate(loadBalancer, hourStart.AddMinutes(30));
        var newConnectionsPerSecond = rate / profile.RequestsPerConnection;
        var activeConnections = newConnectionsPerSecond * profile.ConnectionSeconds;
        var gigabytesPerHour = rate * 3600 * profile.BytesPerRequest / 1e9;
        double lcu = loadBalancer.Type == LoadBalancerType.Application
            ? Max(newConnectionsPerSecond / 25, activeConnections / 3000, gigabytesPerHour / 1, rate * 10 / 1000)
            : Max(newConnectionsPerSecond / 800, activeConnections / 100_000, gigabytesPerHour / 1);
        return Math.Round(lcu, 6);
    }

    /// <summary>
    /// Healthy and unhealthy targets of a group at an instant: today's targets, each in its current state since its last
    /// change and healthy before (the world keeps no health history, so history is assumed healthy).
    /// </summary>
    public TargetGroupHealthCounts HealthAt(string targetGroupArn, DateTimeOffset time, string? zone = null)
    {
        int registered = 0, healthy = 0, unhealthy = 0;
        foreach (var target in world.GetTargets(targetGroupArn))
        {
            if (zone is not null && target.AvailabilityZone != zone)
            {
                continue;
            }
            var state = time >= target.Health.Since ? target.Health.State : TargetHealthState.Healthy;
            registered++;
            healthy += state == TargetHealthState.Healthy ? 1 : 0;
            unhealthy += state == TargetHealthState.Unhealthy ? 1 : 0;
        }
        return new TargetGroupHealthCounts(registered, healthy, unhealthy);
    }

    /// <summary>
    /// The datapoints of one metric between <paramref name="start"/> (inclusive) and <paramref name="end"/> (exclusive),
    /// aggregated over <paramref name="period"/> seconds with <paramref name="stat"/>, ascending. Empty for metrics or
    /// dimension sets ELB does not publish.
    /// </summary>
    public IReadOnlyList<MetricDatapoint> GetDatapoints(MetricIdentity metric, DateTimeOffset start, DateTimeOffset end, int period, MetricStatistic stat)
    {
        ArgumentNullException.ThrowIfNull(metric);
        var series = ResolveSeries(metric);
        if (series is null)
        {
            return [];
        }
        var now = world.TimeProvider.GetUtcNow();
        var earliest = Max(series.Value.LoadBalancer.CreatedTime, now - RetentionFor(period));
        // Complete minutes only for counts, and only once ELB has published them (PublicationDelay); gauges (host counts,
        // active flows) also report the current minute, sampled now.
        var latestComplete = now.AddMinutes(-1) - PublicationDelay;
        var result = new List<MetricDatapoint>();
        var bucketStart = AlignDown(start, period);
        var samples = new List<MinuteSample>(period / 60);
        for (; bucketStart < end; bucketStart = bucketStart.AddSeconds(period))
        {
            samples.Clear();
            for (var minute = bucketStart; minute < bucketStart.AddSeconds(period); minute = minute.AddMinutes(1))
            {
                if (minute < start || minute < AlignDown(earliest, 60) || minute > now)
                {
                    continue;
                }
                var sampledAt = Min(minute.AddSeconds(59), now);
                if (SampleInScope(series.Value, metric.MetricName, sampledAt) is { } sample && (sample.IsGauge || minute <= latestComplete))
                {
                    samples.Add(sample);
                }
            }
            if (samples.Count > 0)
            {
                result.Add(new MetricDatapoint(bucketStart, Aggregate(samples, stat)));
            }
        }
        return result;
    }

    // ---- per-minute samples ------------------------------------------------------------------------------------

    /// <summary>
    /// What ELB reports for one metric in one minute. Counts are split across <see cref="Nodes"/> load balancer nodes
    /// (one per zone); gauges are reported by each node. Latency carries its distribution.
    /// </summary>
    private readonly record struct MinuteSample(double Value, int Nodes, bool IsGauge, double Median = 0, double Spread = 0);

    private readonly record struct Series(LoadBalancer LoadBalancer, TargetGroup? TargetGroup, string? Zone = null);

    private Series? ResolveSeries(MetricIdentity metric)
    {
        var lbDimension = metric.Dimension("LoadBalancer");
        var zone = metric.Dimension("AvailabilityZone");
        var extra = zone is null ? 0 : 1;
        if (lbDimension is null || metric.Dimensions.Count > 2 + extra)
        {
            return null;
        }
        var loadBalancer = world.GetLoadBalancers().FirstOrDefault(lb => lb.MetricDimension == lbDimension);
        var expectedNamespace = loadBalancer?.Type == LoadBalancerType.Application ? "AWS/ApplicationELB" : "AWS/NetworkELB";
        if (loadBalancer is null || metric.Namespace != expectedNamespace)
        {
            return null;
        }
        if (zone is not null && !loadBalancer.AvailabilityZones.Any(z => z.ZoneName == zone))
        {
            return null;
        }
        var tgDimension = metric.Dimension("TargetGroup");
        if (metric.Dimensions.Count == 2 + extra && tgDimension is null)
        {
            return null;
        }
        if (tgDimension is null)
        {
            return new Series(loadBalancer, null, zone);
        }
        var targetGroup = world.GetTargetGroupsOf(loadBalancer.Arn).FirstOrDefault(tg => tg.MetricDimension == tgDimension);
        return targetGroup is null ? null : new Series(loadBalancer, targetGroup, zone);
    }

    private MinuteSample? Sample(Series series, string metricName, DateTimeOffset minute)
    {
        var lb = series.LoadBalancer;
        var nodes = Math.Max(1, lb.AvailabilityZones.Length);
        var groups = world.GetTargetGroupsOf(lb.Arn);
        if (metricName is "HealthyHostCount" or "UnHealthyHostCount")
        {
            if (series.TargetGroup is null)
            {
                return null;
            }
            var counts = HealthAt(series.TargetGroup.Arn, minute, series.Zone);
            return new MinuteSample(metricName == "HealthyHostCount" ? counts.Healthy : counts.Unhealthy, nodes, IsGauge: true);
        }
        var profile = GetProfile(lb);
        if (profile.PeakRequestsPerSecond <= 0)
        {
            return null;
        }
        if (metricName == "ConsumedLCUs")
        {
            return series.TargetGroup is null ? Count(HourlyLcu(lb, AlignDown(minute, 3600)) / 60, nodes, allowFraction: true) : null;
        }
        var noise = 1 + (0.3 * (Noise(lb.Id, minute) - 0.5));
        var total = Math.Round(ExpectedRate(lb, minute) * 60 * noise);
        // Traffic is shared equally by the load balancer's target groups; each group's health shapes its share.
        var shares = groups.Length == 0 ? [] : groups.Select(g => (Group: g, Health: HealthAt(g.Arn, minute))).ToList();
        var scope = series.TargetGroup is null ? shares : shares.Where(s => s.Group.Arn == series.TargetGroup.Arn).ToList();
        var share = groups.Length == 0 ? 0 : total / groups.Length;
        double requests = 0, targetRequests = 0, target5xx = 0, target4xx = 0, elb5xx = 0, elb503 = 0, elb502 = 0, connectionErrors = 0, latencyWeight = 0;
        foreach (var (group, health) in scope)
        {
            requests += share;
            if (health.Registered == 0)
            {
                elb5xx += share;
                elb503 += share;
                continue;
            }
            var unhealthyShare = (double)health.Unhealthy / health.Registered;
            var failOpen = health.Healthy == 0;
            var serverErrorRate = failOpen ? 0.5 : profile.ServerErrorRate + (0.05 * unhealthyShare);
            targetRequests += share;
            target5xx += Math.Round(share * serverErrorRate);
            target4xx += Math.Round(share * profile.ClientErrorRate);
            // Targets going away mid-request: the balancer answers 502 and counts a connection error.
            var unreachable = Math.Round(share * 0.02 * unhealthyShare);
            elb502 += unreachable;
            connectionErrors += unreachable;
            latencyWeight += share * (failOpen ? 4 : 1 + unhealthyShare);
        }
        if (series.TargetGroup is null && groups.Length == 0)
        {
            requests = total;
            elb5xx = total;
            elb503 = total;
        }
        // The balancer's own baseline errors: half 502 (bad gateway), three tenths 504 (timeout), the rest 500.
        var baseline = series.TargetGroup is null ? Math.Round(requests * profile.ElbErrorRate) : 0;
        var elb504 = Math.Round(baseline * 0.3);
        elb502 += Math.Round(baseline * 0.5);
        var elb500 = baseline - Math.Round(baseline * 0.5) - elb504;
        elb5xx += baseline + elb502 - Math.Round(baseline * 0.5);
        var isNetwork = lb.Type == LoadBalancerType.Network;
        var newConnections = Math.Round(requests / profile.RequestsPerConnection);
        return metricName switch
        {
            "RequestCount" when !isNetwork => Count(requests, nodes),
            "RequestCountPerTarget" when !isNetwork && series.TargetGroup is not null =>
                Count(Math.Round(targetRequests / Math.Max(1, HealthAt(series.TargetGroup.Arn, minute).Healthy)), nodes),
            "HTTPCode_Target_2XX_Count" when !isNetwork => Count(targetRequests - target5xx - target4xx - Math.Round(targetRequests * 0.01), nodes),
            "HTTPCode_Target_3XX_Count" when !isNetwork => Count(Math.Round(targetRequests * 0.01), nodes),
            "HTTPCode_Target_4XX_Count" when !isNetwork => Count(target4xx, nodes),
            "HTTPCode_Target_5XX_Count" when !isNetwork => Count(target5xx, nodes),
            "HTTPCode_ELB_4XX_Count" when !isNetwork && series.TargetGroup is null => Count(Math.Round(requests * 0.001), nodes),
            "HTTPCode_ELB_5XX_Count" when !isNetwork && series.TargetGroup is null => Count(elb5xx, nodes),
            "HTTPCode_ELB_500_Count" when !isNetwork && series.TargetGroup is null => Count(elb500, nodes),
            "HTTPCode_ELB_502_Count" when !isNetwork && series.TargetGroup is null => Count(elb502, nodes),
            "HTTPCode_ELB_503_Count" when !isNetwork && series.TargetGroup is null => Count(elb503, nodes),
            "HTTPCode_ELB_504_Count" when !isNetwork && series.TargetGroup is null => Count(elb504, nodes),
            "TargetConnectionErrorCount" when !isNetwork => Count(connectionErrors, nodes),
            "ClientTLSNegotiationErrorCount" when series.TargetGroup is null && HasTlsListener(lb) => Count(Math.Round(newConnections * 0.002 * (1 + Noise(lb.Id + "/tls", minute))), nodes),
            "TargetResponseTime" when !isNetwork && targetRequests > 0 => new MinuteSample(targetRequests, nodes, IsGauge: false,
                Median: profile.MedianLatencySeconds * (latencyWeight / targetRequests) * (0.9 + (0.2 * Noise(lb.Id + "/latency", minute))),
                Spread: profile.LatencySpread),
            "NewConnectionCount" when !isNetwork && series.TargetGroup is null => Count(newConnections, nodes),
            "ActiveConnectionCount" when !isNetwork && series.TargetGroup is null => Count(Math.Round(newConnections * profile.ConnectionSeconds / 60), nodes),
            "RejectedConnectionCount" when !isNetwork && series.TargetGroup is null => null,
            "ProcessedBytes" when series.TargetGroup is null => Count(Math.Round(requests * profile.BytesPerRequest), nodes),
            "NewFlowCount" or "NewFlowCount_TCP" when isNetwork => Count(requests, nodes),
            "ActiveFlowCount" or "ActiveFlowCount_TCP" when isNetwork => new MinuteSample(Math.Round(requests / 60 * profile.ConnectionSeconds), nodes, IsGauge: true),
            "ProcessedPackets" when isNetwork && series.TargetGroup is null => Count(Math.Round(requests * profile.BytesPerRequest / 1200), nodes),
            "TCP_Target_Reset_Count" when isNetwork => Count(target5xx, nodes),
            "TCP_Client_Reset_Count" when isNetwork => Count(target4xx, nodes),
            "TCP_ELB_Reset_Count" when isNetwork => Count(elb5xx, nodes),
            _ => null,
        };
    }

    /// <summary>A count for one minute; ELB publishes no datapoint for a zero count.</summary>
    private static MinuteSample? Count(double value, int nodes, bool allowFraction = false) =>
        value > 0 && (allowFraction || value >= 1) ? new MinuteSample(value, nodes, IsGauge: false) : null;

    private static double Aggregate(List<MinuteSample> samples, MetricStatistic stat)
    {
        if (samples[0].Median > 0)
        {
            return AggregateLatency(samples, stat);
        }
        var perNode = samples.Select(s => s.IsGauge ? s.Value : s.Value / s.Nodes).ToList();
        var sampleCount = samples.Sum(s => s.Nodes);
        return stat.Kind switch
        {
            MetricStatisticKind.Sum => samples.Sum(s => s.IsGauge ? s.Value * s.Nodes : s.Value),
            MetricStatisticKind.SampleCount => sampleCount,
            MetricStatisticKind.Average => samples.Sum(s => s.IsGauge ? s.Value * s.Nodes : s.Value) / sampleCount,
            MetricStatisticKind.Minimum => perNode.Min(),
            MetricStatisticKind.Maximum => perNode.Max(),
            _ => Percentile(perNode, stat.Percentile),
        };
    }

    private static double AggregateLatency(List<MinuteSample> samples, MetricStatistic stat)
    {
        var requests = samples.Sum(s => s.Value);
        var median = samples.Sum(s => s.Median * s.Value) / requests;
        var spread = samples[0].Spread;
        return stat.Kind switch
        {
            MetricStatisticKind.Sum => samples.Sum(s => s.Value * s.Median * Math.Exp(spread * spread / 2)),
            MetricStatisticKind.SampleCount => requests,
            MetricStatisticKind.Average => median * Math.Exp(spread * spread / 2),
            MetricStatisticKind.Minimum => samples.Min(s => s.Median) * Math.Exp(-3 * spread),
            MetricStatisticKind.Maximum => samples.Max(s => s.Median) * Math.Exp(3.7 * spread),
            _ => median * Math.Exp(spread * InverseNormal(stat.Percentile / 100)),
        };
    }

    private static double Percentile(List<double> values, double percentile)
    {
        values.Sort();
        var rank = Math.Clamp((int)Math.Ceiling(percentile / 100 * values.Count) - 1, 0, values.Count - 1);
        return values[rank];
    }

    /// <summary>
    /// The standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9). Hand-written: no
    /// served package offers it without a large numerics dependency.
    /// </summary>
    internal static double InverseNormal(double p)
    {
        p = Math.Clamp(p, 1e-9, 1 - 1e-9);
        double[] a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
        double[] b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
        double[] c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
        double[] d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
        const double Low = 0.02425;
        if (p < Low || p > 1 - Low)
        {
            var q = Math.Sqrt(-2 * Math.Log(p < Low ? p : 1 - p));
            var x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
            return p < Low ? x : -x;
        }
        var r = p - 0.5;
        var s = r * r;
        return (((((a[0] * s + a[1]) * s + a[2]) * s + a[3]) * s + a[4]) * s + a[5]) * r / (((((b[0] * s + b[1]) * s + b[2]) * s + b[3]) * s + b[4]) * s + 1);
    }

    /// <summary>A seeded number in [0, 1) for a key and minute (SplitMix64; cheap enough for every minute of 15 days).</summary>
    private double Noise(string key, DateTimeOffset minute)
    {
        var z = (ulong)world.Seed * 0x9E3779B97F4A7C15UL ^ StableHash(key) ^ (ulong)(minute.ToUnixTimeSeconds() / 60);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }

    /// <summary>FNV-1a of the key: unlike string.GetHashCode it is the same in every process.</summary>
    private static ulong StableHash(string key)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in key)
        {
            hash = unchecked((hash ^ c) * 1099511628211UL);
        }
        return hash;
    }

    internal static DateTimeOffset AlignDown(DateTimeOffset time, int seconds) =>
        DateTimeOffset.FromUnixTimeSeconds(time.ToUnixTimeSeconds() / seconds * seconds);

    private static double Max(params double[] values) => values.Max();

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
