using System.Collections.Concurrent;
using System.Collections.Immutable;
using Dashboard.Client.Metrics;
using Dashboard.Server.Aws;
using Dashboard.Server.Aws.CloudWatch;
using Dashboard.Server.LoadBalancers;

namespace Dashboard.Server.Metrics;

/// <summary>A request the service refuses: which parameter is wrong and how to fix it.</summary>
public sealed class MetricsRequestException(string parameter, string message) : Exception(message)
{
    public string Parameter { get; } = parameter;
}

/// <summary>
/// The metrics of the pages and of <c>GET /api/v1/metrics</c>: resolves the balancer, target group and zone from the one
/// AWS snapshot (never ELBv2 again), chooses the period (<see cref="MetricPeriods"/>), and reads every series of a view
/// through the shared <see cref="MetricSeriesCache"/>. A failed read answers the last good view of the same scope and
/// range, marked stale with the reason.
/// </summary>
public sealed partial class MetricsService(IAwsSnapshotSource aws, MetricSeriesCache cache, TimelineMarkerSource markers, TimeProvider time, ILogger<MetricsService> logger) : IMetricsReader
{
    /// <summary>At most this many target groups get their own host-count lines in the balancer scope.</summary>
    public const int MaxGroupsInBalancerScope = 8;

    private readonly ConcurrentDictionary<string, MetricsView> _lastGood = new(StringComparer.Ordinal);

