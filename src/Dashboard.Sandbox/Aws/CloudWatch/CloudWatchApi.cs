using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Dashboard.Sandbox.Aws.Emulator;

namespace Dashboard.Sandbox.Aws.CloudWatch;

/// <summary>
/// One query of GetMetricData, parsed from either protocol: a MetricStat (<see cref="Metric"/> and <see cref="Stat"/>) or a
/// metric math <see cref="Expression"/> over the other queries' ids.
/// </summary>
public sealed record MetricDataQuery(string Id, MetricIdentity? Metric, int Period, MetricStatistic? Stat, string StatText, string? Label, bool ReturnData,
    string? Expression = null);

/// <summary>A GetMetricData request, parsed from either protocol.</summary>
public sealed record MetricDataRequest(
    IReadOnlyList<MetricDataQuery> Queries, DateTimeOffset StartTime, DateTimeOffset EndTime, string? NextToken, bool Descending, int MaxDatapoints);

/// <summary>One entry of MetricDataResults.</summary>
public sealed record MetricDataResult(string Id, string Label, IReadOnlyList<MetricDatapoint> Datapoints, bool Complete);

/// <summary>
/// CloudWatch (2010-08-01) GetMetricData over <see cref="ElbTrafficModel"/>, in JSON 1.0 (what botocore 1.43 and the
/// current SDKs send: its priority list puts <c>json</c> before <c>smithy-rpc-v2-cbor</c> and <c>query</c>) and in the
/// Query protocol older SDKs use.
/// </summary>
public sealed partial class CloudWatchApi(AwsWorld world, ElbTrafficModel traffic)
{
    public const string Version = "2010-08-01";
    public const string TargetPrefix = "GraniteServiceVersion20100801";
    public static readonly XNamespace Ns = "http://monitoring.amazonaws.com/doc/2010-08-01/";
    public const int MaxQueries = 500;
    public const int MaxDatapointsPerResponse = 100_800;

    public JsonNode HandleJson(string action, JsonElement body)
    {
        if (HandleOtherJson(action, body) is { } other)
        {
            return other;
        }
        RequireGetMetricData(action);
        var (results, next) = Execute(ParseJson(body));
        var array = new JsonArray();
        foreach (var result in results)
        {
            array.Add(new JsonObject
            {
                ["Id"] = result.Id,
                ["Label"] = result.Label,
                ["Timestamps"] = new JsonArray([.. result.Datapoints.Select(d => (JsonNode)JsonValue.Create(d.Timestamp.ToUnixTimeSeconds()))]),
                ["Values"] = new JsonArray([.. result.Datapoints.Select(d => (JsonNode)JsonValue.Create(d.Value))]),
                ["StatusCode"] = result.Complete ? "Complete" : "PartialData",
                ["Messages"] = new JsonArray(),
            });
        }
        var response = new JsonObject { ["MetricDataResults"] = array, ["Messages"] = new JsonArray() };
        if (next is not null)
        {
            response["NextToken"] = next;
        }
        return response;
    }

    public IEnumerable<XElement> HandleQuery(string action, QueryParameters parameters) =>
        HandleOtherQuery(action, parameters) ?? HandleGetMetricDataQuery(action, parameters);

    private IEnumerable<XElement> HandleGetMetricDataQuery(string action, QueryParameters parameters)
    {
        RequireGetMetricData(action);
        var (results, next) = Execute(ParseQuery(parameters));
        yield return new XElement(Ns + "MetricDataResults", results.Select(result => new XElement(Ns + "member",
            new XElement(Ns + "Id", result.Id),
            new XElement(Ns + "Label", result.Label),
            new XElement(Ns + "Timestamps", result.Datapoints.Select(d => new XElement(Ns + "member", IsoTime(d.Timestamp)))),
            new XElement(Ns + "Values", result.Datapoints.Select(d => new XElement(Ns + "member", d.Value.ToString("R", CultureInfo.InvariantCulture)))),
            new XElement(Ns + "StatusCode", result.Complete ? "Complete" : "PartialData"),
            new XElement(Ns + "Messages"))));
        if (next is not null)
        {
            yield return new XElement(Ns + "NextToken", next);
        }
        yield return new XElement(Ns + "Messages");
    }

