using System.Globalization;
using System.Text.Json;
using Dashboard.Sandbox.Aws.CloudWatch;

namespace Dashboard.Sandbox.Tests.Aws;

/// <summary>The AWS CLI against CloudWatch GetMetricData and Cost Explorer, compared with the traffic and cost models.</summary>
public sealed class MetricsAndCostCliTests(AwsEmulatorFixture fixture) : IClassFixture<AwsEmulatorFixture>
{
    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>CLI v1 prints JSON-protocol timestamps as received (epoch seconds).</summary>
    private static DateTimeOffset Timestamp(JsonElement value) => DateTimeOffset.FromUnixTimeMilliseconds((long)(value.GetDouble() * 1000));

    private static string Day(DateTime day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task GetMetricData_returns_the_traffic_model_values()
    {
        var end = ElbTrafficModel.AlignDown(DateTimeOffset.UtcNow, 300);
        var start = end.AddHours(-3);
        var queries = JsonSerializer.Serialize(new object[]
        {
            Query("requests", "AWS/ApplicationELB", "RequestCount", "Sum", new { Name = "LoadBalancer", Value = fixture.Alb.MetricDimension }),
            Query("p99", "AWS/ApplicationELB", "TargetResponseTime", "p99", new { Name = "LoadBalancer", Value = fixture.Alb.MetricDimension }),
            Query("other", "AWS/ApplicationELB", "RequestCount", "Sum", new { Name = "LoadBalancer", Value = "app/unknown/0000000000000000" }),
        });

        var json = await fixture.Cli.JsonAsync("cloudwatch", "get-metric-data", "--metric-data-queries", queries,
            "--start-time", Iso(start), "--end-time", Iso(end), "--scan-by", "TimestampAscending");

        var results = json.GetProperty("MetricDataResults").EnumerateArray().ToDictionary(r => r.GetProperty("Id").GetString()!);
        var expected = fixture.Traffic.GetDatapoints(
            new MetricIdentity("AWS/ApplicationELB", "RequestCount", new Dictionary<string, string> { ["LoadBalancer"] = fixture.Alb.MetricDimension }),
            start, end, 300, new MetricStatistic(MetricStatisticKind.Sum));
        Assert.Equal(36, expected.Count);
        Assert.Equal(expected.Select(p => p.Value), results["requests"].GetProperty("Values").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal(expected.Select(p => p.Timestamp), results["requests"].GetProperty("Timestamps").EnumerateArray().Select(Timestamp));
        Assert.Equal("Complete", results["requests"].GetProperty("StatusCode").GetString());
        Assert.All(results["p99"].GetProperty("Values").EnumerateArray(), v => Assert.InRange(v.GetDouble(), 0.01, 5));
        Assert.Equal(0, results["other"].GetProperty("Values").GetArrayLength());
    }

    [Fact]
    public async Task HealthyHostCount_follows_target_health_with_healthy_history()
    {
        var end = DateTimeOffset.UtcNow.AddMinutes(5);
        var queries = JsonSerializer.Serialize(new object[]
        {
            Query("healthy", "AWS/ApplicationELB", "HealthyHostCount", "Minimum",
                new { Name = "TargetGroup", Value = fixture.WebGroup.MetricDimension }, new { Name = "LoadBalancer", Value = fixture.Alb.MetricDimension }, period: 60),
            Query("unhealthy", "AWS/ApplicationELB", "UnHealthyHostCount", "Maximum",
                new { Name = "TargetGroup", Value = fixture.WebGroup.MetricDimension }, new { Name = "LoadBalancer", Value = fixture.Alb.MetricDimension }, period: 60),
        });

        var json = await fixture.Cli.JsonAsync("cloudwatch", "get-metric-data", "--metric-data-queries", queries,
            "--start-time", Iso(end.AddHours(-1)), "--end-time", Iso(end), "--scan-by", "TimestampAscending");

        var results = json.GetProperty("MetricDataResults").EnumerateArray().ToDictionary(r => r.GetProperty("Id").GetString()!, r => r.GetProperty("Values").EnumerateArray().Select(v => v.GetDouble()).ToList());
        // One of the two web targets turned unhealthy when the fixture was built; before that both count as healthy.
        Assert.Equal(2, results["healthy"][0]);
        Assert.Equal(0, results["unhealthy"][0]);
        Assert.Equal(1, results["healthy"][^1]);
        Assert.Equal(1, results["unhealthy"][^1]);
    }

    [Fact]
    public async Task GetMetricData_pages_with_NextToken_and_the_cli_merges_pages()
    {
        var end = ElbTrafficModel.AlignDown(DateTimeOffset.UtcNow, 60).AddMinutes(-2);
        var start = end.AddMinutes(-30);
        var queries = JsonSerializer.Serialize(new object[]
        {
            Query("flows", "AWS/NetworkELB", "NewFlowCount", "Sum", new { Name = "LoadBalancer", Value = fixture.Nlb.MetricDimension }, period: 60),
        });

        var json = await fixture.Cli.JsonAsync("cloudwatch", "get-metric-data", "--metric-data-queries", queries,
            "--start-time", Iso(start), "--end-time", Iso(end), "--page-size", "7");

        var pages = json.GetProperty("MetricDataResults").EnumerateArray().ToList();
        Assert.True(pages.Count >= 4, $"expected several pages of 7 datapoints, got {pages.Count}");
        var timestamps = pages.SelectMany(p => p.GetProperty("Timestamps").EnumerateArray().Select(Timestamp)).ToList();
        Assert.Equal(30, timestamps.Count);
        Assert.Equal(timestamps.OrderDescending(), timestamps);
        Assert.Equal("Complete", pages[^1].GetProperty("StatusCode").GetString());
        Assert.Equal("PartialData", pages[0].GetProperty("StatusCode").GetString());
    }

    [Fact]
    public async Task GetMetricData_rejects_a_period_that_is_not_a_multiple_of_60()
    {
        var queries = JsonSerializer.Serialize(new object[]
        {
            Query("bad", "AWS/ApplicationELB", "RequestCount", "Sum", new { Name = "LoadBalancer", Value = fixture.Alb.MetricDimension }, period: 90),
        });

        var result = await fixture.Cli.RunAsync("cloudwatch", "get-metric-data", "--metric-data-queries", queries,
            "--start-time", Iso(DateTimeOffset.UtcNow.AddHours(-1)), "--end-time", Iso(DateTimeOffset.UtcNow));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("(ValidationError)", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("Period", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCostAndUsage_grouped_by_tag_matches_the_cost_model()
    {
        var end = DateTime.UtcNow.Date;
        var start = end.AddDays(-7);
        var filter = """{"Dimensions":{"Key":"SERVICE","Values":["Amazon Elastic Load Balancing"]}}""";

        var json = await fixture.Cli.JsonAsync("ce", "get-cost-and-usage", "--time-period", $"Start={Day(start)},End={Day(end)}",
            "--granularity", "DAILY", "--metrics", "UnblendedCost", "UsageQuantity", "--filter", filter, "--group-by", "Type=TAG,Key=team");

        var days = json.GetProperty("ResultsByTime").EnumerateArray().ToList();
        Assert.Equal(7, days.Count);
        var costs = fixture.Emulator.Costs;
        foreach (var day in days)
        {
            var dayStart = DateTimeOffset.Parse(day.GetProperty("TimePeriod").GetProperty("Start").GetString()!, CultureInfo.InvariantCulture);
            var items = costs.LineItems(dayStart, dayStart.AddDays(1)).Where(i => i.Service == "Amazon Elastic Load Balancing").ToList();
            var groups = day.GetProperty("Groups").EnumerateArray().ToDictionary(
                g => g.GetProperty("Keys")[0].GetString()!,
                g => decimal.Parse(g.GetProperty("Metrics").GetProperty("UnblendedCost").GetProperty("Amount").GetString()!, CultureInfo.InvariantCulture));
            Assert.Equal(["team$", "team$forecast"], groups.Keys.Order());
            Assert.Equal(items.Where(i => i.Tags.GetValueOrDefault("team") == "forecast").Sum(i => i.Cost), groups["team$forecast"], 8);
            Assert.Equal(items.Where(i => !i.Tags.ContainsKey("team")).Sum(i => i.Cost), groups["team$"], 8);
            // An ALB bills 24 hours at USD 0.0225 plus its LCUs: more than USD 0.54 a day.
            Assert.True(groups["team$forecast"] > 0.54m, $"ALB day cost {groups["team$forecast"]}");
        }
    }

    [Fact]
    public async Task GetCostForecast_projects_to_month_end()
    {
        var today = DateTime.UtcNow.Date;
        var monthEnd = new DateTime(today.Year, today.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(1);

        var json = await fixture.Cli.JsonAsync("ce", "get-cost-forecast", "--time-period", $"Start={Day(today)},End={Day(monthEnd)}",
            "--metric", "UNBLENDED_COST", "--granularity", "MONTHLY");

        var total = decimal.Parse(json.GetProperty("Total").GetProperty("Amount").GetString()!, CultureInfo.InvariantCulture);
        var expected = fixture.Emulator.Costs.LineItems(today, monthEnd, forecast: true).Sum(i => i.Cost);
        Assert.Equal(expected, total, 8);
        var period = Assert.Single(json.GetProperty("ForecastResultsByTime").EnumerateArray().ToList());
        Assert.True(decimal.Parse(period.GetProperty("PredictionIntervalLowerBound").GetString()!, CultureInfo.InvariantCulture) < total);
        Assert.True(decimal.Parse(period.GetProperty("PredictionIntervalUpperBound").GetString()!, CultureInfo.InvariantCulture) > total);
    }

    [Fact]
    public async Task GetCostForecast_in_the_past_is_a_ValidationException()
    {
        var result = await fixture.Cli.RunAsync("ce", "get-cost-forecast", "--time-period", "Start=2020-01-01,End=2020-02-01",
            "--metric", "UNBLENDED_COST", "--granularity", "MONTHLY");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("(ValidationException)", result.Stderr, StringComparison.Ordinal);
    }

    private static object Query(string id, string ns, string metric, string stat, object lbDimension, object? tgDimension = null, int period = 300) => new
    {
        Id = id,
        MetricStat = new
        {
            Metric = new { Namespace = ns, MetricName = metric, Dimensions = tgDimension is null ? new[] { lbDimension } : [lbDimension, tgDimension] },
            Period = period,
            Stat = stat,
        },
    };
}
