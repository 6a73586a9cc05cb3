using System.Globalization;
using System.Text.Json;

namespace Dashboard.Sandbox.Tests.Aws;

/// <summary>
/// <c>aws cloudwatch list-metrics</c> and <c>get-metric-statistics</c> against the sandbox, as an operator types them next
/// to the dashboard: exact dimension sets, filters, percentiles, Unit filtering, and the errors CloudWatch answers.
/// </summary>
public sealed class CloudWatchStatisticsCliTests(AwsEmulatorFixture fixture) : IClassFixture<AwsEmulatorFixture>
{
    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    // One end per test (xUnit makes an instance per test): a property read again could cross a 5-minute boundary between
    // two CLI calls on a busy machine and compare different windows.
    private readonly DateTimeOffset End = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 300 * 300);

    [Fact]
    public async Task List_metrics_shows_the_dimension_sets_elb_publishes_and_filters_them()
    {
        var json = await fixture.Cli.JsonAsync("cloudwatch", "list-metrics", "--namespace", "AWS/ApplicationELB", "--metric-name", "HealthyHostCount",
            "--dimensions", $"Name=LoadBalancer,Value={fixture.Alb.MetricDimension}");

        var sets = json.GetProperty("Metrics").EnumerateArray()
            .Select(m => string.Join(",", m.GetProperty("Dimensions").EnumerateArray().Select(d => d.GetProperty("Name").GetString()).Order(StringComparer.Ordinal)))
            .ToList();
        // Host counts exist per target group (and per group and zone) only, never for the whole balancer.
        Assert.Contains("LoadBalancer,TargetGroup", sets);
        Assert.Contains("AvailabilityZone,LoadBalancer,TargetGroup", sets);
        Assert.DoesNotContain("LoadBalancer", sets);
        Assert.All(json.GetProperty("Metrics").EnumerateArray(), m => Assert.Equal("HealthyHostCount", m.GetProperty("MetricName").GetString()));

        var elb5xx = await fixture.Cli.JsonAsync("cloudwatch", "list-metrics", "--namespace", "AWS/ApplicationELB", "--metric-name", "HTTPCode_ELB_5XX_Count",
            "--dimensions", "Name=TargetGroup");
        Assert.Empty(elb5xx.GetProperty("Metrics").EnumerateArray());
    }

    [Fact]
    public async Task Get_metric_statistics_answers_sum_and_p99_as_get_metric_data_does()
    {
        var start = End.AddHours(-1);
        var stats = await fixture.Cli.JsonAsync("cloudwatch", "get-metric-statistics", "--namespace", "AWS/ApplicationELB", "--metric-name", "TargetResponseTime",
            "--dimensions", $"Name=LoadBalancer,Value={fixture.Alb.MetricDimension}", "--start-time", Iso(start), "--end-time", Iso(End),
            "--period", "300", "--statistics", "Average", "--extended-statistics", "p99");
        var data = await fixture.Cli.JsonAsync("cloudwatch", "get-metric-data", "--start-time", Iso(start), "--end-time", Iso(End), "--scan-by", "TimestampAscending",
            "--metric-data-queries", JsonSerializer.Serialize(new[] { "Average", "p99" }.Select(s => new
            {
                Id = s == "p99" ? "p" : "a",
                MetricStat = new
                {
                    Metric = new { Namespace = "AWS/ApplicationELB", MetricName = "TargetResponseTime", Dimensions = new[] { new { Name = "LoadBalancer", Value = fixture.Alb.MetricDimension } } },
                    Period = 300,
                    Stat = s,
                },
            })));

        var points = stats.GetProperty("Datapoints").EnumerateArray().OrderBy(p => p.GetProperty("Timestamp").GetRawText(), StringComparer.Ordinal).ToList();
        Assert.Equal(12, points.Count);
        Assert.All(points, p => Assert.Equal("Seconds", p.GetProperty("Unit").GetString()));
        var p99 = data.GetProperty("MetricDataResults").EnumerateArray().Single(r => r.GetProperty("Id").GetString() == "p").GetProperty("Values").EnumerateArray().Select(v => v.GetDouble()).ToList();
        var average = data.GetProperty("MetricDataResults").EnumerateArray().Single(r => r.GetProperty("Id").GetString() == "a").GetProperty("Values").EnumerateArray().Select(v => v.GetDouble()).ToList();
        Assert.Equal(p99, points.Select(p => p.GetProperty("ExtendedStatistics").GetProperty("p99").GetDouble()));
        Assert.Equal(average, points.Select(p => p.GetProperty("Average").GetDouble()));

        // Unit filtering: latency is stored in Seconds, so asking for Count finds nothing.
        var wrongUnit = await fixture.Cli.JsonAsync("cloudwatch", "get-metric-statistics", "--namespace", "AWS/ApplicationELB", "--metric-name", "TargetResponseTime",
            "--dimensions", $"Name=LoadBalancer,Value={fixture.Alb.MetricDimension}", "--start-time", Iso(start), "--end-time", Iso(End),
            "--period", "300", "--statistics", "Average", "--unit", "Count");
        Assert.Empty(wrongUnit.GetProperty("Datapoints").EnumerateArray());
    }

    [Theory]
    [InlineData("90", 1, "InvalidParameterValue")]
    [InlineData("60", 48, "InvalidParameterCombination")]
    [InlineData("60", 24 * 20, "InvalidParameterCombination")]
    public async Task A_period_or_range_cloudwatch_rejects_answers_as_it_does(string period, int hours, string code)
    {
        var result = await fixture.Cli.RunAsync("cloudwatch", "get-metric-statistics", "--namespace", "AWS/ApplicationELB", "--metric-name", "RequestCount",
            "--dimensions", $"Name=LoadBalancer,Value={fixture.Alb.MetricDimension}", "--start-time", Iso(End.AddHours(-hours)), "--end-time", Iso(End),
            "--period", period, "--statistics", "Sum");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"({code})", result.Stderr, StringComparison.Ordinal);
    }
}
