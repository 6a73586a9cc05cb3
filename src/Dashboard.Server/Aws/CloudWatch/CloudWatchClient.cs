using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dashboard.Server.Aws.CloudWatch;

/// <summary>
/// CloudWatch GetMetricData over the JSON 1.0 protocol (<c>X-Amz-Target: GraniteServiceVersion20100801.GetMetricData</c>),
/// timestamps as epoch seconds. Hand-written because AWSSDK.CloudWatch cannot be restored here (see docs/aws.md).
/// </summary>
public sealed class CloudWatchClient : ICloudWatchClient
{
    public const string TargetPrefix = "GraniteServiceVersion20100801";

    /// <summary>GetMetricData accepts at most this many queries per call.</summary>
    public const int MaxQueriesPerCall = 500;

    private static readonly MediaTypeHeaderValue JsonContentType = new("application/x-amz-json-1.0");

    private readonly AwsTransport _transport;

    public CloudWatchClient(IHttpClientFactory httpClientFactory, IAwsEndpointResolver endpointResolver, ILogger<CloudWatchClient> logger)
    {
        _transport = new AwsTransport(httpClientFactory, endpointResolver, AwsService.CloudWatch, logger);
    }

    public async Task<MetricDataResponse> GetMetricDataAsync(IReadOnlyList<MetricDataQuery> queries, DateTimeOffset startTime, DateTimeOffset endTime, ScanBy? scanBy = null, int? maxDatapoints = null, CancellationToken cancellationToken = default)
    {
        Validate(queries, startTime, endTime);
        var results = new Dictionary<string, SeriesBuilder>(StringComparer.Ordinal);
        foreach (var query in queries)
        {
            results[query.Id] = new SeriesBuilder(query.Id);
        }
        var messages = new List<MessageData>();

        foreach (var batch in queries.Chunk(MaxQueriesPerCall))
        {
            string? nextToken = null;
            var seenTokens = new HashSet<string>(StringComparer.Ordinal);
            do
            {
                var body = RequestBody(batch, startTime, endTime, scanBy, maxDatapoints, nextToken);
                // AWS bills GetMetricData by the metrics each request asks for (math expressions are free; their inputs are queries).
                var json = await _transport.SendAsync("GetMetricData", () => Content(body), $"{TargetPrefix}.GetMetricData",
                    batch.Count(q => q.MetricStat is not null), cancellationToken);
                nextToken = ReadPage(json, results, messages);
                if (nextToken is not null && !seenTokens.Add(nextToken))
                {
                    throw new AwsServiceException(AwsService.CloudWatch.Name, "GetMetricData", 200, null, "the service returned the same NextToken twice; paging stopped", null);
                }
            }
            while (nextToken is not null);
        }

        return new MetricDataResponse
        {
            MetricDataResults = queries.Select(q => results[q.Id].Build()).Where(r => r is not null).Select(r => r!).ToArray(),
            Messages = messages,
        };
    }

