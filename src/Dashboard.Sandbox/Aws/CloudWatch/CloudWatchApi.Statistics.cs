using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Dashboard.Sandbox.Aws.Emulator;

namespace Dashboard.Sandbox.Aws.CloudWatch;

/// <summary>A metric as ListMetrics lists it.</summary>
public sealed record ListedMetric(string Namespace, string MetricName, IReadOnlyList<KeyValuePair<string, string>> Dimensions);

/// <summary>One GetMetricStatistics datapoint: the standard statistics asked for and the extended (percentile) ones.</summary>
public sealed record StatisticsDatapoint(DateTimeOffset Timestamp, IReadOnlyDictionary<string, double> Statistics, IReadOnlyDictionary<string, double> Extended, string Unit);

/// <summary>
/// What an operator types next to the dashboard besides GetMetricData: <c>aws cloudwatch list-metrics</c> (the metrics
/// and exact dimension sets ELB publishes for the world's balancers, filtered and paged as CloudWatch does) and
/// <c>aws cloudwatch get-metric-statistics</c> (Statistics and ExtendedStatistics such as p99, Unit filtering, the
/// 1,440-datapoint limit and period rules), in JSON 1.0 and Query.
/// </summary>
public sealed partial class CloudWatchApi
{
    /// <summary>Metrics per ListMetrics page (CloudWatch answers up to 500).</summary>
    public const int ListMetricsPageSize = 500;

    /// <summary>GetMetricStatistics answers at most this many datapoints.</summary>
    public const int MaxStatisticsDatapoints = 1440;

    private static readonly string[] StandardStatistics = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"];

    private static readonly string[] AlbTargetMetrics =
    [
        "RequestCount", "HTTPCode_Target_2XX_Count", "HTTPCode_Target_3XX_Count", "HTTPCode_Target_4XX_Count", "HTTPCode_Target_5XX_Count",
        "TargetConnectionErrorCount", "TargetResponseTime",
    ];

    private static readonly string[] AlbBalancerMetrics =
    [
        .. AlbTargetMetrics, "HTTPCode_ELB_4XX_Count", "HTTPCode_ELB_5XX_Count", "HTTPCode_ELB_500_Count", "HTTPCode_ELB_502_Count",
        "HTTPCode_ELB_503_Count", "HTTPCode_ELB_504_Count", "NewConnectionCount", "ActiveConnectionCount", "ProcessedBytes",
        "ClientTLSNegotiationErrorCount",
    ];

    private static readonly string[] NlbTargetMetrics =
        ["NewFlowCount", "NewFlowCount_TCP", "ActiveFlowCount", "ActiveFlowCount_TCP", "TCP_Client_Reset_Count", "TCP_ELB_Reset_Count", "TCP_Target_Reset_Count"];

    private static readonly string[] NlbBalancerMetrics = [.. NlbTargetMetrics, "ProcessedBytes", "ProcessedPackets"];

    /// <summary>The unit CloudWatch stores each metric with (what <c>--unit</c> filters on).</summary>
    public static string UnitOf(string metricName) => metricName switch
    {
        "TargetResponseTime" => "Seconds",
        "ProcessedBytes" => "Bytes",
        "ConsumedLCUs" => "None",
        _ => "Count",
    };

