using System.Globalization;

namespace Dashboard.Client.Model;

/// <summary>How the dashboard writes times and durations: invariant culture, UTC, short.</summary>
public static class DisplayFormat
{
    /// <summary>An age the way kubectl writes one: 42s, 5m, 3h, 12d, 2y.</summary>
    public static string Age(TimeSpan age)
    {
        if (age < TimeSpan.Zero)
        {
            age = TimeSpan.Zero;
        }
        return age.TotalSeconds < 60 ? Whole(age.TotalSeconds) + "s"
            : age.TotalMinutes < 60 ? Whole(age.TotalMinutes) + "m"
            : age.TotalHours < 24 ? Whole(age.TotalHours) + "h"
            : age.TotalDays < 365 ? Whole(age.TotalDays) + "d"
            : Whole(age.TotalDays / 365) + "y";
    }

    /// <summary>The age of something created at <paramref name="createdAt"/>, as of <paramref name="now"/>.</summary>
    public static string Age(DateTimeOffset createdAt, DateTimeOffset now) => Age(now - createdAt);

    /// <summary>A wall-clock time in UTC, e.g. "14:03:12 UTC".</summary>
    public static string ClockTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    /// <summary>A full timestamp in UTC, e.g. "2025-06-01 14:03:12 UTC".</summary>
    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    /// <summary>"14:03:12 UTC (12 s ago)".</summary>
    public static string TimeAndAgo(DateTimeOffset time, DateTimeOffset now)
    {
        var seconds = Math.Max(0, (long)(now - time).TotalSeconds);
        var ago = seconds < 120 ? seconds.ToString(CultureInfo.InvariantCulture) + " s ago" : Age(now - time) + " ago";
        return $"{ClockTime(time)} ({ago})";
    }

    public static string Count(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Whole(double value) => ((long)Math.Floor(value)).ToString(CultureInfo.InvariantCulture);
}
