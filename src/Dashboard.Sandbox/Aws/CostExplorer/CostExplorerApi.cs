using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dashboard.Sandbox.Aws.CloudWatch;

namespace Dashboard.Sandbox.Aws.CostExplorer;

/// <summary>
/// Cost Explorer (2017-10-25, JSON 1.1) over <see cref="ElbCostModel"/>: GetCostAndUsage,
/// GetCostAndUsageWithResources and GetCostForecast with filters, group-bys, paging and the real error codes.
/// </summary>
public sealed class CostExplorerApi(AwsWorld world, ElbCostModel costs)
{
    public const string TargetPrefix = "AWSInsightsIndexService";
    private static readonly string[] CostMetrics = ["AmortizedCost", "BlendedCost", "NetAmortizedCost", "NetUnblendedCost", "UnblendedCost"];
    private static readonly string[] UsageMetrics = ["UsageQuantity", "NormalizedUsageAmount"];
    private static readonly string[] GroupDimensions = ["SERVICE", "USAGE_TYPE", "REGION", "LINKED_ACCOUNT", "RECORD_TYPE"];

    /// <summary>Groups per response page before a NextPageToken is returned (whole time periods stay together).</summary>
    public int MaxGroupsPerPage { get; set; } = 1000;

    public JsonNode Handle(string action, JsonElement body) => action switch
    {
        "GetCostAndUsage" => GetCostAndUsage(body, withResources: false),
        "GetCostAndUsageWithResources" => GetCostAndUsage(body, withResources: true),
        "GetCostForecast" => GetCostForecast(body),
        _ => throw new AwsApiException("UnknownOperationException", $"Operation {action} is not emulated; the sandbox serves GetCostAndUsage, GetCostAndUsageWithResources and GetCostForecast"),
    };

    private JsonObject GetCostAndUsage(JsonElement body, bool withResources)
    {
        var granularity = Granularity(body, withResources ? ["DAILY", "HOURLY", "MONTHLY"] : ["DAILY", "MONTHLY", "HOURLY"]);
        var hourly = granularity == "HOURLY";
        var (start, end) = TimePeriod(body, hourly);
        var now = world.TimeProvider.GetUtcNow();
        if (start < costs.HistoryStart)
        {
            throw new AwsApiException("DataUnavailableException", $"Cost data is available from {Day(costs.HistoryStart)} (13 months); start the TimePeriod on or after it");
        }
        if ((hourly || withResources) && start < now.Date.AddDays(-14))
        {
            throw Validation($"{(withResources ? "Resource-level" : "Hourly")} data is available for the last 14 days only; start the TimePeriod on or after {Day(now.Date.AddDays(-14))}");
        }
        var metrics = Metrics(body);
        var filter = body.TryGetProperty("Filter", out var filterElement) ? CostFilter.Parse(filterElement, withResources) : null;
        if (withResources && filter is null)
        {
            throw Validation("Filter is required for GetCostAndUsageWithResources: filter at least by SERVICE");
        }
        var groupBy = GroupBy(body, withResources);
        var periods = Periods(start, end, granularity).Where(p => p.Start < now).ToList();
        var offset = body.TryGetProperty("NextPageToken", out var token) ? DecodeToken(token.GetString()) : 0;

        var resultsByTime = new JsonArray();
        var groupsInPage = 0;
        var index = offset;
        for (; index < periods.Count; index++)
        {
            var (periodStart, periodEnd) = periods[index];
            var items = costs.LineItems(periodStart, periodEnd).Where(i => filter?.Matches(i) ?? true).ToList();
            var entry = new JsonObject { ["TimePeriod"] = Period(periodStart, periodEnd, hourly) };
            if (groupBy.Count == 0)
            {
                entry["Total"] = MetricValues(metrics, items);
                entry["Groups"] = new JsonArray();
            }
            else
            {
                var groups = items.GroupBy(i => string.Join('\u0001', groupBy.Select(g => g.KeyOf(i))), StringComparer.Ordinal)
                    .OrderBy(g => g.Key, StringComparer.Ordinal)
                    .Select(g => (JsonNode)new JsonObject
                    {
                        ["Keys"] = new JsonArray([.. g.Key.Split('\u0001').Select(k => (JsonNode)JsonValue.Create(k))]),
                        ["Metrics"] = MetricValues(metrics, [.. g]),
                    }).ToList();
                if (groupsInPage > 0 && groupsInPage + groups.Count > MaxGroupsPerPage)
                {
                    break;
                }
                groupsInPage += groups.Count;
                entry["Total"] = new JsonObject();
                entry["Groups"] = new JsonArray([.. groups]);
            }
            entry["Estimated"] = periodEnd > new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
            resultsByTime.Add(entry);
        }
        var response = new JsonObject
        {
            ["GroupDefinitions"] = new JsonArray([.. groupBy.Select(g => (JsonNode)new JsonObject { ["Type"] = g.Type, ["Key"] = g.Key })]),
            ["ResultsByTime"] = resultsByTime,
            ["DimensionValueAttributes"] = new JsonArray(),
        };
        if (index < periods.Count)
        {
            response["NextPageToken"] = EncodeToken(index);
        }
        return response;
    }

