using Dashboard.Client.Metrics;

namespace Dashboard.Server.Tests.Metrics;

/// <summary>The period rule: CloudWatch's minimum by the age of the range's start, and at most 1,500 points per series.</summary>
public sealed class MetricPeriodsTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 4, 14, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(15, 60)]
    [InlineData(60, 60)]
    [InlineData(12 * 60, 60)]
    [InlineData(24 * 60, 60)] // one day at one minute: 1,440 points
    [InlineData(3 * 24 * 60, 180)]
    [InlineData(7 * 24 * 60, 600)]
    [InlineData(14 * 24 * 60, 900)]
    [InlineData(30 * 24 * 60, 1800)] // starts 30 days ago: a multiple of 300
    [InlineData(90 * 24 * 60, 7200)] // starts 90 days ago: a multiple of 3600
    public void A_range_ending_now_gets_the_period_the_rule_gives(int minutes, int expected)
    {
        var start = Now.AddMinutes(-minutes);

        var period = MetricPeriods.For(start, Now, Now);

        Assert.Equal(expected, period);
        Assert.True((Now - start).TotalSeconds / period <= MetricPeriods.MaxPointsPerSeries);
        Assert.Null(MetricPeriods.Problem(period, start, Now, Now));
    }

    [Fact]
    public void An_hour_twenty_days_ago_can_only_be_read_in_five_minute_periods()
    {
        var start = Now.AddDays(-20);

        Assert.Equal(300, MetricPeriods.For(start, start.AddHours(1), Now));
        var problem = MetricPeriods.Problem(60, start, start.AddHours(1), Now);
        Assert.NotNull(problem);
        Assert.Contains("multiple of 300", problem, StringComparison.Ordinal);
        Assert.Equal(3600, MetricPeriods.For(Now.AddDays(-70), Now.AddDays(-70).AddHours(1), Now));
    }

    [Theory]
    [InlineData(90, "multiple of 60")]
    [InlineData(30, "multiple of 60")]
    [InlineData(0, "multiple of 60")]
    public void A_period_CloudWatch_rejects_is_named(int period, string expected)
    {
        Assert.Contains(expected, MetricPeriods.Problem(period, Now.AddHours(-1), Now, Now), StringComparison.Ordinal);
    }

    [Fact]
    public void Too_many_points_suggest_the_period_to_use()
    {
        var problem = MetricPeriods.Problem(60, Now.AddDays(-7), Now, Now);

        Assert.NotNull(problem);
        Assert.Contains("10080 points", problem, StringComparison.Ordinal);
        Assert.Contains("use 600 s", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_zoom_between_five_minutes_and_a_year_stays_within_1500_points_and_the_minimum()
    {
        for (var seconds = 300L; seconds < 400L * 86400; seconds = (long)(seconds * 1.37))
        {
            var start = Now.AddSeconds(-seconds);
            var period = MetricPeriods.For(start, Now, Now);
            Assert.True(seconds / (double)period <= MetricPeriods.MaxPointsPerSeries, $"{seconds} s at {period} s");
            Assert.Equal(0, period % MetricPeriods.Minimum(start, Now));
        }
    }

    [Theory]
    [InlineData("1h", true)]
    [InlineData("90d", true)]
    [InlineData("2025-06-04T14:00:00Z~2025-06-04T15:00:00Z", true)]
    [InlineData("2025-06-04T15:00:00Z~2025-06-04T14:00:00Z", false)]
    [InlineData("yesterday", false)]
    public void Ranges_parse_from_and_print_to_their_URL_form(string text, bool valid)
    {
        var range = MetricRange.Parse(text, out var error);

        Assert.Equal(valid, range is not null);
        if (range is not null)
        {
            Assert.Equal(text, range.ToString());
            Assert.Null(error);
        }
        else
        {
            Assert.StartsWith("range:", error, StringComparison.Ordinal);
        }
    }
}
