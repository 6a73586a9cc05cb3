using System.Globalization;
using System.Net;
using System.Text.Json;
using Dashboard.Server.Metrics;
using Dashboard.Server.Tests.Api;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Server.Tests.Metrics;

/// <summary>
/// <c>/api/v1/metrics/sparklines</c> against the sandbox's seed scenario: every balancer's last hour in one read of the
/// shared series cache, the same numbers as <c>aws cloudwatch get-metric-data</c>, a target group's own errors, and bad
/// input as problems naming the parameter.
/// </summary>
public sealed class SparklineApiTests(ApiScenarioFixture fixture) : IClassFixture<ApiScenarioFixture>
{
    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static Dictionary<long, double> Points(JsonElement points) =>
        points.EnumerateArray().ToDictionary(p => DateTimeOffset.Parse(p.GetProperty("t").GetString()!, CultureInfo.InvariantCulture).ToUnixTimeSeconds(),
            p => p.GetProperty("v").GetDouble());

    [Fact]
    public async Task Every_balancer_comes_in_one_read_with_the_numbers_the_aws_cli_reads()
    {
        var cache = fixture.Services.GetRequiredService<MetricSeriesCache>();
        var (_, balancers, _) = await fixture.GetAsync("/api/v1/load-balancers?limit=1000");
        var charted = balancers.GetProperty("items").EnumerateArray().Where(l => l.GetProperty("type").GetString() is "application" or "network").ToList();
        Assert.True(charted.Count > 2, "the seed has several ALBs and NLBs");
        var reads = cache.Reads;

        var (status, body, _) = await fixture.GetAsync("/api/v1/metrics/sparklines");
        var (_, again, _) = await fixture.GetAsync("/api/v1/metrics/sparklines");

        Assert.Equal(HttpStatusCode.OK, status);
        // One GetMetricData for every line of the page; the second viewer is served from the cache.
        Assert.Equal(reads + 1, cache.Reads);
        Assert.Equal(60, body.GetProperty("period").GetInt32());
        var lines = body.GetProperty("sparklines").EnumerateArray().ToList();
        Assert.Equal(charted.Select(l => l.GetProperty("name").GetString()).Order(StringComparer.Ordinal),
            lines.Select(l => l.GetProperty("loadBalancer").GetString()));
        Assert.Equal(body.GetProperty("sparklines").GetRawText(), again.GetProperty("sparklines").GetRawText());

        var alb = charted.First(l => l.GetProperty("type").GetString() == "application");
        var line = lines.Single(l => l.GetProperty("loadBalancer").GetString() == alb.GetProperty("name").GetString());
        Assert.Equal("requests", line.GetProperty("requestsLabel").GetString());
        Assert.Equal("5xx", line.GetProperty("errorsLabel").GetString());
        var requests = Points(line.GetProperty("requests"));
        var errors = Points(line.GetProperty("errors"));
        Assert.InRange(requests.Count, 50, 61);
        Assert.Equal(requests.Values.Sum(), line.GetProperty("totalRequests").GetDouble());

        var arn = alb.GetProperty("arn").GetString()!;
        var dimension = arn[(arn.IndexOf(":loadbalancer/", StringComparison.Ordinal) + ":loadbalancer/".Length)..];
        var queries = JsonSerializer.Serialize(new[] { "RequestCount", "HTTPCode_Target_5XX_Count", "HTTPCode_ELB_5XX_Count" }.Select((metric, i) => new
        {
            Id = "m" + i.ToString(CultureInfo.InvariantCulture),
            MetricStat = new
            {
                Metric = new { Namespace = "AWS/ApplicationELB", MetricName = metric, Dimensions = new[] { new { Name = "LoadBalancer", Value = dimension } } },
                Period = 60,
                Stat = "Sum",
            },
        }));
        var start = DateTimeOffset.Parse(body.GetProperty("start").GetString()!, CultureInfo.InvariantCulture);
        var end = DateTimeOffset.Parse(body.GetProperty("end").GetString()!, CultureInfo.InvariantCulture);
        var cli = await AwsCli.RunAsync(fixture, "cloudwatch", "get-metric-data", "--metric-data-queries", queries, "--start-time", Iso(start), "--end-time", Iso(end));
        var results = cli.GetProperty("MetricDataResults").EnumerateArray().ToDictionary(r => r.GetProperty("Id").GetString()!, r =>
            r.GetProperty("Timestamps").EnumerateArray().Select(t => (long)t.GetDouble()).Zip(r.GetProperty("Values").EnumerateArray().Select(v => v.GetDouble()))
                .ToDictionary(p => p.First, p => p.Second));
        // The CLI may see a minute that ended after the dashboard's read, and the newest minutes may still change (a target
        // turning unhealthy as the simulation runs, as real CloudWatch revises them): every settled minute is the same.
        var settled = requests.Keys.Max() - 120;
        foreach (var (time, value) in requests.Where(p => p.Key < settled))
        {
            Assert.Equal(results["m0"][time], value, 9);
            var expected = results["m1"].GetValueOrDefault(time) + results["m2"].GetValueOrDefault(time);
            Assert.True(Math.Abs(expected - errors.GetValueOrDefault(time)) < 1e-9,
                $"errors at {DateTimeOffset.FromUnixTimeSeconds(time):O}: CLI {results["m1"].GetValueOrDefault(time)} + {results["m2"].GetValueOrDefault(time)}, API {errors.GetValueOrDefault(time)}; newest {DateTimeOffset.FromUnixTimeSeconds(requests.Keys.Max()):O}");
        }
        Assert.True(results["m0"].Keys.Except(requests.Keys).All(t => t >= requests.Keys.Max()), "no minute the dashboard read is missing");
        // The live read told the checklist's "Monitoring present" row that the balancer's metrics flow.
        var seen = fixture.Services.GetRequiredService<MetricsFreshness>().Current[dimension];
        Assert.True(seen.NewestDatapoint >= DateTimeOffset.FromUnixTimeSeconds(requests.Keys.Max()), $"newest datapoint {seen.NewestDatapoint}");
    }