    /// <summary>Runs the queries and cuts the page at MaxDatapoints; the token is the offset in the flattened datapoints.</summary>
    public (IReadOnlyList<MetricDataResult> Results, string? NextToken) Execute(MetricDataRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var offset = request.NextToken is null ? 0 : DecodeToken(request.NextToken);
        var budget = Math.Min(request.MaxDatapoints, MaxDatapointsPerResponse);
        var results = new List<MetricDataResult>();
        var position = 0;
        var more = false;
        var series = Evaluate(request);
        foreach (var query in request.Queries.Where(q => q.ReturnData))
        {
            var points = series[query.Id];
            IReadOnlyList<MetricDatapoint> ordered = request.Descending ? [.. points.Reverse()] : points;
            var label = query.Label ?? query.Metric?.MetricName ?? query.Id;
            var first = Math.Max(0, offset - position);
            var take = Math.Max(0, Math.Min(ordered.Count - first, offset + budget - Math.Max(position, offset)));
            if (ordered.Count == 0 && offset == 0)
            {
                results.Add(new MetricDataResult(query.Id, label, [], Complete: true));
            }
            else if (take > 0)
            {
                var complete = first + take >= ordered.Count;
                results.Add(new MetricDataResult(query.Id, label, [.. ordered.Skip(first).Take(take)], complete));
                more |= !complete;
            }
            else if (first < ordered.Count)
            {
                more = true;
            }
            position += ordered.Count;
        }
        return (results, more ? EncodeToken(offset + budget) : null);
    }

    private MetricDataRequest ParseJson(JsonElement body)
    {
        if (!body.TryGetProperty("MetricDataQueries", out var queriesElement) || queriesElement.ValueKind != JsonValueKind.Array)
        {
            throw Validation("1 validation error detected: Value null at 'metricDataQueries' failed to satisfy constraint: Member must not be null");
        }
        var queries = new List<MetricDataQuery>();
        var index = 0;
        foreach (var q in queriesElement.EnumerateArray())
        {
            index++;
            var field = $"MetricDataQueries.member.{index}";
            if (q.TryGetProperty("Expression", out var expression))
            {
                queries.Add(BuildExpressionQuery(field, q.TryGetProperty("Id", out var expressionId) ? expressionId.GetString() : null, expression.GetString(),
                    q.TryGetProperty("Label", out var expressionLabel) ? expressionLabel.GetString() : null,
                    !q.TryGetProperty("ReturnData", out var expressionReturn) || expressionReturn.GetBoolean(),
                    q.TryGetProperty("MetricStat", out _)));
                continue;
            }
            if (!q.TryGetProperty("MetricStat", out var stat))
            {
                throw Validation($"The parameter {field}.MetricStat is required when Expression is absent.");
            }
            var metric = stat.GetProperty("Metric");
            var dimensions = new Dictionary<string, string>(StringComparer.Ordinal);
            if (metric.TryGetProperty("Dimensions", out var dims))
            {
                foreach (var d in dims.EnumerateArray())
                {
                    dimensions[d.GetProperty("Name").GetString()!] = d.GetProperty("Value").GetString()!;
                }
            }
            queries.Add(BuildQuery(field,
                q.TryGetProperty("Id", out var id) ? id.GetString() : null,
                metric.TryGetProperty("Namespace", out var ns) ? ns.GetString() : null,
                metric.TryGetProperty("MetricName", out var name) ? name.GetString() : null,
                dimensions,
                stat.TryGetProperty("Period", out var period) ? period.GetInt32() : null,
                stat.TryGetProperty("Stat", out var statText) ? statText.GetString() : null,
                q.TryGetProperty("Label", out var label) ? label.GetString() : null,
                !q.TryGetProperty("ReturnData", out var returnData) || returnData.GetBoolean()));
        }
        return BuildRequest(queries,
            JsonTime(body, "StartTime"), JsonTime(body, "EndTime"),
            body.TryGetProperty("NextToken", out var token) ? token.GetString() : null,
            body.TryGetProperty("ScanBy", out var scanBy) ? scanBy.GetString() : null,
            body.TryGetProperty("MaxDatapoints", out var max) ? max.GetInt32() : null);
    }

