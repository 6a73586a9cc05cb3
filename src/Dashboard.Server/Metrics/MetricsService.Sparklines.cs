using System.Collections.Concurrent;
using System.Collections.Immutable;
using Dashboard.Client.Metrics;
using Dashboard.Server.Aws;

namespace Dashboard.Server.Metrics;

/// <summary>
/// The sparklines of the Load balancers list and the Triage page (docs/metrics.md, "At a glance"): the last hour at one
/// minute of requests and errors per balancer or target group. Every line of a read goes through the shared series
/// cache in ONE GetMetricData call (at most 4 queries a line, 100 lines a read: within one call of 500), so a page of
/// rows costs one call a minute whatever the number of rows or viewers.
/// </summary>
public sealed partial class MetricsService : ISparklineReader
{
    private readonly ConcurrentDictionary<string, Sparkline> _lastGoodSparklines = new(StringComparer.Ordinal);

    public async Task<SparklineSet> ReadSparklinesAsync(IReadOnlyCollection<SparklineTarget> targets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.Count > ISparklineReader.MaxTargets)
        {
            throw new MetricsRequestException("lb", $"at most {ISparklineReader.MaxTargets} sparklines per read; got {targets.Count}. Ask for the rows on screen.");
        }
        var now = time.GetUtcNow();
        var start = MetricPeriods.AlignDown(now - SparklineSet.Window, SparklineSet.Period);
        var end = MetricPeriods.AlignUp(now, SparklineSet.Period);
        var planned = new List<(SparklineTarget Target, string Type, SeriesKey Requests, ImmutableArray<SeriesKey> Errors)>();
        var lines = new Dictionary<string, Sparkline>(StringComparer.Ordinal);
        foreach (var target in targets.DistinctBy(t => t.Key))
        {
            try
            {
                var resolved = Resolve(target.LoadBalancer, target.TargetGroup, zone: null);
                var dimensions = SeriesKey.DimensionText(resolved.Dimensions);
                SeriesKey Key(string metric) => new(resolved.Namespace, metric, "Sum", dimensions, start, end, SparklineSet.Period);
                var network = resolved.Type == "network";
                var errors = network
                    ? ImmutableArray.Create(Key("TCP_ELB_Reset_Count"), Key("TCP_Target_Reset_Count"))
                    : target.TargetGroup is null
                        ? ImmutableArray.Create(Key("HTTPCode_Target_5XX_Count"), Key("HTTPCode_ELB_5XX_Count"))
                        // ELB publishes its own codes per balancer and zone only: a target group's errors are its targets'.
                        : ImmutableArray.Create(Key("HTTPCode_Target_5XX_Count"));
                planned.Add((target, resolved.Type, Key(network ? "NewFlowCount" : "RequestCount"), errors));
            }
            catch (MetricsRequestException ex)
            {
                lines[target.Key] = new Sparkline { Target = target, Error = ex.Message, Start = start, End = end };
            }
        }
        DateTimeOffset? readAt = null;
        string? staleReason = null;
        if (planned.Count > 0)
        {
            try
            {
                var series = await cache.GetAsync([.. planned.SelectMany(p => p.Errors.Prepend(p.Requests))], cancellationToken).ConfigureAwait(false);
                foreach (var (target, type, requestsKey, errorKeys) in planned)
                {
                    var requests = series[requestsKey];
                    readAt = readAt is null || requests.ReadAt < readAt ? requests.ReadAt : readAt;
                    var line = new Sparkline
                    {
                        Target = target,
                        Type = type,
                        Start = start,
                        End = end,
                        ReadAt = requests.ReadAt,
                        Requests = new MetricSeries("requests", type == "network" ? "new flows" : "requests", requests.Times, requests.Values),
                        Errors = ErrorsPerMinute(requests, [.. errorKeys.Select(k => series[k])]),
                    };
                    lines[target.Key] = line;
                    _lastGoodSparklines[target.Key] = line;
                }
            }
            catch (Exception ex) when (ex is AwsServiceException or HttpRequestException or TimeoutException or AwsCredentialsException ||
                                       (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                staleReason = Reason(ex);
                logger.LogWarning("Sparkline read of {Count} lines failed: {Reason}", planned.Count, staleReason);
                foreach (var (target, _, _, _) in planned)
                {
                    lines[target.Key] = _lastGoodSparklines.TryGetValue(target.Key, out var last)
                        ? last with { StaleReason = staleReason }
                        : new Sparkline { Target = target, Start = start, End = end, Error = $"CloudWatch could not be read: {staleReason}" };
                }
            }
        }
        return new SparklineSet
        {
            Start = start,
            End = end,
            ReadAt = readAt,
            StaleReason = staleReason,
            Lines = [.. targets.DistinctBy(t => t.Key).Select(t => lines[t.Key])],
        };
    }

    /// <summary>
    /// The error counts summed per minute, for the minutes with requests only: there a missing count is zero errors (ELB
    /// publishes no zero counts); a minute without requests has no error value (a gap).
    /// </summary>
    private static MetricSeries ErrorsPerMinute(CachedSeries requests, IReadOnlyList<CachedSeries> errors)
    {
        var sums = new Dictionary<long, double>();
        foreach (var series in errors)
        {
            for (var i = 0; i < series.Times.Length; i++)
            {
                sums[series.Times[i]] = sums.GetValueOrDefault(series.Times[i]) + series.Values[i];
            }
        }
        var times = requests.Times.Where((_, i) => requests.Values[i] > 0).ToImmutableArray();
        return new MetricSeries("errors", "errors", times, [.. times.Select(t => sums.GetValueOrDefault(t))]);
    }
}