    /// <summary>Every metric the world's balancers publish, under each dimension set ELB uses, in a stable order.</summary>
    public IEnumerable<ListedMetric> AllMetrics()
    {
        foreach (var lb in world.GetLoadBalancers().OrderBy(l => l.MetricDimension, StringComparer.Ordinal))
        {
            var network = lb.Type == LoadBalancerType.Network;
            var ns = network ? "AWS/NetworkELB" : "AWS/ApplicationELB";
            var balancer = new KeyValuePair<string, string>("LoadBalancer", lb.MetricDimension);
            var zones = lb.AvailabilityZones.Select(z => new KeyValuePair<string, string>("AvailabilityZone", z.ZoneName)).ToList();
            var groups = world.GetTargetGroupsOf(lb.Arn).Select(g => new KeyValuePair<string, string>("TargetGroup", g.MetricDimension)).ToList();
            foreach (var name in (network ? NlbBalancerMetrics : AlbBalancerMetrics).Append("ConsumedLCUs"))
            {
                yield return new ListedMetric(ns, name, [balancer]);
            }
            foreach (var zone in zones)
            {
                foreach (var name in network ? NlbBalancerMetrics : AlbBalancerMetrics)
                {
                    yield return new ListedMetric(ns, name, [balancer, zone]);
                }
            }
            foreach (var group in groups)
            {
                var perGroup = (network ? NlbTargetMetrics : AlbTargetMetrics).Concat(["HealthyHostCount", "UnHealthyHostCount"]).ToList();
                foreach (var name in network ? perGroup : perGroup.Append("RequestCountPerTarget"))
                {
                    yield return new ListedMetric(ns, name, [group, balancer]);
                }
                foreach (var zone in zones)
                {
                    foreach (var name in perGroup)
                    {
                        yield return new ListedMetric(ns, name, [group, balancer, zone]);
                    }
                }
            }
        }
    }

    /// <summary>ListMetrics: filtered by namespace, metric name and dimensions (a name alone matches any value), paged.</summary>
    public (IReadOnlyList<ListedMetric> Metrics, string? NextToken) ListMetrics(string? ns, string? metricName, IReadOnlyList<(string Name, string? Value)> dimensions, string? token)
    {
        if (dimensions.Count > 10)
        {
            throw Validation("The collection Dimensions must not have a size greater than 10.");
        }
        var offset = token is null ? 0 : DecodeListToken(token);
        var matching = AllMetrics().Where(m =>
            (ns is null || m.Namespace == ns) && (metricName is null || m.MetricName == metricName) &&
            dimensions.All(f => m.Dimensions.Any(d => d.Key == f.Name && (f.Value is null || d.Value == f.Value))));
        var page = matching.Skip(offset).Take(ListMetricsPageSize + 1).ToList();
        return page.Count > ListMetricsPageSize
            ? (page.Take(ListMetricsPageSize).ToList(), EncodeListToken(offset + ListMetricsPageSize))
            : (page, null);
    }

