using System.Globalization;
using Dashboard.Client.Localization;
using Dashboard.Client.Model;

namespace Dashboard.Client.Tests.Localization;

/// <summary>The one set of formatting helpers in both languages: numbers, dates, US dollars, relative times.</summary>
public sealed class CultureFormatTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 2, 14, 3, 12, TimeSpan.Zero);

    private static T In<T>(string culture, Func<T> format)
    {
        var (previous, previousUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            return format();
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (previous, previousUi);
        }
    }

    [Fact]
    public void Vietnamese_writes_numbers_dates_and_us_dollars_its_way()
    {
        Assert.Equal("US$1.234,56", In("vi-VN", () => CostFormat.Money(1234.56m)));
        Assert.Equal("-US$0,40", In("vi-VN", () => CostFormat.Money(-0.4m)));
        Assert.Equal("+US$1,20", In("vi-VN", () => CostFormat.Difference(1.2m)));
        Assert.Equal("1.234", In("vi-VN", () => DisplayFormat.Count(1234)));
        Assert.Equal("02/12/2026", In("vi-VN", () => DisplayFormat.Date(At)));
        Assert.Equal("02/12/2026 14:03:12 UTC", In("vi-VN", () => DisplayFormat.Timestamp(At)));
        Assert.DoesNotContain("₫", In("vi-VN", () => CostFormat.Money(5m)), StringComparison.Ordinal);
    }

    [Fact]
    public void English_keeps_dollars_iso_dates_and_grouping()
    {
        Assert.Equal("$1,234.56", In("en", () => CostFormat.Money(1234.56m)));
        Assert.Equal("1,234", In("en", () => DisplayFormat.Count(1234)));
        Assert.Equal("2026-12-02 14:03:12 UTC", In("en", () => DisplayFormat.Timestamp(At)));
    }

    [Fact]
    public void Relative_times_are_humanised_in_the_viewers_language()
    {
        Assert.Equal("cách đây 3 phút", In("vi-VN", () => DisplayFormat.Ago(At, At.AddMinutes(3))));
        Assert.Equal("3 minutes ago", In("en", () => DisplayFormat.Ago(At, At.AddMinutes(3))));
        Assert.Equal("14:03:12 UTC (cách đây 12 giây)", In("vi-VN", () => DisplayFormat.TimeAndAgo(At, At.AddSeconds(12))));
    }

    [Fact]
    public void A_server_text_is_english_for_the_api_and_vietnamese_for_a_vietnamese_viewer()
    {
        var text = LocalText.Of("Check.Monitoring.NoDatapoints", "k8s-mlops-retail-1a2b");

        Assert.Equal("No CloudWatch datapoints in the last hour for k8s-mlops-retail-1a2b: no traffic, or metrics are not published.", text.English);
        Assert.StartsWith("Không có điểm dữ liệu CloudWatch", text.Format(CultureInfo.GetCultureInfo("vi-VN")), StringComparison.Ordinal);
        Assert.Equal(text, LocalText.Of("Check.Monitoring.NoDatapoints", "k8s-mlops-retail-1a2b"));
    }
}
