using System.Globalization;
using System.Net;
using System.Text.Json;
using Dashboard.Server.Tests.Api;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Server.Tests.Metrics;

/// <summary>
/// <c>/api/v1/metrics</c> and <c>/api/v1/metrics/charts</c> against the sandbox's seed scenario: the same numbers as
/// <c>aws cloudwatch get-metric-data</c> for the same query, every chart of a section, and bad input as problems naming
/// the parameter.
/// </summary>
public sealed class MetricsApiTests(ApiScenarioFixture fixture) : IClassFixture<ApiScenarioFixture>
{
    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private async Task<(string Name, string Type, string Arn, string[] Groups)> BalancerAsync(string type)
    {
        var (_, body, _) = await fixture.GetAsync("/api/v1/load-balancers?limit=1000");
        var lb = body.GetProperty("items").EnumerateArray().First(l => l.GetProperty("type").GetString() == type && l.GetProperty("targetGroups").GetArrayLength() > 0);
        return (lb.GetProperty("name").GetString()!, type, lb.GetProperty("arn").GetString()!,
            [.. lb.GetProperty("targetGroups").EnumerateArray().Select(g => g.GetProperty("name").GetString()!)]);
    }

    [Fact]
    public async Task A_series_has_the_same_numbers_as_the_aws_cli_for_the_same_query()
    {
        var (name, _, arn, _) = await BalancerAsync("application");
        var end = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 300 * 300).AddMinutes(-5);
        var start = end.AddHours(-3);

        var (status, body, _) = await fixture.GetAsync($"/api/v1/metrics?lb={name}&metric=TargetResponseTime&stat=p99&start={Iso(start)}&end={Iso(end)}&period=300");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(300, body.GetProperty("period").GetInt32());
        var api = body.GetProperty("points").EnumerateArray()
            .ToDictionary(p => DateTimeOffset.Parse(p.GetProperty("t").GetString()!, CultureInfo.InvariantCulture).ToUnixTimeSeconds(), p => p.GetProperty("v").GetDouble());
        Assert.Equal(36, api.Count);

        var dimension = arn[(arn.IndexOf(":loadbalancer/", StringComparison.Ordinal) + ":loadbalancer/".Length)..];
        var queries = JsonSerializer.Serialize(new[]
        {
            new
            {
                Id = "p99",
                MetricStat = new
                {
                    Metric = new { Namespace = "AWS/ApplicationELB", MetricName = "TargetResponseTime", Dimensions = new[] { new { Name = "LoadBalancer", Value = dimension } } },
                    Period = 300,
                    Stat = "p99",
                },
            },
        });
        var cli = await AwsCliAsync("cloudwatch", "get-metric-data", "--metric-data-queries", queries, "--start-time", Iso(start), "--end-time", Iso(end));
        var result = cli.GetProperty("MetricDataResults")[0];
        var expected = result.GetProperty("Timestamps").EnumerateArray().Select(t => (long)t.GetDouble())
            .Zip(result.GetProperty("Values").EnumerateArray().Select(v => v.GetDouble()))
            .ToDictionary(p => p.First, p => p.Second);
        Assert.Equal(expected.Keys.Order(), api.Keys.Order());
        foreach (var (time, value) in expected)
        {
            Assert.Equal(value, api[time], 12);
        }
    }

    [Fact]
    public async Task The_charts_of_an_ALB_and_an_NLB_come_in_on_call_order_with_one_read()
    {
        var alb = await BalancerAsync("application");
        var nlb = await BalancerAsync("network");

        var (status, albBody, _) = await fixture.GetAsync($"/api/v1/metrics/charts?lb={alb.Name}&range=1h");
        var (_, nlbBody, _) = await fixture.GetAsync($"/api/v1/metrics/charts?lb={nlb.Name}&range=1h&tg={nlb.Groups[0]}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["requests", "errors", "errorShare", "latency", "hosts", "connections", "capacity", "tls"],
            albBody.GetProperty("charts").EnumerateArray().Select(c => c.GetProperty("key").GetString()));
        Assert.Equal(60, albBody.GetProperty("period").GetInt32());
        var requests = albBody.GetProperty("charts")[0].GetProperty("series")[0].GetProperty("points");
        Assert.InRange(requests.GetArrayLength(), 55, 61);
        // In the balancer scope host counts are per target group: one line per group.
        var hosts = albBody.GetProperty("charts").EnumerateArray().Single(c => c.GetProperty("key").GetString() == "hosts");
        Assert.Equal(2 * alb.Groups.Length, hosts.GetProperty("series").GetArrayLength());
        Assert.Equal(["flows", "resets", "hosts", "bytes", "capacity", "tls"],
            nlbBody.GetProperty("charts").EnumerateArray().Select(c => c.GetProperty("key").GetString()));
        Assert.Equal(nlb.Groups[0], nlbBody.GetProperty("targetGroup").GetString());
        Assert.NotEmpty(nlbBody.GetProperty("zones").EnumerateArray());
    }

    [Theory]
    [InlineData("metric=NoSuchMetric", "metric")]
    [InlineData("metric=RequestCount&period=90", "period")]
    [InlineData("metric=RequestCount&start=2025-06-04T15:00:00Z&end=2025-06-04T14:00:00Z", "end")]
    [InlineData("metric=RequestCount&stat=median", "stat")]
    [InlineData("metric=RequestCount&tg=not-a-group", "tg")]
    [InlineData("metric=RequestCount&zone=mars-1a", "zone")]
    [InlineData("metric=RequestCount&start=yesterday", "start")]
    public async Task Bad_input_is_a_problem_naming_the_parameter(string query, string parameter)
    {
        var (name, _, _, _) = await BalancerAsync("application");

        var (status, body, response) = await fixture.GetAsync($"/api/v1/metrics?lb={name}&{query}");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(body.GetProperty("errors").TryGetProperty(parameter, out var messages), $"errors name {parameter}: {body}");
        Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));
    }

    [Fact]
    public async Task An_unknown_balancer_and_a_bad_range_are_problems_too()
    {
        var (status, body, _) = await fixture.GetAsync("/api/v1/metrics?lb=no-such-balancer&metric=RequestCount");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("no-such-balancer", body.GetProperty("errors").GetProperty("lb")[0].GetString(), StringComparison.Ordinal);

        var (chartsStatus, chartsBody, _) = await fixture.GetAsync("/api/v1/metrics/charts?lb=no-such-balancer&range=lastweek");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, chartsStatus);
        Assert.True(chartsBody.GetProperty("errors").TryGetProperty("range", out _));
    }

    private Task<JsonElement> AwsCliAsync(params string[] arguments) => AwsCli.RunAsync(fixture, arguments);
}
