using Dashboard.Client.Model;

namespace Dashboard.Client.Tests.Model;

public class DisplayFormatTests
{
    [Theory]
    [InlineData(-5, "0s")]
    [InlineData(42, "42s")]
    [InlineData(5 * 60 + 59, "5m")]
    [InlineData(3 * 3600 + 10, "3h")]
    [InlineData(12 * 86400 + 3600, "12d")]
    [InlineData(800 * 86400, "2y")]
    public void Age_is_humanised_like_kubectl(int seconds, string expected)
    {
        Assert.Equal(expected, DisplayFormat.Age(TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void Times_are_utc_and_culture_invariant()
    {
        var previous = Thread.CurrentThread.CurrentCulture;
        Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("ar-SA");
        try
        {
            var at = new DateTimeOffset(2025, 6, 1, 21, 3, 12, TimeSpan.FromHours(7));
            Assert.Equal("14:03:12 UTC (12 seconds ago)", DisplayFormat.TimeAndAgo(at, at.AddSeconds(12)));
            Assert.Equal("2025-06-01 14:03:12 UTC", DisplayFormat.Timestamp(at));
            Assert.Equal("10,000", DisplayFormat.Count(10_000));
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = previous;
        }
    }
}
