using System.Collections.Concurrent;

namespace Dashboard.Sandbox.Aws.CloudWatch;

/// <summary>One request the sandbox's data plane served, as ELB would count it.</summary>
/// <param name="LoadBalancerArn">The balancer that received it.</param>
/// <param name="TargetGroupArn">The group it was forwarded to; null when the balancer answered itself.</param>
/// <param name="StatusCode">The code the client got (0 when the connection was reset).</param>
/// <param name="FromTarget">True when a target produced the code; false for ELB-generated answers (fixed response, redirect, 5xx).</param>
/// <param name="TargetSeconds">The target's response time (TargetResponseTime), when a target answered.</param>
/// <param name="Bytes">Request plus response bytes (ProcessedBytes).</param>
/// <param name="TargetConnectionError">The balancer could not connect to the target (TargetConnectionErrorCount).</param>
public readonly record struct ServedRequest(string LoadBalancerArn, string? TargetGroupArn, int StatusCode, bool FromTarget, double? TargetSeconds, long Bytes, bool TargetConnectionError);

/// <summary>
/// Traffic that really went through the data plane (Verify, smoke tests, curl), kept per minute and added to the modelled
/// background, so the AWS CLI sees RequestCount rise for the balancer that served it. Kept as long as one-minute data.
/// </summary>
public sealed partial class ElbTrafficModel
{
    private readonly ConcurrentDictionary<(string Scope, long Minute), MeasuredMinute> _measured = new();

    /// <summary>Records one request served by the data plane.</summary>
    public void Record(ServedRequest request)
    {
        var minute = world.TimeProvider.GetUtcNow().ToUnixTimeSeconds() / 60;
        _measured.GetOrAdd((request.LoadBalancerArn, minute), _ => new MeasuredMinute()).Add(request);
        if (request.TargetGroupArn is { } group)
        {
            _measured.GetOrAdd((request.LoadBalancerArn + "|" + group, minute), _ => new MeasuredMinute()).Add(request);
        }
        if (_measured.Count > 50_000)
        {
            var oldest = minute - (long)Retention.TotalMinutes;
            foreach (var key in _measured.Keys.Where(k => k.Minute < oldest))
            {
                _measured.TryRemove(key, out _);
            }
        }
    }

    /// <summary>The requests the data plane served for a balancer (or one of its groups) in the minute starting at <paramref name="minute"/>.</summary>
    public long MeasuredRequests(string loadBalancerArn, DateTimeOffset minute, string? targetGroupArn = null) =>
        _measured.TryGetValue((targetGroupArn is null ? loadBalancerArn : loadBalancerArn + "|" + targetGroupArn, minute.ToUnixTimeSeconds() / 60), out var m)
            ? m.Snapshot().Requests : 0;