    public async Task<MetricsView> ReadAsync(MetricsRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Target target;
        int period;
        DateTimeOffset start, end;
        try
        {
            target = Resolve(request.LoadBalancer, request.TargetGroup, request.Zone);
            (start, end, period) = Window(request.Start, request.End, request.Period);
        }
        catch (MetricsRequestException ex)
        {
            return new MetricsView { LoadBalancer = request.LoadBalancer, Type = "", Start = request.Start, End = request.End, Period = 0, Error = ex.Message, ErrorParameter = ex.Parameter };
        }

        var definitions = MetricCatalog.For(target.Type);
        var plan = Plan(target, definitions, start, end, period);
        var viewKey = $"{target.Dimension}|{request.TargetGroup}|{request.Zone}|{(long)(end - start).TotalSeconds}|{period}";
        // The markers are read on every call, beside the series (they are not CloudWatch data): a change or smoke test
        // shows at the next read. Store failures are handled inside; only cancellation comes out.
        var reading = markers.ReadAsync(target.Name, request.Endpoint, start, end, cancellationToken);
        try
        {
            var series = await cache.GetAsync([.. plan.SelectMany(c => c.Lines).Select(l => l.Key).OfType<SeriesKey>()], cancellationToken).ConfigureAwait(false);
            var view = Assemble(target, request, start, end, period, plan, series) with { Markers = await reading.ConfigureAwait(false) };
            _lastGood[viewKey] = view;
            return view;
        }
        catch (Exception ex) when (ex is AwsServiceException or HttpRequestException or TimeoutException or AwsCredentialsException ||
                                   (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var onTimeline = await reading.ConfigureAwait(false);
            var reason = Reason(ex);
            logger.LogWarning("Metrics read for {LoadBalancer} failed: {Reason}", target.Name, reason);
            return _lastGood.TryGetValue(viewKey, out var last)
                ? last with { StaleReason = reason, Markers = onTimeline }
                : new MetricsView { LoadBalancer = target.Name, Type = target.Type, Start = start, End = end, Period = period, TargetGroups = target.Groups, Zones = target.Zones, Markers = onTimeline, Error = $"CloudWatch could not be read: {reason}" };
        }
    }

    /// <summary>
    /// One series for the API: the same cache, the same resolution and validation. Throws
    /// <see cref="MetricsRequestException"/> for bad input.
    /// </summary>
    public async Task<(int Period, CachedSeries Series)> ReadSeriesAsync(string loadBalancer, string? targetGroup, string? zone, string metric, string stat,
        DateTimeOffset start, DateTimeOffset end, int? period, CancellationToken cancellationToken)
    {
        var target = Resolve(loadBalancer, targetGroup, zone);
        if (!MetricCatalog.MetricNames(target.Type).Contains(metric, StringComparer.Ordinal))
        {
            throw new MetricsRequestException("metric",
                $"metric '{metric}' is not one the dashboard charts for a {target.Type} load balancer; use one of: {string.Join(", ", MetricCatalog.MetricNames(target.Type))}.");
        }
        if (!IsStatistic(stat))
        {
            throw new MetricsRequestException("stat", $"stat '{stat}' is not a CloudWatch statistic; use Sum, Average, Minimum, Maximum, SampleCount or a percentile such as p99.");
        }
        var (alignedStart, alignedEnd, chosen) = Window(start, end, period);
        var key = new SeriesKey(target.Namespace, metric, stat, SeriesKey.DimensionText(target.Dimensions), alignedStart, alignedEnd, chosen);
        var series = await cache.GetAsync([key], cancellationToken).ConfigureAwait(false);
        return (chosen, series[key]);
    }

    private static bool IsStatistic(string stat) =>
        stat is "Sum" or "Average" or "Minimum" or "Maximum" or "SampleCount" ||
        (stat.Length > 1 && stat[0] == 'p' && double.TryParse(stat[1..], System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var p) && p is > 0 and <= 100);

    /// <summary>Validates [start, end) and the period, and aligns the range to period boundaries (shared cache keys).</summary>
    private (DateTimeOffset Start, DateTimeOffset End, int Period) Window(DateTimeOffset start, DateTimeOffset end, int? period)
    {
        var now = time.GetUtcNow();
        if (end <= start)
        {
            throw new MetricsRequestException("end", $"end ({end:O}) must be after start ({start:O}).");
        }
        if (now - start > MetricPeriods.MaxAge)
        {
            throw new MetricsRequestException("start", $"start ({start:O}) is more than {MetricPeriods.MaxAge.TotalDays} days ago; CloudWatch keeps ELB data no longer.");
        }
        if (start > now)
        {
            throw new MetricsRequestException("start", $"start ({start:O}) is in the future; there is no data yet.");
        }
        var chosen = period ?? MetricPeriods.For(start, end, now);
        if (MetricPeriods.Problem(chosen, start, end, now) is { } problem)
        {
            throw new MetricsRequestException("period", problem);
        }
        return (MetricPeriods.AlignDown(start, chosen), MetricPeriods.AlignUp(end, chosen), chosen);
    }

    private sealed record Target(string Name, string Type, string Namespace, string Dimension, IReadOnlyList<Dimension> Dimensions,
        ImmutableArray<(string Name, string Dimension)> GroupDimensions, ImmutableArray<string> Groups, ImmutableArray<string> Zones, MetricScopes Scope);

    private Target Resolve(string loadBalancer, string? targetGroup, string? zone)
    {
        if (string.IsNullOrWhiteSpace(loadBalancer))
        {
            throw new MetricsRequestException("lb", "lb (the load balancer's name) is required.");
        }
        var snapshot = aws.Current;
        var lb = snapshot.LoadBalancers.FirstOrDefault(b => b.LoadBalancerName == loadBalancer)
            ?? throw new MetricsRequestException("lb", $"no load balancer named '{loadBalancer}' is known in this region (names are case-sensitive; see /api/v1/load-balancers).");
        var ns = MetricDimensions.Namespace(lb.Type);
        var dimension = MetricDimensions.LoadBalancer(lb.LoadBalancerArn);
        if (ns is null || dimension is null || MetricCatalog.For(lb.Type!).IsEmpty)
        {
            throw new MetricsRequestException("lb", $"'{loadBalancer}' is a {lb.Type} load balancer; metrics are charted for application and network load balancers only.");
        }
        var groups = snapshot.TargetGroups.Where(g => g.LoadBalancerArns.Contains(lb.LoadBalancerArn))
            .Select(g => (g.TargetGroupName, Dimension: MetricDimensions.TargetGroup(g.TargetGroupArn) ?? g.TargetGroupName))
            .OrderBy(g => g.TargetGroupName, StringComparer.Ordinal).ToImmutableArray();
        var zones = lb.AvailabilityZones.Select(z => z.ZoneName).Order(StringComparer.Ordinal).ToImmutableArray();
        var dims = new List<Dimension> { new("LoadBalancer", dimension) };
        if (targetGroup is not null)
        {
            var group = groups.FirstOrDefault(g => g.TargetGroupName == targetGroup);
            if (group.TargetGroupName is null)
            {
                throw new MetricsRequestException("tg", $"'{targetGroup}' is not a target group of {loadBalancer}; its groups are: {(groups.IsEmpty ? "none" : string.Join(", ", groups.Select(g => g.TargetGroupName)))}.");
            }
            dims.Add(new Dimension("TargetGroup", group.Dimension));
        }
        if (zone is not null)
        {
            if (!zones.Contains(zone))
            {
                throw new MetricsRequestException("zone", $"{loadBalancer} is not enabled in zone '{zone}'; its zones are: {string.Join(", ", zones)}.");
            }
            dims.Add(new Dimension("AvailabilityZone", zone));
        }
        return new Target(lb.LoadBalancerName, lb.Type!, ns, dimension, dims, groups, [.. groups.Select(g => g.TargetGroupName)], zones,
            MetricCatalog.ScopeOf(targetGroup, zone));
    }

    private sealed record PlannedLine(MetricSeriesDefinition Definition, string Label, SeriesKey? Key);

    private sealed record PlannedChart(MetricChartDefinition Definition, ImmutableArray<PlannedLine> Lines, ImmutableArray<string> Notes);

    private static List<PlannedChart> Plan(Target target, ImmutableArray<MetricChartDefinition> charts, DateTimeOffset start, DateTimeOffset end, int period)
    {
        var dimensionText = SeriesKey.DimensionText(target.Dimensions);
        var plan = new List<PlannedChart>();
        foreach (var chart in charts)
        {
            var lines = new List<PlannedLine>();
            var notes = new List<string>();
            foreach (var line in chart.Series)
            {
                if (line.Derived)
                {
                    lines.Add(new PlannedLine(line, line.Label, null));
                }
                else if (line.Scopes.HasFlag(target.Scope))
                {
                    lines.Add(new PlannedLine(line, line.Label, new SeriesKey(target.Namespace, line.MetricName, line.Stat, dimensionText, start, end, period)));
                }
                else if (target.Scope is MetricScopes.Balancer or MetricScopes.Zone && line.Scopes.HasFlag(MetricScopes.TargetGroup))
                {
                    // Host counts exist per target group only: one line per group of the balancer.
                    foreach (var (name, groupDimension) in target.GroupDimensions.Take(MaxGroupsInBalancerScope))
                    {
                        var dims = target.Dimensions.Append(new Dimension("TargetGroup", groupDimension))
                            .OrderBy(d => d.Name == "LoadBalancer" ? 0 : d.Name == "TargetGroup" ? 1 : 2);
                        lines.Add(new PlannedLine(line, $"{line.Label} · {name}",
                            new SeriesKey(target.Namespace, line.MetricName, line.Stat, SeriesKey.DimensionText(dims), start, end, period)));
                    }
                    if (target.GroupDimensions.Length > MaxGroupsInBalancerScope)
                    {
                        notes.Add($"{line.Label}: the first {MaxGroupsInBalancerScope} of {target.GroupDimensions.Length} target groups; pick a group for the others.");
                    }
                }
                else
                {
                    notes.Add($"{line.Label} ({line.MetricName}) is not published {ScopeText(target.Scope)}; it exists {Where(line.Scopes)}.");
                }
            }
            plan.Add(new PlannedChart(chart, [.. lines], [.. notes.Distinct()]));
        }
        return plan;
    }

    private static string ScopeText(MetricScopes scope) => scope switch
    {
        MetricScopes.TargetGroup => "per target group",
        MetricScopes.TargetGroupZone => "per target group and zone",
        MetricScopes.Zone => "per zone",
        _ => "for the whole balancer",
    };

    private static string Where(MetricScopes scopes) => string.Join(" and ", new[]
    {
        scopes.HasFlag(MetricScopes.Balancer) ? "for the whole balancer" : null,
        scopes.HasFlag(MetricScopes.Zone) ? "per zone" : null,
        scopes.HasFlag(MetricScopes.TargetGroup) ? "per target group" : null,
    }.OfType<string>());

    private static MetricsView Assemble(Target target, MetricsRequest request, DateTimeOffset start, DateTimeOffset end, int period,
        List<PlannedChart> plan, IReadOnlyDictionary<SeriesKey, CachedSeries> series)
    {
        var charts = new List<MetricChart>();
        DateTimeOffset? readAt = null;
        foreach (var chart in plan)
        {
            var lines = new List<MetricSeries>();
            foreach (var line in chart.Lines)
            {
                if (line.Key is { } key && series.TryGetValue(key, out var data))
                {
                    readAt = readAt is null || data.ReadAt < readAt ? data.ReadAt : readAt;
                    lines.Add(new MetricSeries(line.Definition.Id, line.Label, data.Times, data.Values));
                }
                else if (line.Definition.Id == MetricCatalog.ErrorShareId)
                {
                    lines.Add(ErrorShare(plan, series));
                }
            }
            charts.Add(new MetricChart(chart.Definition, [.. lines], chart.Notes));
        }
        return new MetricsView
        {
            LoadBalancer = target.Name,
            Type = target.Type,
            TargetGroup = request.TargetGroup,
            Zone = request.Zone,
            Start = start,
            End = end,
            Period = period,
            Charts = [.. charts],
            TargetGroups = target.Groups,
            Zones = target.Zones,
            ReadAt = readAt,
        };
    }

    /// <summary>
    /// 100 × (target 5xx + ELB 5xx) ÷ requests, for each period with requests. A missing error count in a period with
    /// requests is zero errors (ELB publishes no zero counts); a period without requests has no share (a gap).
    /// </summary>
    private static MetricSeries ErrorShare(List<PlannedChart> plan, IReadOnlyDictionary<SeriesKey, CachedSeries> series)
    {
        Dictionary<long, double> Points(string id)
        {
            var key = plan.SelectMany(c => c.Lines).FirstOrDefault(l => l.Definition.Id == id)?.Key;
            return key is not null && series.TryGetValue(key, out var data)
                ? data.Times.Zip(data.Values).ToDictionary(p => p.First, p => p.Second)
                : [];
        }
        var requests = Points("requests");
        var target5xx = Points("target5xx");
        var elb5xx = Points("elb5xx");
        var times = requests.Where(p => p.Value > 0).Select(p => p.Key).Order().ToImmutableArray();
        var values = times.Select(t => 100 * (target5xx.GetValueOrDefault(t) + elb5xx.GetValueOrDefault(t)) / requests[t]).ToImmutableArray();
        return new MetricSeries(MetricCatalog.ErrorShareId, "5xx %", times, values);
    }

    private static string Reason(Exception ex) => ex switch
    {
        AwsServiceException { ErrorCode: "Throttling" or "ThrottlingException" or "RequestLimitExceeded" } => "throttled by CloudWatch (retrying on the next refresh)",
        AwsServiceException { StatusCode: 403 } aws => $"access denied ({aws.ErrorCode}): the dashboard's role needs cloudwatch:GetMetricData",
        AwsServiceException aws => $"{aws.ErrorCode ?? "error"}: {aws.ErrorMessage ?? aws.Message}",
        AwsCredentialsException => "no AWS credentials",
        OperationCanceledException or TimeoutException => "CloudWatch did not answer in time",
        _ => ex.Message,
    };
}
