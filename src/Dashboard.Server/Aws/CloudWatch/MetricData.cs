namespace Dashboard.Server.Aws.CloudWatch;

/// <summary>A CloudWatch metric: namespace, name and dimensions (e.g. <c>AWS/ApplicationELB</c> RequestCount by LoadBalancer).</summary>
public sealed record Metric
{
    public required string Namespace { get; init; }
    public required string MetricName { get; init; }
    public IReadOnlyList<Dimension> Dimensions { get; init; } = [];
}

/// <summary>A metric dimension, e.g. <c>LoadBalancer</c> = <c>app/my-alb/50dc6c495c0c9188</c>.</summary>
public sealed record Dimension(string Name, string Value);

/// <summary>A metric with the period (seconds) and statistic (<c>Sum</c>, <c>Average</c>, <c>p99</c>…) to return.</summary>
public sealed record MetricStat
{
    public required Metric Metric { get; init; }
    public required int Period { get; init; }
    public required string Stat { get; init; }
    public string? Unit { get; init; }
}

/// <summary>One query of a GetMetricData call: a metric (<see cref="MetricStat"/>) or a math <see cref="Expression"/>.</summary>
public sealed record MetricDataQuery
{
    /// <summary>Unique within the call; starts with a lower-case letter (CloudWatch's rule).</summary>
    public required string Id { get; init; }
    public MetricStat? MetricStat { get; init; }
    public string? Expression { get; init; }
    public string? Label { get; init; }
    public bool? ReturnData { get; init; }
    public int? Period { get; init; }
    public string? AccountId { get; init; }
}

/// <summary>Order of the returned datapoints.</summary>
public enum ScanBy
{
    TimestampDescending,
    TimestampAscending,
}

/// <summary>The datapoints of one query; every page of the answer merged into one series.</summary>
public sealed record MetricDataResult
{
    public required string Id { get; init; }
    public string? Label { get; init; }
    public IReadOnlyList<DateTimeOffset> Timestamps { get; init; } = [];
    public IReadOnlyList<double> Values { get; init; } = [];

    /// <summary><c>Complete</c>, <c>PartialData</c>, <c>InternalError</c> or <c>Forbidden</c> (of the last page).</summary>
    public string? StatusCode { get; init; }
    public IReadOnlyList<MessageData> Messages { get; init; } = [];
}

/// <summary>A message CloudWatch attached to a result or the whole answer.</summary>
public sealed record MessageData(string? Code, string? Value);

/// <summary>The merged answer of GetMetricData: one result per query, plus call-level messages.</summary>
public sealed record MetricDataResponse
{
    public IReadOnlyList<MetricDataResult> MetricDataResults { get; init; } = [];
    public IReadOnlyList<MessageData> Messages { get; init; } = [];
}
