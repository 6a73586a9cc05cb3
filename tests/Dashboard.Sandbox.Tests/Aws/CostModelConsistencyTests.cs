using System.Globalization;
using System.Text.Json;
using Dashboard.Sandbox.Aws.CostExplorer;

namespace Dashboard.Sandbox.Tests.Aws;

/// <summary>
/// The sandbox's bill agrees with its own usage, as a real account's does: for each day and each stack tag, Cost Explorer's
/// figure equals the balancer's billed hours × the hourly price + the ConsumedLCUs CloudWatch reports for those hours × the
/// LCU price. Both sides are asked over the wire with the AWS CLI, so a page that compares Cost Explorer with an estimate
/// from CloudWatch compares like with like. The days tested include each balancer's creation day (a partial first hour).
/// </summary>
public sealed class CostModelConsistencyTests(AwsEmulatorFixture fixture) : IClassFixture<AwsEmulatorFixture>
{
    private static readonly ElbPrices Prices = new();

    [Fact]
    public async Task Cost_Explorer_per_day_and_stack_tag_equals_hours_and_CloudWatch_LCU_hours_at_list_price()
    {
        var balancers = new[]
        {
            (Lb: fixture.Alb, Tag: "ingress.k8s.aws/stack", Namespace: "AWS/ApplicationELB", Hour: Prices.ApplicationLoadBalancerHour, Lcu: Prices.ApplicationLcuHour),
            (Lb: fixture.Nlb, Tag: "service.k8s.aws/stack", Namespace: "AWS/NetworkELB", Hour: Prices.NetworkLoadBalancerHour, Lcu: Prices.NetworkLcuHour),
        };
        var yesterday = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-1), TimeSpan.Zero);
        foreach (var (lb, tag, ns, hourPrice, lcuPrice) in balancers)
        {
            var creationDay = new DateTimeOffset(lb.CreatedTime.UtcDateTime.Date, TimeSpan.Zero);
            foreach (var day in new[] { creationDay, creationDay.AddDays(1), yesterday })
            {
                var billed = await CostExplorerAsync(day, tag, fixture.World.GetTags(lb.Arn)[tag]);
                var lcuHours = await ConsumedLcuHoursAsync(ns, lb.MetricDimension, day);
                var hours = Enumerable.Range(0, 24).Count(h => day.AddHours(h + 1) > lb.CreatedTime);
                var expected = (hours * hourPrice) + ((decimal)lcuHours * lcuPrice);

                Assert.True(lcuHours > 0, $"{lb.Name} consumed no LCUs on {Day(day)}");
                Assert.True(Math.Abs(expected - billed) < 0.000001m,
                    $"{lb.Name} on {Day(day)}: Cost Explorer {billed}, {hours} h × {hourPrice} + {lcuHours} LCU-h × {lcuPrice} = {expected}");
            }
        }
    }

    [Fact]
    public async Task A_month_is_the_sum_of_its_days()
    {
        var monthStart = new DateTimeOffset(DateTime.UtcNow.Year, DateTime.UtcNow.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var end = DateTime.UtcNow.Date.AddDays(1);
        if (end <= monthStart.UtcDateTime.AddDays(1))
        {
            // The first of the month: last month instead, so the sum runs over more than one day.
            monthStart = monthStart.AddMonths(-1);
            end = monthStart.UtcDateTime.AddMonths(1);
        }
        var filter = """{"Dimensions":{"Key":"SERVICE","Values":["Amazon Elastic Load Balancing"]}}""";
        var period = $"Start={Day(monthStart)},End={end.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";

        var monthly = await fixture.Cli.JsonAsync("ce", "get-cost-and-usage", "--time-period", period, "--granularity", "MONTHLY",
            "--metrics", "UnblendedCost", "--filter", filter);
        var daily = await fixture.Cli.JsonAsync("ce", "get-cost-and-usage", "--time-period", period, "--granularity", "DAILY",
            "--metrics", "UnblendedCost", "--filter", filter);

        var month = monthly.GetProperty("ResultsByTime").EnumerateArray().Sum(r => Amount(r.GetProperty("Total")));
        var days = daily.GetProperty("ResultsByTime").EnumerateArray().Sum(r => Amount(r.GetProperty("Total")));
        Assert.True(month > 0);
        Assert.True(Math.Abs(month - days) < 0.000001m, $"month {month}, sum of days {days}");
    }

    private async Task<decimal> CostExplorerAsync(DateTimeOffset day, string tag, string value)
    {
        var filter = """{"Dimensions":{"Key":"SERVICE","Values":["Amazon Elastic Load Balancing"]}}""";
        var json = await fixture.Cli.JsonAsync("ce", "get-cost-and-usage", "--time-period", $"Start={Day(day)},End={Day(day.AddDays(1))}",
            "--granularity", "DAILY", "--metrics", "UnblendedCost", "--filter", filter, "--group-by", $"Type=TAG,Key={tag}");
        var result = Assert.Single(json.GetProperty("ResultsByTime").EnumerateArray());
        var group = Assert.Single(result.GetProperty("Groups").EnumerateArray(), g => g.GetProperty("Keys")[0].GetString() == $"{tag}${value}");
        return Amount(group.GetProperty("Metrics"));
    }

    private async Task<double> ConsumedLcuHoursAsync(string ns, string dimension, DateTimeOffset day)
    {
        var queries = JsonSerializer.Serialize(new object[]
        {
            new
            {
                Id = "lcu",
                MetricStat = new
                {
                    Metric = new { Namespace = ns, MetricName = "ConsumedLCUs", Dimensions = new[] { new { Name = "LoadBalancer", Value = dimension } } },
                    Period = 3600,
                    Stat = "Sum",
                },
            },
        });
        var json = await fixture.Cli.JsonAsync("cloudwatch", "get-metric-data", "--metric-data-queries", queries,
            "--start-time", Iso(day), "--end-time", Iso(day.AddDays(1)));
        return json.GetProperty("MetricDataResults")[0].GetProperty("Values").EnumerateArray().Sum(v => v.GetDouble());
    }

    private static decimal Amount(JsonElement metrics) =>
        decimal.Parse(metrics.GetProperty("UnblendedCost").GetProperty("Amount").GetString()!, CultureInfo.InvariantCulture);

    private static string Day(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