    /// <summary>GetMetricStatistics over the same model as GetMetricData.</summary>
    public IReadOnlyList<StatisticsDatapoint> GetMetricStatistics(string? ns, string? metricName, IReadOnlyDictionary<string, string> dimensions,
        DateTimeOffset start, DateTimeOffset end, int? period, IReadOnlyList<string> statistics, IReadOnlyList<string> extended, string? unit)
    {
        if (string.IsNullOrEmpty(ns) || string.IsNullOrEmpty(metricName))
        {
            throw Validation($"1 validation error detected: Value null at '{(string.IsNullOrEmpty(ns) ? "namespace" : "metricName")}' failed to satisfy constraint: Member must not be null");
        }
        if (period is not { } seconds || seconds < 1 || (seconds < 60 ? 60 % seconds != 0 : seconds % 60 != 0))
        {
            throw new AwsApiException("InvalidParameterValue", "The parameter Period must be a multiple of 60.");
        }
        if (start >= end)
        {
            throw new AwsApiException("InvalidParameterValue", "The parameter StartTime must be less than the parameter EndTime.");
        }
        if (statistics.Count == 0 && extended.Count == 0)
        {
            throw new AwsApiException("InvalidParameterCombination", "Must specify either Statistics or ExtendedStatistics, but not both.");
        }
        foreach (var statistic in statistics.Where(s => !StandardStatistics.Contains(s, StringComparer.Ordinal)))
        {
            throw Validation($"1 validation error detected: Value '[{statistic}]' at 'statistics' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [{string.Join(", ", StandardStatistics)}]]");
        }
        var percentiles = extended.Select(e => (Text: e, Stat: MetricStatistic.Parse(e, "ExtendedStatistics"))).ToList();
        if (percentiles.Any(p => p.Stat.Kind != MetricStatisticKind.Percentile))
        {
            throw new AwsApiException("InvalidParameterValue", $"The parameter ExtendedStatistics must be percentiles such as p99; got {string.Join(", ", extended)}.");
        }
        // Like CloudWatch: data older than 15 days exists only at 5 minutes, older than 63 days only at 1 hour.
        var minimum = RequiredPeriod(start);
        if (seconds % minimum != 0)
        {
            throw new AwsApiException("InvalidParameterCombination",
                $"The parameter Period must be a multiple of {minimum} for data older than {(minimum == 300 ? "15" : "63")} days.");
        }
        var requested = (long)Math.Ceiling((end - start).TotalSeconds / seconds);
        if (requested > MaxStatisticsDatapoints)
        {
            throw new AwsApiException("InvalidParameterCombination",
                $"You have requested up to {requested.ToString(CultureInfo.InvariantCulture)} datapoints, which exceeds the limit of {MaxStatisticsDatapoints}. You may reduce the datapoints requested by increasing Period, or decreasing the time range.");
        }
        var metric = new MetricIdentity(ns, metricName, dimensions);
        var metricUnit = UnitOf(metricName);
        if (unit is not null && unit != metricUnit)
        {
            // CloudWatch stores each datapoint with its unit: asking for another unit finds none.
            return [];
        }
        var columns = statistics.Select(s => (Name: s, Values: traffic.GetDatapoints(metric, start, end, seconds, MetricStatistic.Parse(s, "Statistics"))
                .ToDictionary(d => d.Timestamp, d => d.Value))).ToList();
        var extendedColumns = percentiles.Select(p => (Name: p.Text, Values: traffic.GetDatapoints(metric, start, end, seconds, p.Stat)
                .ToDictionary(d => d.Timestamp, d => d.Value))).ToList();
        var times = columns.SelectMany(c => c.Values.Keys).Concat(extendedColumns.SelectMany(c => c.Values.Keys)).Distinct().Order();
        return [.. times.Select(t => new StatisticsDatapoint(t,
            columns.Where(c => c.Values.ContainsKey(t)).ToDictionary(c => c.Name, c => c.Values[t]),
            extendedColumns.Where(c => c.Values.ContainsKey(t)).ToDictionary(c => c.Name, c => c.Values[t]),
            metricUnit))];
    }

    private int RequiredPeriod(DateTimeOffset start)
    {
        var age = world.TimeProvider.GetUtcNow() - start;
        return age > ElbTrafficModel.FiveMinuteRetention ? 3600 : age > ElbTrafficModel.Retention ? 300 : 1;
    }

    // ---- JSON 1.0 ---------------------------------------------------------------------------------------------------

    private JsonNode? HandleOtherJson(string action, JsonElement body)
    {
        switch (action)
        {
            case "ListMetrics":
            {
                var filters = body.TryGetProperty("Dimensions", out var dims) && dims.ValueKind == JsonValueKind.Array
                    ? dims.EnumerateArray().Select(d => (d.GetProperty("Name").GetString()!, d.TryGetProperty("Value", out var v) ? v.GetString() : null)).ToList()
                    : [];
                var (metrics, next) = ListMetrics(Text(body, "Namespace"), Text(body, "MetricName"), filters, Text(body, "NextToken"));
                var response = new JsonObject
                {
                    ["Metrics"] = new JsonArray([.. metrics.Select(m => (JsonNode)new JsonObject
                    {
                        ["Namespace"] = m.Namespace,
                        ["MetricName"] = m.MetricName,
                        ["Dimensions"] = new JsonArray([.. m.Dimensions.Select(d => (JsonNode)new JsonObject { ["Name"] = d.Key, ["Value"] = d.Value })]),
                    })]),
                };
                if (next is not null)
                {
                    response["NextToken"] = next;
                }
                return response;
            }
            case "GetMetricStatistics":
            {
                var dimensions = new Dictionary<string, string>(StringComparer.Ordinal);
                if (body.TryGetProperty("Dimensions", out var dims) && dims.ValueKind == JsonValueKind.Array)
                {
                    foreach (var d in dims.EnumerateArray())
                    {
                        dimensions[d.GetProperty("Name").GetString()!] = d.GetProperty("Value").GetString()!;
                    }
                }
                var points = GetMetricStatistics(Text(body, "Namespace"), Text(body, "MetricName"), dimensions, JsonTime(body, "StartTime"), JsonTime(body, "EndTime"),
                    body.TryGetProperty("Period", out var period) ? period.GetInt32() : null,
                    Strings(body, "Statistics"), Strings(body, "ExtendedStatistics"), Text(body, "Unit"));
                return new JsonObject
                {
                    ["Label"] = Text(body, "MetricName"),
                    ["Datapoints"] = new JsonArray([.. points.Select(p =>
                    {
                        var node = new JsonObject { ["Timestamp"] = p.Timestamp.ToUnixTimeSeconds() };
                        foreach (var (name, value) in p.Statistics)
                        {
                            node[name] = value;
                        }
                        node["Unit"] = p.Unit;
                        if (p.Extended.Count > 0)
                        {
                            node["ExtendedStatistics"] = new JsonObject([.. p.Extended.Select(e => new KeyValuePair<string, JsonNode?>(e.Key, e.Value))]);
                        }
                        return (JsonNode)node;
                    })]),
                };
            }
            default:
                return null;
        }
    }