    private MinuteSample? WithMeasured(Series series, string metricName, DateTimeOffset minute, MinuteSample? modelled)
    {
        var scope = series.TargetGroup is null ? series.LoadBalancer.Arn : series.LoadBalancer.Arn + "|" + series.TargetGroup.Arn;
        if (_measured.IsEmpty || !_measured.TryGetValue((scope, minute.ToUnixTimeSeconds() / 60), out var measured))
        {
            return modelled;
        }
        var m = measured.Snapshot();
        var nodes = Math.Max(1, series.LoadBalancer.AvailabilityZones.Length);
        var isNetwork = series.LoadBalancer.Type == LoadBalancerType.Network;
        var lbScope = series.TargetGroup is null;
        double? extra = metricName switch
        {
            "RequestCount" when !isNetwork => m.Requests,
            "RequestCountPerTarget" when !isNetwork && !lbScope => m.TargetRequests,
            "HTTPCode_Target_2XX_Count" when !isNetwork => m.Target2xx,
            "HTTPCode_Target_3XX_Count" when !isNetwork => m.Target3xx,
            "HTTPCode_Target_4XX_Count" when !isNetwork => m.Target4xx,
            "HTTPCode_Target_5XX_Count" when !isNetwork => m.Target5xx,
            "HTTPCode_ELB_3XX_Count" when !isNetwork && lbScope => m.Elb3xx,
            "HTTPCode_ELB_4XX_Count" when !isNetwork && lbScope => m.Elb4xx,
            "HTTPCode_ELB_5XX_Count" when !isNetwork && lbScope => m.Elb5xx,
            "HTTPCode_ELB_502_Count" when !isNetwork && lbScope => m.Elb502,
            "HTTPCode_ELB_503_Count" when !isNetwork && lbScope => m.Elb503,
            "HTTPCode_ELB_504_Count" when !isNetwork && lbScope => m.Elb504,
            "TargetConnectionErrorCount" when !isNetwork => m.ConnectionErrors,
            "ProcessedBytes" when lbScope => m.Bytes,
            "NewFlowCount" or "NewFlowCount_TCP" when isNetwork => m.Requests,
            "TCP_ELB_Reset_Count" when isNetwork => m.Resets,
            // One LCU-hour covers 25 new connections a second (ALB) or 1 GB an hour: a minute's share of the larger.
            "ConsumedLCUs" when lbScope => Math.Max(m.Requests / 60.0 / (isNetwork ? 800 : 25), m.Bytes * 60 / 1e9) / 60,
            _ => null,
        };
        if (metricName == "TargetResponseTime" && !isNetwork && m.TargetRequests > 0)
        {
            var measuredMedian = Math.Exp(m.LogSecondsSum / m.TargetRequests);
            if (modelled is not { } model)
            {
                return new MinuteSample(m.TargetRequests, nodes, IsGauge: false, Median: measuredMedian, Spread: 0.6);
            }
            var count = model.Value + m.TargetRequests;
            return model with { Value = count, Median = ((model.Median * model.Value) + (measuredMedian * m.TargetRequests)) / count };
        }
        if (extra is not { } value || value <= 0)
        {
            return modelled;
        }
        return modelled is { } sample ? sample with { Value = sample.Value + value } : new MinuteSample(value, nodes, IsGauge: false);
    }

    /// <summary>One minute of measured traffic for one scope; updated under its own lock.</summary>
    private sealed class MeasuredMinute
    {
        private readonly Lock _gate = new();
        private MeasuredCounts _counts;

        public void Add(ServedRequest r)
        {
            lock (_gate)
            {
                var c = _counts;
                c.Requests++;
                c.Bytes += r.Bytes;
                if (r.TargetConnectionError)
                {
                    c.ConnectionErrors++;
                }
                if (r.StatusCode == 0)
                {
                    c.Resets++;
                }
                else if (r.FromTarget)
                {
                    c.TargetRequests++;
                    c.LogSecondsSum += Math.Log(Math.Max(r.TargetSeconds ?? 0.001, 0.0001));
                    switch (r.StatusCode / 100)
                    {
                        case 2: c.Target2xx++; break;
                        case 3: c.Target3xx++; break;
                        case 4: c.Target4xx++; break;
                        case 5: c.Target5xx++; break;
                    }
                }
                else
                {
                    switch (r.StatusCode / 100)
                    {
                        case 3: c.Elb3xx++; break;
                        case 4: c.Elb4xx++; break;
                        case 5: c.Elb5xx++; break;
                    }
                    c.Elb502 += r.StatusCode == 502 ? 1 : 0;
                    c.Elb503 += r.StatusCode == 503 ? 1 : 0;
                    c.Elb504 += r.StatusCode == 504 ? 1 : 0;
                }
                _counts = c;
            }
        }

        public MeasuredCounts Snapshot()
        {
            lock (_gate)
            {
                return _counts;
            }
        }
    }

    private struct MeasuredCounts
    {
        public long Requests, TargetRequests, Target2xx, Target3xx, Target4xx, Target5xx, Elb3xx, Elb4xx, Elb5xx, Elb502, Elb503, Elb504, ConnectionErrors, Resets, Bytes;
        public double LogSecondsSum;
    }
}