    [Fact]
    public async Task A_target_group_line_counts_its_own_target_errors_and_bad_names_say_which()
    {
        var (_, balancers, _) = await fixture.GetAsync("/api/v1/load-balancers?limit=1000");
        var alb = balancers.GetProperty("items").EnumerateArray().First(l => l.GetProperty("type").GetString() == "application" && l.GetProperty("targetGroups").GetArrayLength() > 0);
        var name = alb.GetProperty("name").GetString()!;
        var group = alb.GetProperty("targetGroups")[0].GetProperty("name").GetString()!;

        var (status, body, _) = await fixture.GetAsync($"/api/v1/metrics/sparklines?lb={name}/{group}&lb=no-such-balancer&lb={name}/no-such-group");

        Assert.Equal(HttpStatusCode.OK, status);
        var lines = body.GetProperty("sparklines").EnumerateArray().ToList();
        Assert.Equal(3, lines.Count);
        Assert.Equal(group, lines[0].GetProperty("targetGroup").GetString());
        Assert.Equal("target 5xx", lines[0].GetProperty("errorsLabel").GetString());
        Assert.NotEmpty(lines[0].GetProperty("requests").EnumerateArray());
        Assert.Contains("no-such-balancer", lines[1].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("not a target group", lines[2].GetProperty("error").GetString(), StringComparison.Ordinal);

        var tooMany = string.Join('&', Enumerable.Range(0, 101).Select(i => $"lb=lb-{i}"));
        var (manyStatus, manyBody, _) = await fixture.GetAsync($"/api/v1/metrics/sparklines?{tooMany}");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, manyStatus);
        Assert.Contains("at most 100", manyBody.GetProperty("errors").GetProperty("lb")[0].GetString(), StringComparison.Ordinal);
    }
}
