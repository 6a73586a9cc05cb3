using System.Text.Json;
using Dashboard.Server.Aws.CloudWatch;

namespace Dashboard.Server.Tests.Aws;

public sealed class CloudWatchClientTests : IAsyncLifetime
{
    private AwsTestHost _host = null!;

    public async Task InitializeAsync() => _host = await AwsTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task GetMetricData_sends_json_1_0_with_epoch_seconds_and_merges_pages()
    {
        _host.Server.Respond((request, index) =>
        {
            using var body = JsonDocument.Parse(request.BodyText);
            var token = body.RootElement.TryGetProperty("NextToken", out var t) ? t.GetString() : null;
            return (index, token) switch
            {
                (0, null) => CannedResponse.Json(CloudWatchSamples.Page1),
                (1, "token-page-2") => CannedResponse.Json(CloudWatchSamples.Page2),
                _ => CannedResponse.Json("""{"__type":"InvalidNextToken","message":"bad token"}""", 400),
            };
        });
        MetricDataQuery[] queries =
        [
            CloudWatchSamples.RequestCount("requests"),
            new()
            {
                Id = "latency",
                MetricStat = new MetricStat
                {
                    Metric = new Metric { Namespace = "AWS/ApplicationELB", MetricName = "TargetResponseTime", Dimensions = [new("LoadBalancer", "app/a/1"), new("TargetGroup", "targetgroup/t/2")] },
                    Period = 60,
                    Stat = "p99",
                    Unit = "Seconds",
                },
                Label = "p99 latency",
            },
        ];

        var response = await _host.CloudWatch.GetMetricDataAsync(queries, CloudWatchSamples.Start, CloudWatchSamples.End, ScanBy.TimestampDescending, maxDatapoints: 1000);

        var first = _host.Server.Requests[0];
        Assert.Equal("GraniteServiceVersion20100801.GetMetricData", first.Header("X-Amz-Target"));
        Assert.Equal("application/x-amz-json-1.0", first.Header("Content-Type"));
        using (var sent = JsonDocument.Parse(first.BodyText))
        {
            var root = sent.RootElement;
            Assert.Equal(JsonValueKind.Number, root.GetProperty("StartTime").ValueKind);
            Assert.Equal(1714636800, root.GetProperty("StartTime").GetInt64());
            Assert.Equal(1714640400, root.GetProperty("EndTime").GetInt64());
            Assert.Equal("TimestampDescending", root.GetProperty("ScanBy").GetString());
            Assert.Equal(1000, root.GetProperty("MaxDatapoints").GetInt32());
            var latency = root.GetProperty("MetricDataQueries")[1];
            Assert.Equal("p99 latency", latency.GetProperty("Label").GetString());
            var stat = latency.GetProperty("MetricStat");
            Assert.Equal("p99", stat.GetProperty("Stat").GetString());
            Assert.Equal("Seconds", stat.GetProperty("Unit").GetString());
            Assert.Equal(60, stat.GetProperty("Period").GetInt32());
            Assert.Equal("TargetGroup", stat.GetProperty("Metric").GetProperty("Dimensions")[1].GetProperty("Name").GetString());
            Assert.False(root.TryGetProperty("NextToken", out _));
        }
        Assert.Equal(2, _host.Server.Requests.Count);

        Assert.Equal(["requests", "latency"], response.MetricDataResults.Select(r => r.Id));
        var requests = response.MetricDataResults[0];
        Assert.Equal("RequestCount", requests.Label);
        Assert.Equal([120.0, 98.0, 77.0], requests.Values);
        Assert.Equal(
            [CloudWatchSamples.Start.AddMinutes(2), CloudWatchSamples.Start.AddMinutes(1), CloudWatchSamples.Start],
            requests.Timestamps);
        Assert.Equal("Complete", requests.StatusCode);
        var latencyResult = response.MetricDataResults[1];
        Assert.Equal([0.0423], latencyResult.Values);
        Assert.Equal(new MessageData("MaxDatapointsExceeded", "sampled"), Assert.Single(latencyResult.Messages));
        Assert.Equal(new MessageData("ArithmeticError", "none"), Assert.Single(response.Messages));
    }

    [Fact]
    public async Task More_than_500_queries_are_split_into_calls_of_at_most_500()
    {
        _host.Server.Respond((request, _) =>
        {
            using var body = JsonDocument.Parse(request.BodyText);
            var ids = body.RootElement.GetProperty("MetricDataQueries").EnumerateArray().Select(q => q.GetProperty("Id").GetString()).ToArray();
            var results = string.Join(',', ids.Select(id => $$"""{"Id":"{{id}}","Label":"RequestCount","Timestamps":[1714636800],"Values":[1],"StatusCode":"Complete"}"""));
            return CannedResponse.Json($$"""{"MetricDataResults":[{{results}}],"Messages":[]}""");
        });

        var response = await _host.CloudWatch.GetMetricDataAsync(CloudWatchSamples.Queries(1001), CloudWatchSamples.Start, CloudWatchSamples.End);

        var sizes = _host.Server.Requests.Select(r =>
        {
            using var body = JsonDocument.Parse(r.BodyText);
            return body.RootElement.GetProperty("MetricDataQueries").GetArrayLength();
        });
        Assert.Equal([500, 500, 1], sizes);
        Assert.Equal(1001, response.MetricDataResults.Count);
        Assert.Equal("m1000", response.MetricDataResults[^1].Id);
    }

    [Fact]
    public async Task Duplicate_query_ids_are_refused_before_any_call()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            _host.CloudWatch.GetMetricDataAsync([CloudWatchSamples.RequestCount("same"), CloudWatchSamples.RequestCount("same")], CloudWatchSamples.Start, CloudWatchSamples.End));

        Assert.Contains("'same'", error.Message);
        Assert.Empty(_host.Server.Requests);
    }

    [Fact]
    public async Task Expressions_cannot_be_split_across_calls()
    {
        var queries = CloudWatchSamples.Queries(500).Append(new MetricDataQuery { Id = "total", Expression = "SUM(METRICS())" }).ToArray();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => _host.CloudWatch.GetMetricDataAsync(queries, CloudWatchSamples.Start, CloudWatchSamples.End));

        Assert.Contains("expression", error.Message);
        Assert.Empty(_host.Server.Requests);
    }
}
