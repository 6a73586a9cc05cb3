namespace Dashboard.Sandbox.Tests.Aws;

/// <summary>The CLI's automatic paging across one-item ELBv2 pages and small Cost Explorer pages.</summary>
public sealed class PagingCliTests(PagedAwsEmulatorFixture fixture) : IClassFixture<PagedAwsEmulatorFixture>
{
    [Fact]
    public async Task Cli_follows_NextMarker_across_one_item_pages()
    {
        var lbs = await fixture.Cli.JsonAsync("elbv2", "describe-load-balancers");
        var groups = await fixture.Cli.JsonAsync("elbv2", "describe-target-groups");
        var rules = await fixture.Cli.JsonAsync("elbv2", "describe-rules", "--listener-arn", fixture.HttpsListener.Arn);

        Assert.Equal([fixture.Alb.Arn, fixture.Nlb.Arn], lbs.GetProperty("LoadBalancers").EnumerateArray().Select(lb => lb.GetProperty("LoadBalancerArn").GetString()));
        Assert.Equal(3, groups.GetProperty("TargetGroups").GetArrayLength());
        Assert.Equal(["10", "20", "default"], rules.GetProperty("Rules").EnumerateArray().Select(r => r.GetProperty("Priority").GetString()));
        Assert.False(lbs.TryGetProperty("NextMarker", out _));
    }

    [Fact]
    public async Task GetCostAndUsage_pages_with_NextPageToken()
    {
        var start = DateTime.UtcNow.Date.AddDays(-5).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var end = DateTime.UtcNow.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        string[] query = ["ce", "get-cost-and-usage", "--time-period", $"Start={start},End={end}", "--granularity", "DAILY",
            "--metrics", "UnblendedCost", "--group-by", "Type=DIMENSION,Key=SERVICE"];

        var first = await fixture.Cli.JsonAsync(query);
        var token = first.GetProperty("NextPageToken").GetString()!;
        var second = await fixture.Cli.JsonAsync([.. query, "--next-page-token", token]);

        // Two services per day and two groups per page: one day per page.
        Assert.Equal(start, Assert.Single(first.GetProperty("ResultsByTime").EnumerateArray().ToList()).GetProperty("TimePeriod").GetProperty("Start").GetString());
        Assert.Equal(DateTime.UtcNow.Date.AddDays(-4).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            second.GetProperty("ResultsByTime")[0].GetProperty("TimePeriod").GetProperty("Start").GetString());
    }
}