    private static string? Text(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static List<string> Strings(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray().Select(v => v.GetString()!)] : [];

    // ---- Query ------------------------------------------------------------------------------------------------------

    private IEnumerable<XElement>? HandleOtherQuery(string action, QueryParameters parameters)
    {
        switch (action)
        {
            case "ListMetrics":
            {
                var filters = parameters.Structures("Dimensions").Select(d => (d.GetValueOrDefault("Name") ?? "", d.GetValueOrDefault("Value"))).ToList();
                var (metrics, next) = ListMetrics(parameters["Namespace"], parameters["MetricName"], filters, parameters["NextToken"]);
                var elements = new List<XElement>
                {
                    new(Ns + "Metrics", metrics.Select(m => new XElement(Ns + "member",
                        new XElement(Ns + "Namespace", m.Namespace),
                        new XElement(Ns + "MetricName", m.MetricName),
                        new XElement(Ns + "Dimensions", m.Dimensions.Select(d => new XElement(Ns + "member", new XElement(Ns + "Name", d.Key), new XElement(Ns + "Value", d.Value))))))),
                };
                if (next is not null)
                {
                    elements.Add(new XElement(Ns + "NextToken", next));
                }
                return elements;
            }
            case "GetMetricStatistics":
            {
                var dimensions = parameters.Structures("Dimensions").ToDictionary(d => d.GetValueOrDefault("Name") ?? "", d => d.GetValueOrDefault("Value") ?? "", StringComparer.Ordinal);
                var points = GetMetricStatistics(parameters["Namespace"], parameters["MetricName"], dimensions, QueryTime(parameters, "StartTime"), QueryTime(parameters, "EndTime"),
                    parameters.Int("Period", 1, int.MaxValue), parameters.List("Statistics"), parameters.List("ExtendedStatistics"), parameters["Unit"]);
                return
                [
                    new XElement(Ns + "Label", parameters["MetricName"]),
                    new XElement(Ns + "Datapoints", points.Select(p => new XElement(Ns + "member",
                        new XElement(Ns + "Timestamp", IsoTime(p.Timestamp)),
                        p.Statistics.Select(s => new XElement(Ns + s.Key, s.Value.ToString("R", CultureInfo.InvariantCulture))),
                        new XElement(Ns + "Unit", p.Unit),
                        p.Extended.Count == 0 ? null : new XElement(Ns + "ExtendedStatistics", p.Extended.Select(e => new XElement(Ns + "entry",
                            new XElement(Ns + "key", e.Key), new XElement(Ns + "value", e.Value.ToString("R", CultureInfo.InvariantCulture)))))))),
                ];
            }
            default:
                return null;
        }
    }

    private static string EncodeListToken(int offset) => Convert.ToBase64String(Encoding.UTF8.GetBytes("cw-list:" + offset.ToString(CultureInfo.InvariantCulture)));

    private static int DecodeListToken(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            if (text.StartsWith("cw-list:", StringComparison.Ordinal) && int.TryParse(text[8..], NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
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
}
