using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dashboard.Server.Aws.CostExplorer;

/// <summary>
/// Cost Explorer over the JSON 1.1 protocol (<c>X-Amz-Target: AWSInsightsIndexService.*</c>), always signed for
/// us-east-1. Hand-written because AWSSDK.CostExplorer cannot be restored here (see docs/aws.md).
/// </summary>
public sealed class CostExplorerClient : ICostExplorerClient
{
    public const string TargetPrefix = "AWSInsightsIndexService";

    private static readonly MediaTypeHeaderValue JsonContentType = new("application/x-amz-json-1.1");

    private readonly AwsTransport _transport;

    public CostExplorerClient(IHttpClientFactory httpClientFactory, IAwsEndpointResolver endpointResolver, ILogger<CostExplorerClient> logger)
    {
        _transport = new AwsTransport(httpClientFactory, endpointResolver, AwsService.CostExplorer, logger);
    }

    public Task<CostAndUsage> GetCostAndUsageAsync(CostAndUsageRequest request, CancellationToken cancellationToken = default) =>
        CostAndUsagePagesAsync("GetCostAndUsage", request, cancellationToken);

    public Task<CostAndUsage> GetCostAndUsageWithResourcesAsync(CostAndUsageRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Filter is null)
        {
            throw new ArgumentException("GetCostAndUsageWithResources needs a Filter, e.g. CostExpression.Dimension(\"SERVICE\", \"Amazon Elastic Load Balancing\").", nameof(request));
        }
        return CostAndUsagePagesAsync("GetCostAndUsageWithResources", request, cancellationToken);
    }

    public async Task<CostForecast> GetCostForecastAsync(CostForecastRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = new JsonObject
        {
            ["TimePeriod"] = IntervalJson(request.TimePeriod),
            ["Metric"] = request.Metric,
            ["Granularity"] = GranularityName(request.Granularity),
        };
        if (request.Filter is not null)
        {
            body["Filter"] = ExpressionJson(request.Filter);
        }
        if (request.PredictionIntervalLevel is not null)
        {
            body["PredictionIntervalLevel"] = request.PredictionIntervalLevel.Value;
        }
        return await CallAsync("GetCostForecast", body, root => new CostForecast(
            root.TryGetProperty("Total", out var total) ? MetricValueOf(total) : null,
            Array(root, "ForecastResultsByTime").Select(r => new ForecastResult(
                Interval(r.GetProperty("TimePeriod")),
                OptionalDecimal(r, "MeanValue"),
                OptionalDecimal(r, "PredictionIntervalLowerBound"),
                OptionalDecimal(r, "PredictionIntervalUpperBound"))).ToArray()), cancellationToken);
    }

    private async Task<CostAndUsage> CostAndUsagePagesAsync(string action, CostAndUsageRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Metrics.Count == 0)
        {
            throw new ArgumentException("Pass at least one metric, e.g. UnblendedCost.", nameof(request));
        }
        if (request.GroupBy.Count > 2)
        {
            throw new ArgumentException($"Cost Explorer groups by at most 2 keys; got {request.GroupBy.Count}.", nameof(request));
        }

        var groupDefinitions = new List<GroupDefinition>();
        var results = new List<ResultByTime>();
        var attributes = new List<DimensionValuesWithAttributes>();
        var seenTokens = new HashSet<string>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            var body = CostAndUsageBody(request, token);
            token = await CallAsync(action, body, root =>
            {
                if (groupDefinitions.Count == 0)
                {
                    groupDefinitions.AddRange(Array(root, "GroupDefinitions").Select(g => new GroupDefinition(GroupTypeOf(g.GetProperty("Type").GetString()), g.GetProperty("Key").GetString() ?? string.Empty)));
                }
                results.AddRange(Array(root, "ResultsByTime").Select(ResultByTimeOf));
                attributes.AddRange(Array(root, "DimensionValueAttributes").Select(a => new DimensionValuesWithAttributes(
                    OptionalString(a, "Value") ?? string.Empty,
                    a.TryGetProperty("Attributes", out var map) && map.ValueKind == JsonValueKind.Object
                        ? map.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty)
                        : new Dictionary<string, string>())));
                return OptionalString(root, "NextPageToken") is { Length: > 0 } next ? next : null;
            }, cancellationToken);
            if (token is not null && !seenTokens.Add(token))
            {
                throw new AwsServiceException(AwsService.CostExplorer.Name, action, 200, null, "the service returned the same NextPageToken twice; paging stopped", null);
            }
        }
        while (token is not null);

        return new CostAndUsage { GroupDefinitions = groupDefinitions, ResultsByTime = results, DimensionValueAttributes = attributes };
    }

    internal static JsonObject CostAndUsageBody(CostAndUsageRequest request, string? nextPageToken)
    {
        var body = new JsonObject
        {
            ["TimePeriod"] = IntervalJson(request.TimePeriod),
            ["Granularity"] = GranularityName(request.Granularity),
            ["Metrics"] = new JsonArray(request.Metrics.Select(m => (JsonNode)JsonValue.Create(m)).ToArray()),
        };
        if (request.Filter is not null)
        {
            body["Filter"] = ExpressionJson(request.Filter);
        }
        if (request.GroupBy.Count > 0)
        {
            body["GroupBy"] = new JsonArray(request.GroupBy.Select(g => (JsonNode)new JsonObject { ["Type"] = GroupTypeName(g.Type), ["Key"] = g.Key }).ToArray());
        }
        if (nextPageToken is not null)
        {
            body["NextPageToken"] = nextPageToken;
        }
        return body;
    }

    private async Task<T> CallAsync<T>(string action, JsonObject body, Func<JsonElement, T> read, CancellationToken cancellationToken)
    {
        var text = body.ToJsonString();
        var json = await _transport.SendAsync(action, () => Content(text), $"{TargetPrefix}.{action}", cancellationToken);
        try
        {
            using var document = JsonDocument.Parse(json);
            return read(document.RootElement);
        }
        catch (Exception exception) when (exception is JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            throw new AwsServiceException(AwsService.CostExplorer.Name, action, 200, null, $"unreadable response: {exception.Message}", null, exception);
        }
    }

    private static HttpContent Content(string body)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = JsonContentType;
        return content;
    }

    private static JsonObject IntervalJson(DateInterval interval) => new() { ["Start"] = interval.Start, ["End"] = interval.End };

    private static string GranularityName(Granularity granularity) => granularity switch
    {
        Granularity.Daily => "DAILY",
        Granularity.Monthly => "MONTHLY",
        Granularity.Hourly => "HOURLY",
        _ => throw new ArgumentOutOfRangeException(nameof(granularity), granularity, "Unknown granularity."),
    };

    private static string GroupTypeName(GroupDefinitionType type) => type switch
    {
        GroupDefinitionType.Dimension => "DIMENSION",
        GroupDefinitionType.Tag => "TAG",
        GroupDefinitionType.CostCategory => "COST_CATEGORY",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown group type."),
    };

    private static GroupDefinitionType GroupTypeOf(string? name) => name switch
    {
        "DIMENSION" => GroupDefinitionType.Dimension,
        "TAG" => GroupDefinitionType.Tag,
        "COST_CATEGORY" => GroupDefinitionType.CostCategory,
        _ => throw new FormatException($"unknown GroupDefinition Type '{name}'"),
    };

    internal static JsonObject ExpressionJson(CostExpression expression)
    {
        var json = new JsonObject();
        if (expression.And is not null)
        {
            json["And"] = new JsonArray(expression.And.Select(e => (JsonNode)ExpressionJson(e)).ToArray());
        }
        if (expression.Or is not null)
        {
            json["Or"] = new JsonArray(expression.Or.Select(e => (JsonNode)ExpressionJson(e)).ToArray());
        }
        if (expression.Not is not null)
        {
            json["Not"] = ExpressionJson(expression.Not);
        }
        if (expression.Dimensions is { } dimensions)
        {
            json["Dimensions"] = ValuesJson(dimensions.Key, dimensions.Values, dimensions.MatchOptions);
        }
        if (expression.Tags is { } tags)
        {
            json["Tags"] = ValuesJson(tags.Key, tags.Values, tags.MatchOptions);
        }
        if (expression.CostCategories is { } categories)
        {
            json["CostCategories"] = ValuesJson(categories.Key, categories.Values, categories.MatchOptions);
        }
        if (json.Count != 1)
        {
            throw new ArgumentException($"A CostExpression must set exactly one of And, Or, Not, Dimensions, Tags, CostCategories; this one sets {json.Count}.", nameof(expression));
        }
        return json;
    }

    private static JsonObject ValuesJson(string key, IReadOnlyList<string> values, IReadOnlyList<string>? matchOptions)
    {
        var json = new JsonObject
        {
            ["Key"] = key,
            ["Values"] = new JsonArray(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray()),
        };
        if (matchOptions is { Count: > 0 })
        {
            json["MatchOptions"] = new JsonArray(matchOptions.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());
        }
        return json;
    }

    private static ResultByTime ResultByTimeOf(JsonElement element) => new()
    {
        TimePeriod = Interval(element.GetProperty("TimePeriod")),
        Total = Metrics(element, "Total"),
        Groups = Array(element, "Groups").Select(g => new Group(
            Array(g, "Keys").Select(k => k.GetString() ?? string.Empty).ToArray(),
            Metrics(g, "Metrics"))).ToArray(),
        Estimated = element.TryGetProperty("Estimated", out var estimated) && estimated.ValueKind == JsonValueKind.True,
    };

    private static IReadOnlyDictionary<string, MetricValue> Metrics(JsonElement element, string name) =>
        element.TryGetProperty(name, out var map) && map.ValueKind == JsonValueKind.Object
            ? map.EnumerateObject().ToDictionary(p => p.Name, p => MetricValueOf(p.Value), StringComparer.Ordinal)
            : new Dictionary<string, MetricValue>(StringComparer.Ordinal);

    private static MetricValue MetricValueOf(JsonElement element) =>
        new(OptionalDecimal(element, "Amount") ?? 0m, OptionalString(element, "Unit"));

    private static DateInterval Interval(JsonElement element) =>
        new(element.GetProperty("Start").GetString() ?? string.Empty, element.GetProperty("End").GetString() ?? string.Empty);

    private static IEnumerable<JsonElement> Array(JsonElement element, string name) =>
        element.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array ? list.EnumerateArray() : [];

    private static string? OptionalString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    // Amounts travel as strings ("16.4321", "1.2E-5"); a number is accepted too.
    private static decimal? OptionalDecimal(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return null;
        }
        return value.ValueKind switch
        {
            JsonValueKind.String => decimal.Parse(value.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture),
            JsonValueKind.Number => value.GetDecimal(),
            JsonValueKind.Null => null,
            _ => throw new FormatException($"'{name}' is neither a number nor a numeric string"),
        };
    }
}