    private static void Validate(IReadOnlyList<MetricDataQuery> queries, DateTimeOffset startTime, DateTimeOffset endTime)
    {
        ArgumentNullException.ThrowIfNull(queries);
        if (queries.Count == 0)
        {
            throw new ArgumentException("Pass at least one MetricDataQuery.", nameof(queries));
        }
        if (endTime <= startTime)
        {
            throw new ArgumentException($"endTime ({endTime:O}) must be after startTime ({startTime:O}).", nameof(endTime));
        }
        var duplicate = queries.GroupBy(q => q.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"MetricDataQuery Id '{duplicate.Key}' is used more than once; every Id must be unique.", nameof(queries));
        }
        foreach (var query in queries)
        {
            if ((query.MetricStat is null) == (query.Expression is null))
            {
                throw new ArgumentException($"MetricDataQuery '{query.Id}' must have exactly one of MetricStat and Expression.", nameof(queries));
            }
        }
        if (queries.Count > MaxQueriesPerCall && queries.Any(q => q.Expression is not null))
        {
            throw new ArgumentException($"{queries.Count} queries need several GetMetricData calls (at most {MaxQueriesPerCall} each), and a math expression cannot refer to queries of another call: split the queries yourself or drop the expressions.", nameof(queries));
        }
    }

    private static HttpContent Content(string body)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = JsonContentType;
        return content;
    }

    internal static string RequestBody(IEnumerable<MetricDataQuery> queries, DateTimeOffset startTime, DateTimeOffset endTime, ScanBy? scanBy, int? maxDatapoints, string? nextToken)
    {
        var body = new JsonObject
        {
            ["MetricDataQueries"] = new JsonArray(queries.Select(QueryJson).ToArray()),
            ["StartTime"] = EpochSeconds(startTime),
            ["EndTime"] = EpochSeconds(endTime),
        };
        if (nextToken is not null)
        {
            body["NextToken"] = nextToken;
        }
        if (scanBy is not null)
        {
            body["ScanBy"] = scanBy.Value.ToString();
        }
        if (maxDatapoints is not null)
        {
            body["MaxDatapoints"] = maxDatapoints.Value;
        }
        return body.ToJsonString();
    }

    private static JsonNode QueryJson(MetricDataQuery query)
    {
        var json = new JsonObject { ["Id"] = query.Id };
        if (query.MetricStat is { } stat)
        {
            var metric = new JsonObject
            {
                ["Namespace"] = stat.Metric.Namespace,
                ["MetricName"] = stat.Metric.MetricName,
                ["Dimensions"] = new JsonArray(stat.Metric.Dimensions.Select(d => (JsonNode)new JsonObject { ["Name"] = d.Name, ["Value"] = d.Value }).ToArray()),
            };
            var statJson = new JsonObject { ["Metric"] = metric, ["Period"] = stat.Period, ["Stat"] = stat.Stat };
            if (stat.Unit is not null)
            {
                statJson["Unit"] = stat.Unit;
            }
            json["MetricStat"] = statJson;
        }
        if (query.Expression is not null)
        {
            json["Expression"] = query.Expression;
        }
        if (query.Label is not null)
        {
            json["Label"] = query.Label;
        }
        if (query.ReturnData is not null)
        {
            json["ReturnData"] = query.ReturnData.Value;
        }
        if (query.Period is not null)
        {
            json["Period"] = query.Period.Value;
        }
        if (query.AccountId is not null)
        {
            json["AccountId"] = query.AccountId;
        }
        return json;
    }

    // Whole seconds as an integer, as the AWS CLI sends them; sub-second precision as a decimal fraction.
    private static JsonNode EpochSeconds(DateTimeOffset time)
    {
        var milliseconds = time.ToUnixTimeMilliseconds();
        return milliseconds % 1000 == 0 ? JsonValue.Create(milliseconds / 1000) : JsonValue.Create(milliseconds / 1000m);
    }

    private static string? ReadPage(string json, Dictionary<string, SeriesBuilder> results, List<MessageData> messages)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.TryGetProperty("MetricDataResults", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in list.EnumerateArray())
                {
                    var id = item.GetProperty("Id").GetString() ?? throw new FormatException("MetricDataResult without Id.");
                    if (!results.TryGetValue(id, out var series))
                    {
                        // An Id the caller did not send (should not happen): keep it rather than drop data.
                        series = results[id] = new SeriesBuilder(id);
                    }
                    series.Add(item);
                }
            }
            messages.AddRange(Messages(root));
            return root.TryGetProperty("NextToken", out var token) && token.ValueKind == JsonValueKind.String && token.GetString() is { Length: > 0 } next ? next : null;
        }
        catch (Exception exception) when (exception is JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            throw new AwsServiceException(AwsService.CloudWatch.Name, "GetMetricData", 200, null, $"unreadable response: {exception.Message}", null, exception);
        }
    }

    internal static IEnumerable<MessageData> Messages(JsonElement element) =>
        element.TryGetProperty("Messages", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(m => new MessageData(OptionalString(m, "Code"), OptionalString(m, "Value"))).ToArray()
            : [];

    private static string? OptionalString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    internal static DateTimeOffset ReadTimestamp(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(value.GetDouble() * 1000)),
        JsonValueKind.String => DateTimeOffset.Parse(value.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
        _ => throw new FormatException($"a timestamp must be epoch seconds or ISO 8601, got {value.ValueKind}"),
    };

    /// <summary>Accumulates one query's datapoints across pages.</summary>
    private sealed class SeriesBuilder(string id)
    {
        private readonly List<DateTimeOffset> _timestamps = [];
        private readonly List<double> _values = [];
        private readonly List<MessageData> _messages = [];
        private string? _label;
        private string? _statusCode;
        private bool _seen;

        public void Add(JsonElement item)
        {
            _seen = true;
            _label ??= OptionalString(item, "Label");
            _statusCode = OptionalString(item, "StatusCode") ?? _statusCode;
            if (item.TryGetProperty("Timestamps", out var timestamps) && timestamps.ValueKind == JsonValueKind.Array)
            {
                _timestamps.AddRange(timestamps.EnumerateArray().Select(ReadTimestamp));
            }
            if (item.TryGetProperty("Values", out var values) && values.ValueKind == JsonValueKind.Array)
            {
                _values.AddRange(values.EnumerateArray().Select(v => v.GetDouble()));
            }
            _messages.AddRange(Messages(item));
            if (_timestamps.Count != _values.Count)
            {
                throw new FormatException($"result '{id}' has {_timestamps.Count} timestamps but {_values.Count} values");
            }
        }

        public MetricDataResult? Build() => !_seen
            ? null
            : new MetricDataResult
            {
                Id = id,
                Label = _label,
                Timestamps = _timestamps.ToArray(),
                Values = _values.ToArray(),
                StatusCode = _statusCode,
                Messages = _messages.ToArray(),
            };
    }
}