    private JsonObject GetCostForecast(JsonElement body)
    {
        var metric = body.TryGetProperty("Metric", out var metricElement) ? metricElement.GetString() : null;
        var usage = metric is "USAGE_QUANTITY" or "NORMALIZED_USAGE_AMOUNT";
        if (metric is not ("AMORTIZED_COST" or "BLENDED_COST" or "NET_AMORTIZED_COST" or "NET_UNBLENDED_COST" or "UNBLENDED_COST") && !usage)
        {
            throw Validation($"Metric '{metric ?? "null"}' is not valid: use one of AMORTIZED_COST, BLENDED_COST, NET_AMORTIZED_COST, NET_UNBLENDED_COST, UNBLENDED_COST, USAGE_QUANTITY, NORMALIZED_USAGE_AMOUNT");
        }
        var granularity = Granularity(body, ["DAILY", "MONTHLY"]);
        var (start, end) = TimePeriod(body, hourly: false);
        var today = new DateTimeOffset(world.TimeProvider.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
        if (start < today)
        {
            throw Validation($"Start date must be equal or after current date ({Day(today)})");
        }
        if (end > today.AddMonths(18))
        {
            throw Validation("End date must be within 18 months of the current date");
        }
        var level = body.TryGetProperty("PredictionIntervalLevel", out var levelElement) ? levelElement.GetInt32() : 80;
        if (level is < 51 or > 99)
        {
            throw Validation($"PredictionIntervalLevel {level} must be between 51 and 99");
        }
        var filter = body.TryGetProperty("Filter", out var filterElement) ? CostFilter.Parse(filterElement, withResources: false) : null;
        var history = costs.LineItems(today.AddDays(-30), today).Where(i => filter?.Matches(i) ?? true).Sum(i => usage ? i.Usage : i.Cost);
        if (history == 0)
        {
            throw new AwsApiException("DataUnavailableException", "Insufficient amount of historical data to generate forecast.");
        }
        var z = (decimal)ElbTrafficModel.InverseNormal(0.5 + (level / 200.0));
        var results = new JsonArray();
        decimal total = 0;
        foreach (var (periodStart, periodEnd) in Periods(start, end, granularity))
        {
            var mean = costs.LineItems(periodStart, periodEnd, forecast: true).Where(i => filter?.Matches(i) ?? true).Sum(i => usage ? i.Usage : i.Cost);
            total += mean;
            // Uncertainty grows with distance from today: 3 % a day ahead, more later, capped at 30 %.
            var spread = mean * Math.Min(0.3m, 0.03m + (0.005m * (decimal)(periodStart - today).TotalDays)) * z / 1.2816m;
            results.Add(new JsonObject
            {
                ["TimePeriod"] = Period(periodStart, periodEnd, hourly: false),
                ["MeanValue"] = Amount(mean),
                ["PredictionIntervalLowerBound"] = Amount(Math.Max(0, mean - spread)),
                ["PredictionIntervalUpperBound"] = Amount(mean + spread),
            });
        }
        return new JsonObject
        {
            ["Total"] = new JsonObject { ["Amount"] = Amount(total), ["Unit"] = usage ? "N/A" : "USD" },
            ["ForecastResultsByTime"] = results,
        };
    }

    // ---- request parts -----------------------------------------------------------------------------------------

    private static string Granularity(JsonElement body, string[] allowed)
    {
        var value = body.TryGetProperty("Granularity", out var element) ? element.GetString() : null;
        return value is not null && allowed.Contains(value)
            ? value
            : throw Validation($"Granularity '{value ?? "null"}' is not valid: use one of {string.Join(", ", allowed)}");
    }

    private static (DateTimeOffset Start, DateTimeOffset End) TimePeriod(JsonElement body, bool hourly)
    {
        if (!body.TryGetProperty("TimePeriod", out var period) || !period.TryGetProperty("Start", out var startElement) || !period.TryGetProperty("End", out var endElement))
        {
            throw Validation("TimePeriod with Start and End is required, e.g. {\"Start\":\"2025-01-01\",\"End\":\"2025-02-01\"}");
        }
        var start = ParseDate(startElement.GetString(), "TimePeriod.Start", hourly);
        var end = ParseDate(endElement.GetString(), "TimePeriod.End", hourly);
        return start < end ? (start, end) : throw Validation("Start date (and hour) should be before end date (and hour)");
    }

    private static DateTimeOffset ParseDate(string? text, string field, bool hourly)
    {
        var formats = hourly ? new[] { "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd" } : ["yyyy-MM-dd"];
        return DateTimeOffset.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value
            : throw Validation($"{field} '{text}' is not valid: use {(hourly ? "yyyy-MM-ddTHH:mm:ssZ" : "yyyy-MM-dd")}");
    }

    private static List<string> Metrics(JsonElement body)
    {
        if (!body.TryGetProperty("Metrics", out var element) || element.GetArrayLength() == 0)
        {
            throw Validation("Metrics is required: name at least one of UnblendedCost, BlendedCost, AmortizedCost, UsageQuantity, …");
        }
        var metrics = element.EnumerateArray().Select(m => m.GetString()!).ToList();
        foreach (var metric in metrics.Where(m => !CostMetrics.Contains(m) && !UsageMetrics.Contains(m)))
        {
            throw Validation($"Metric '{metric}' is not valid: use one of {string.Join(", ", CostMetrics.Concat(UsageMetrics))}");
        }
        return metrics;
    }

    private static List<CostGroupBy> GroupBy(JsonElement body, bool withResources)
    {
        if (!body.TryGetProperty("GroupBy", out var element))
        {
            return [];
        }
        var result = new List<CostGroupBy>();
        foreach (var group in element.EnumerateArray())
        {
            var type = group.TryGetProperty("Type", out var t) ? t.GetString() : null;
            var key = group.TryGetProperty("Key", out var k) ? k.GetString() : null;
            if (type == "DIMENSION" && key is not null && (GroupDimensions.Contains(key) || (withResources && key == "RESOURCE_ID")))
            {
                result.Add(new CostGroupBy(type, key));
            }
            else if (type == "TAG" && !string.IsNullOrEmpty(key))
            {
                result.Add(new CostGroupBy(type, key));
            }
            else
            {
                throw Validation($"Group Definition '{type}:{key}' is not valid: use DIMENSION with one of {string.Join(", ", GroupDimensions)}{(withResources ? ", RESOURCE_ID" : "")}, or TAG with a tag key");
            }
        }
        if (result.Count > 2)
        {
            throw Validation("You can group by at most two dimensions, tags or cost categories");
        }
        if (result.Distinct().Count() != result.Count)
        {
            throw Validation("Group Definitions must be unique");
        }
        return result;
    }

    // ---- shapes ------------------------------------------------------------------------------------------------

    private static JsonObject MetricValues(List<string> metrics, List<CostLineItem> items)
    {
        var result = new JsonObject();
        foreach (var metric in metrics)
        {
            var usage = UsageMetrics.Contains(metric);
            result[metric] = new JsonObject
            {
                ["Amount"] = Amount(items.Sum(i => usage ? i.Usage : i.Cost)),
                ["Unit"] = usage ? "N/A" : "USD",
            };
        }
        return result;
    }

    private static JsonObject Period(DateTimeOffset start, DateTimeOffset end, bool hourly) => new()
    {
        ["Start"] = hourly ? start.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : Day(start),
        ["End"] = hourly ? end.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : Day(end),
    };

    private static IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> Periods(DateTimeOffset start, DateTimeOffset end, string granularity)
    {
        var cursor = start;
        while (cursor < end)
        {
            var next = granularity switch
            {
                "HOURLY" => cursor.AddHours(1),
                "DAILY" => cursor.Date.AddDays(1),
                _ => new DateTimeOffset(cursor.Year, cursor.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1),
            };
            var periodEnd = next < end ? new DateTimeOffset(next.DateTime, TimeSpan.Zero) : end;
            yield return (cursor, periodEnd);
            cursor = periodEnd;
        }
    }

    private static string Amount(decimal value) => Math.Round(value, 10).ToString("0.##########", CultureInfo.InvariantCulture);

    private static string Day(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string EncodeToken(int index) => Convert.ToBase64String(Encoding.UTF8.GetBytes("ce-period:" + index.ToString(CultureInfo.InvariantCulture)));

    private static int DecodeToken(string? token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token ?? ""));
            if (text.StartsWith("ce-period:", StringComparison.Ordinal) && int.TryParse(text[10..], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                return index;
            }
        }
        catch (FormatException)
        {
            // reported below
        }
        throw new AwsApiException("InvalidNextTokenException", "The pagination token is invalid: pass the previous response's NextPageToken unchanged");
    }

    internal static AwsApiException Validation(string message) => new("ValidationException", message);

    private sealed record CostGroupBy(string Type, string Key)
    {
        public string KeyOf(CostLineItem item) => Type == "TAG"
            ? $"{Key}${item.Tags.GetValueOrDefault(Key, "")}"
            : CostFilter.DimensionValue(item, Key);
    }
}
