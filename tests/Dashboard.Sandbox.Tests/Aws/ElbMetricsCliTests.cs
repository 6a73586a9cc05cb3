using System.Globalization;
using System.Text.Json;

namespace Dashboard.Sandbox.Tests.Aws;

/// <summary>
/// What the metrics charts read, asked through the AWS CLI as an operator would: per-Availability-Zone dimension sets,
/// the ELB 5xx split, TLS and connection errors, and metric math expressions.
/// </summary>
public sealed class ElbMetricsCliTests(AwsEmulatorFixture fixture) : IClassFixture<AwsEmulatorFixture>
{
    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    // One end per test (xUnit makes an instance per test): a property read again could cross a 5-minute boundary between
    // two CLI calls on a busy machine and compare different windows.
    private readonly DateTimeOffset End = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 300 * 300);

    private async Task<Dictionary<string, List<(double T, double V)>>> GetAsync(object[] queries, DateTimeOffset start, DateTimeOffset end)
    {
        var json = await fixture.Cli.JsonAsync("cloudwatch", "get-metric-data", "--metric-data-queries", JsonSerializer.Serialize(queries),
            "--start-time", Iso(start), "--end-time", Iso(end), "--scan-by", "TimestampAscending");
        return json.GetProperty("MetricDataResults").EnumerateArray().ToDictionary(
            r => r.GetProperty("Id").GetString()!,
            r => r.GetProperty("Timestamps").EnumerateArray().Select(t => t.GetDouble())
                .Zip(r.GetProperty("Values").EnumerateArray().Select(v => v.GetDouble())).ToList());
    }

    private static object Stat(string id, string metric, string stat, int period, params (string Name, string Value)[] dimensions) => new
    {
        Id = id,
        MetricStat = new
        {
            Metric = new { Namespace = "AWS/ApplicationELB", MetricName = metric, Dimensions = dimensions.Select(d => new { d.Name, d.Value }).ToArray() },
            Period = period,
            Stat = stat,
        },
    };

    [Fact]
    public async Task Per_zone_request_counts_add_up_to_the_balancer_count()
    {
        var zones = fixture.Alb.AvailabilityZones.Select(z => z.ZoneName).ToList();
        Assert.True(zones.Count >= 2, "the world gives a balancer one subnet per zone");
        var lb = ("LoadBalancer", fixture.Alb.MetricDimension);
        var queries = new List<object> { Stat("whole", "RequestCount", "Sum", 300, lb) };
        queries.AddRange(zones.Select((zone, i) => Stat($"az{i}", "RequestCount", "Sum", 300, ("AvailabilityZone", zone), lb)));

        var results = await GetAsync([.. queries], End.AddHours(-2), End);

        var whole = results["whole"];
        Assert.Equal(24, whole.Count);
        for (var i = 0; i < whole.Count; i++)
        {
            var parts = zones.Select((_, z) => results[$"az{z}"].Single(p => p.T == whole[i].T).V).ToList();
            Assert.Equal(whole[i].V, parts.Sum());
            Assert.All(parts, p => Assert.InRange(p, whole[i].V / zones.Count - 5, whole[i].V / zones.Count + 5));
        }
    }

    [Fact]
    public async Task An_unknown_zone_finds_no_datapoints()
    {
        var results = await GetAsync([Stat("none", "RequestCount", "Sum", 300, ("AvailabilityZone", "eu-west-9z"), ("LoadBalancer", fixture.Alb.MetricDimension))],
            End.AddHours(-1), End);

        Assert.Empty(results["none"]);
    }

    [Fact]
    public async Task Elb_5xx_is_the_sum_of_its_500_502_503_504_split()
    {
        var lb = ("LoadBalancer", fixture.Alb.MetricDimension);
        var results = await GetAsync(
        [
            Stat("all", "HTTPCode_ELB_5XX_Count", "Sum", 3600, lb),
            Stat("c500", "HTTPCode_ELB_500_Count", "Sum", 3600, lb),
            Stat("c502", "HTTPCode_ELB_502_Count", "Sum", 3600, lb),
            Stat("c503", "HTTPCode_ELB_503_Count", "Sum", 3600, lb),
            Stat("c504", "HTTPCode_ELB_504_Count", "Sum", 3600, lb),
            Stat("tls", "ClientTLSNegotiationErrorCount", "Sum", 3600, lb),
        ], End.AddDays(-2), End);

        var total = results["all"].Sum(p => p.V);
        var split = new[] { "c500", "c502", "c503", "c504" }.Sum(id => results[id].Sum(p => p.V));
        // A count below one in a minute is not published, so the split can miss a few of the whole.
        Assert.InRange(split, total * 0.9, total);
        Assert.True(results["c502"].Sum(p => p.V) > 0, "one of the web targets is unhealthy, so the balancer answers some 502s");
        Assert.True(results["tls"].Sum(p => p.V) > 0, "the ALB has an HTTPS listener");
    }

    [Fact]
    public async Task A_metric_math_expression_combines_series_on_shared_timestamps()
    {
        var lb = ("LoadBalancer", fixture.Alb.MetricDimension);
        var json = await fixture.Cli.JsonAsync("cloudwatch", "get-metric-data", "--metric-data-queries", JsonSerializer.Serialize(new object[]
        {
            Stat("errors", "HTTPCode_Target_5XX_Count", "Sum", 300, lb),
            Stat("requests", "RequestCount", "Sum", 300, lb),
            new { Id = "share", Expression = "100 * errors / requests", Label = "5xx %" },
        }), "--start-time", Iso(End.AddHours(-3)), "--end-time", Iso(End), "--scan-by", "TimestampAscending");

        var results = json.GetProperty("MetricDataResults").EnumerateArray().ToDictionary(r => r.GetProperty("Id").GetString()!);
        var errors = Points(results["errors"]);
        var requests = Points(results["requests"]);
        var share = Points(results["share"]);
        Assert.Equal("5xx %", results["share"].GetProperty("Label").GetString());
        Assert.Equal(errors.Keys.Intersect(requests.Keys).Order(), share.Keys.Order());
        Assert.NotEmpty(share);
        foreach (var (time, value) in share)
        {
            Assert.Equal(100 * errors[time] / requests[time], value, 9);
        }
    }

    [Fact]
    public async Task A_bad_expression_is_a_ValidationError_naming_the_query()
    {
        var result = await fixture.Cli.RunAsync("cloudwatch", "get-metric-data", "--metric-data-queries", JsonSerializer.Serialize(new object[]
        {
            Stat("requests", "RequestCount", "Sum", 300, ("LoadBalancer", fixture.Alb.MetricDimension)),
            new { Id = "share", Expression = "100 * missing / requests" },
        }), "--start-time", Iso(End.AddHours(-1)), "--end-time", Iso(End));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("(ValidationError)", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("'share'", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("missing", result.Stderr, StringComparison.Ordinal);
    }

    private static Dictionary<double, double> Points(JsonElement result) =>
        result.GetProperty("Timestamps").EnumerateArray().Select(t => t.GetDouble())
            .Zip(result.GetProperty("Values").EnumerateArray().Select(v => v.GetDouble()))
            .ToDictionary(p => p.First, p => p.Second);
}
