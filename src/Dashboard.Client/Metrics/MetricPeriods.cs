using System.Globalization;

namespace Dashboard.Client.Metrics;

/// <summary>
/// The period rule: the larger of CloudWatch's minimum for how old the range's start is (60 s within 15 days, 300 s to
/// 63 days, 3600 s beyond) and range ÷ <see cref="MaxPointsPerSeries"/>, rounded up to a multiple of that minimum (to
/// the next "round" period where one fits: 2, 3, 5, 10 minutes …), so no series asks for more than 1,500 points.
/// </summary>
public static class MetricPeriods
{
    public const int MaxPointsPerSeries = 1500;

    /// <summary>How far back CloudWatch keeps ELB data at all (one-hour data: 455 days).</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(455);

    private static readonly int[] RoundPeriods = [60, 120, 180, 300, 600, 900, 1200, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

    /// <summary>CloudWatch's smallest period for data starting at <paramref name="start"/>, seen at <paramref name="now"/>.</summary>
    public static int Minimum(DateTimeOffset start, DateTimeOffset now)
    {
        var age = now - start;
        return age <= TimeSpan.FromDays(15) ? 60 : age <= TimeSpan.FromDays(63) ? 300 : 3600;
    }

    /// <summary>The period for a chart of [start, end) seen at now.</summary>
    public static int For(DateTimeOffset start, DateTimeOffset end, DateTimeOffset now)
    {
        var minimum = Minimum(start, now);
        var needed = (int)Math.Ceiling(Math.Max(0, (end - start).TotalSeconds) / MaxPointsPerSeries);
        if (needed <= minimum)
        {
            return minimum;
        }
        foreach (var round in RoundPeriods)
        {
            if (round >= needed && round % minimum == 0)
            {
                return round;
            }
        }
        return (int)Math.Ceiling(needed / 86400.0) * 86400;
    }

    /// <summary>
    /// Why CloudWatch would not answer <paramref name="period"/> for [start, end) as asked (or asks for too many points):
    /// one sentence naming the fix; null when the period is fine.
    /// </summary>
    public static string? Problem(int period, DateTimeOffset start, DateTimeOffset end, DateTimeOffset now)
    {
        if (period < 60 || period % 60 != 0)
        {
            return $"period must be a multiple of 60 seconds (ELB publishes one-minute data); got {period}.";
        }
        var minimum = Minimum(start, now);
        if (period % minimum != 0)
        {
            return $"period {period} s cannot be read that far back: CloudWatch keeps data older than {(minimum == 300 ? "15 days only as 5-minute" : "63 days only as 1-hour")} periods; use a multiple of {minimum} s (suggested: {For(start, end, now)}).";
        }
        var points = (end - start).TotalSeconds / period;
        if (points > MaxPointsPerSeries)
        {
            return $"period {period} s gives {Math.Ceiling(points).ToString(CultureInfo.InvariantCulture)} points; at most {MaxPointsPerSeries} per series — use {For(start, end, now)} s or a shorter range.";
        }
        return null;
    }

    /// <summary>Aligns a time down to a period boundary (CloudWatch's buckets start at multiples of the period).</summary>
    public static DateTimeOffset AlignDown(DateTimeOffset time, int period) =>
        DateTimeOffset.FromUnixTimeSeconds(time.ToUnixTimeSeconds() / period * period);

    /// <summary>Aligns a time up to a period boundary.</summary>
    public static DateTimeOffset AlignUp(DateTimeOffset time, int period)
    {
        var seconds = time.ToUnixTimeSeconds();
        return DateTimeOffset.FromUnixTimeSeconds((seconds + period - 1) / period * period);
    }

    /// <summary>"60 s", "5 min", "1 h", "1 d".</summary>
    public static string Format(int period) => period switch
    {
        _ when period % 86400 == 0 => $"{period / 86400} d",
        _ when period % 3600 == 0 => $"{period / 3600} h",
        _ when period % 60 == 0 && period >= 120 => $"{period / 60} min",
        _ => $"{period} s",
    };
}