    private MetricDataRequest ParseQuery(QueryParameters parameters)
    {
        var queries = new List<MetricDataQuery>();
        var structures = parameters.Structures("MetricDataQueries");
        for (var i = 0; i < structures.Count; i++)
        {
            var fields = structures[i];
            var field = $"MetricDataQueries.member.{i + 1}";
            if (fields.TryGetValue("Expression", out var expression))
            {
                queries.Add(BuildExpressionQuery(field, fields.GetValueOrDefault("Id"), expression, fields.GetValueOrDefault("Label"),
                    fields.GetValueOrDefault("ReturnData") != "false", fields.Keys.Any(k => k.StartsWith("MetricStat.", StringComparison.Ordinal))));
                continue;
            }
            var dimensions = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var d = 1; fields.TryGetValue($"MetricStat.Metric.Dimensions.member.{d}.Name", out var dimensionName); d++)
            {
                dimensions[dimensionName] = fields.GetValueOrDefault($"MetricStat.Metric.Dimensions.member.{d}.Value", "");
            }
            queries.Add(BuildQuery(field, fields.GetValueOrDefault("Id"),
                fields.GetValueOrDefault("MetricStat.Metric.Namespace"), fields.GetValueOrDefault("MetricStat.Metric.MetricName"), dimensions,
                fields.TryGetValue("MetricStat.Period", out var period) ? int.Parse(period, CultureInfo.InvariantCulture) : null,
                fields.GetValueOrDefault("MetricStat.Stat"), fields.GetValueOrDefault("Label"),
                fields.GetValueOrDefault("ReturnData") != "false"));
        }
        return BuildRequest(queries, QueryTime(parameters, "StartTime"), QueryTime(parameters, "EndTime"),
            parameters["NextToken"], parameters["ScanBy"], parameters.Int("MaxDatapoints", 1, int.MaxValue));
    }

    private static MetricDataQuery BuildQuery(string field, string? id, string? ns, string? name, Dictionary<string, string> dimensions,
        int? period, string? stat, string? label, bool returnData)
    {
        if (id is null || !IdPattern().IsMatch(id))
        {
            throw Validation($"The value {id ?? "null"} for parameter {field}.Id is invalid: it must start with a lower-case letter and contain only letters, digits and underscores.");
        }
        if (string.IsNullOrEmpty(ns) || string.IsNullOrEmpty(name))
        {
            throw Validation($"The parameters {field}.MetricStat.Metric.Namespace and MetricName are required.");
        }
        if (period is null || period < 60 || period % 60 != 0)
        {
            throw Validation($"The parameter {field}.MetricStat.Period must be a multiple of 60 and at least 60; got {period?.ToString(CultureInfo.InvariantCulture) ?? "null"}.");
        }
        if (stat is null)
        {
            throw Validation($"The parameter {field}.MetricStat.Stat is required.");
        }
        return new MetricDataQuery(id, new MetricIdentity(ns, name, dimensions), period.Value,
            MetricStatistic.Parse(stat, field + ".MetricStat.Stat"), stat, label, returnData);
    }

    private static MetricDataRequest BuildRequest(List<MetricDataQuery> queries, DateTimeOffset start, DateTimeOffset end, string? token, string? scanBy, int? maxDatapoints)
    {
        if (queries.Count == 0)
        {
            throw Validation("The collection MetricDataQueries must not be empty.");
        }
        if (queries.Count > MaxQueries)
        {
            throw Validation($"The collection MetricDataQueries must not have a size greater than {MaxQueries}.");
        }
        var duplicate = queries.GroupBy(q => q.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw Validation($"The values for parameter id in MetricDataQueries are not unique: {duplicate.Key} appears more than once.");
        }
        if (start >= end)
        {
            throw Validation("The parameter StartTime must be less than the parameter EndTime.");
        }
        if (scanBy is not (null or "TimestampDescending" or "TimestampAscending"))
        {
            throw Validation($"The value {scanBy} for parameter ScanBy is invalid: use TimestampDescending or TimestampAscending.");
        }
        if (maxDatapoints is < 1)
        {
            throw Validation("The parameter MaxDatapoints must be at least 1.");
        }
        return new MetricDataRequest(queries, start, end, token, scanBy != "TimestampAscending", maxDatapoints ?? MaxDatapointsPerResponse);
    }

    private static DateTimeOffset JsonTime(JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out var value))
        {
            throw Validation($"1 validation error detected: Value null at '{char.ToLowerInvariant(name[0])}{name[1..]}' failed to satisfy constraint: Member must not be null");
        }
        return value.ValueKind == JsonValueKind.Number
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(value.GetDouble() * 1000))
            : ParseTime(value.GetString(), name);
    }

    private static DateTimeOffset QueryTime(QueryParameters parameters, string name) => ParseTime(parameters[name], name);

    private static DateTimeOffset ParseTime(string? text, string name) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw Validation($"The parameter {name} must be an ISO 8601 time or epoch seconds; got '{text}'.");

    private void RequireGetMetricData(string action)
    {
        if (action != "GetMetricData")
        {
            throw new AwsApiException("InvalidAction", $"Could not find operation {action} for version {Version}; the sandbox emulates GetMetricData, GetMetricStatistics and ListMetrics for the {world.Region} load balancers");
        }
    }

    private static string EncodeToken(int offset) => Convert.ToBase64String(Encoding.UTF8.GetBytes("cw-offset:" + offset.ToString(CultureInfo.InvariantCulture)));

    private static int DecodeToken(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            if (text.StartsWith("cw-offset:", StringComparison.Ordinal) && int.TryParse(text[10..], NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
            {
                return offset;
            }
        }
        catch (FormatException)
        {
            // reported below
        }
        throw new AwsApiException("InvalidNextToken", "The service couldn't process the NextToken: pass the previous response's NextToken unchanged.");
    }

    private static string IsoTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static AwsApiException Validation(string message) => new("ValidationError", message);

    [GeneratedRegex("^[a-z][a-zA-Z0-9_]{0,254}$")]
    private static partial Regex IdPattern();
}
