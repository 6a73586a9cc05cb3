using System.Globalization;

namespace Dashboard.Server.Aws.CostExplorer;

/// <summary>
/// A Cost Explorer time period; <see cref="End"/> is exclusive. Dates as <c>yyyy-MM-dd</c>, or ISO timestamps for
/// HOURLY granularity, exactly as the API takes them.
/// </summary>
public sealed record DateInterval(string Start, string End)
{
    public static DateInterval Of(DateOnly start, DateOnly endExclusive)
    {
        if (endExclusive <= start)
        {
            throw new ArgumentException($"The end date {endExclusive:yyyy-MM-dd} must be after the start date {start:yyyy-MM-dd} (the end is exclusive).", nameof(endExclusive));
        }
        return new(start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), endExclusive.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }
}

/// <summary>Granularity of cost results.</summary>
public enum Granularity
{
    Daily,
    Monthly,
    Hourly,
}

/// <summary>What a group-by groups on.</summary>
public enum GroupDefinitionType
{
    Dimension,
    Tag,
    CostCategory,
}

/// <summary>A group-by: a dimension (<c>SERVICE</c>, <c>USAGE_TYPE</c>, <c>RESOURCE_ID</c>…), a tag key or a cost category.</summary>
public sealed record GroupDefinition(GroupDefinitionType Type, string Key);

/// <summary>
/// A Cost Explorer filter (the API's <c>Expression</c>): exactly one of the members is set.
/// <c>CostExpression.Dimension("SERVICE", "Amazon Elastic Load Balancing")</c> is the filter the dashboard uses most.
/// </summary>
public sealed record CostExpression
{
    public IReadOnlyList<CostExpression>? And { get; init; }
    public IReadOnlyList<CostExpression>? Or { get; init; }
    public CostExpression? Not { get; init; }
    public DimensionValues? Dimensions { get; init; }
    public TagValues? Tags { get; init; }
    public CostCategoryValues? CostCategories { get; init; }

    public static CostExpression Dimension(string key, params string[] values) => new() { Dimensions = new DimensionValues(key, values) };

    public static CostExpression Tag(string key, params string[] values) => new() { Tags = new TagValues(key, values) };

    public static CostExpression AllOf(params CostExpression[] expressions) => new() { And = expressions };
}

/// <summary>Values of a dimension to match; match options such as <c>EQUALS</c>, <c>ABSENT</c>.</summary>
public sealed record DimensionValues(string Key, IReadOnlyList<string> Values, IReadOnlyList<string>? MatchOptions = null);

/// <summary>Values of a cost-allocation tag to match.</summary>
public sealed record TagValues(string Key, IReadOnlyList<string> Values, IReadOnlyList<string>? MatchOptions = null);

/// <summary>Values of a cost category to match.</summary>
public sealed record CostCategoryValues(string Key, IReadOnlyList<string> Values, IReadOnlyList<string>? MatchOptions = null);

/// <summary>Input of GetCostAndUsage and GetCostAndUsageWithResources.</summary>
public sealed record CostAndUsageRequest
{
    public required DateInterval TimePeriod { get; init; }
    public required Granularity Granularity { get; init; }

    /// <summary>e.g. <c>UnblendedCost</c>, <c>AmortizedCost</c>, <c>UsageQuantity</c>.</summary>
    public required IReadOnlyList<string> Metrics { get; init; }
    public CostExpression? Filter { get; init; }

    /// <summary>At most two.</summary>
    public IReadOnlyList<GroupDefinition> GroupBy { get; init; } = [];
}

/// <summary>An amount with its unit, e.g. 16.43 USD.</summary>
public sealed record MetricValue(decimal Amount, string? Unit);

/// <summary>The costs of one group (keys in group-by order; a tag key comes as <c>key$value</c>).</summary>
public sealed record Group(IReadOnlyList<string> Keys, IReadOnlyDictionary<string, MetricValue> Metrics);

/// <summary>The costs of one time period: the total (when not grouped) and the groups.</summary>
public sealed record ResultByTime
{
    public required DateInterval TimePeriod { get; init; }
    public IReadOnlyDictionary<string, MetricValue> Total { get; init; } = new Dictionary<string, MetricValue>();
    public IReadOnlyList<Group> Groups { get; init; } = [];

    /// <summary>True while the period's bill is not final.</summary>
    public bool Estimated { get; init; }
}

/// <summary>Attributes of a dimension value (e.g. a linked account's description).</summary>
public sealed record DimensionValuesWithAttributes(string Value, IReadOnlyDictionary<string, string> Attributes);

/// <summary>The answer of GetCostAndUsage(WithResources), every page merged.</summary>
public sealed record CostAndUsage
{
    public IReadOnlyList<GroupDefinition> GroupDefinitions { get; init; } = [];
    public IReadOnlyList<ResultByTime> ResultsByTime { get; init; } = [];
    public IReadOnlyList<DimensionValuesWithAttributes> DimensionValueAttributes { get; init; } = [];
}

/// <summary>Input of GetCostForecast.</summary>
public sealed record CostForecastRequest
{
    /// <summary>Starts today or later; the end is exclusive.</summary>
    public required DateInterval TimePeriod { get; init; }

    /// <summary>e.g. <c>UNBLENDED_COST</c>, <c>AMORTIZED_COST</c>, <c>NET_UNBLENDED_COST</c>.</summary>
    public required string Metric { get; init; }
    public required Granularity Granularity { get; init; }
    public CostExpression? Filter { get; init; }

    /// <summary>Confidence of the prediction interval, 51–99.</summary>
    public int? PredictionIntervalLevel { get; init; }
}

/// <summary>The forecast of one period.</summary>
public sealed record ForecastResult(DateInterval TimePeriod, decimal? MeanValue, decimal? PredictionIntervalLowerBound, decimal? PredictionIntervalUpperBound);

/// <summary>The answer of GetCostForecast.</summary>
public sealed record CostForecast(MetricValue? Total, IReadOnlyList<ForecastResult> ForecastResultsByTime);
