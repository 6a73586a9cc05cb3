using System.Globalization;
using Dashboard.Client.Localization;
using Humanizer;

namespace Dashboard.Client.Model;

/// <summary>
/// How the dashboard writes times, durations and counts, in UTC, short, in the viewer's formats
/// (<see cref="DashboardCultures.Format"/>: ISO dates and "1,234" in English, "02/12/2026" and "1.234" in Vietnamese).
/// Ages stay kubectl's "5m" in every language; relative times ("12 seconds ago", "cách đây 12 giây") are Humanizer's.
/// </summary>
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
        time.UtcDateTime.ToString(DateFormat + " HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    /// <summary>A day: "2025-06-01" in English, "01/06/2025" in Vietnamese.</summary>
    public static string Date(DateTimeOffset time) => time.UtcDateTime.ToString(DateFormat, CultureInfo.InvariantCulture);

    /// <summary>"14:03:12 UTC (12 seconds ago)"; "14:03:12 UTC (cách đây 12 giây)" in Vietnamese.</summary>
    public static string TimeAndAgo(DateTimeOffset time, DateTimeOffset now) => $"{ClockTime(time)} ({Ago(time, now)})";

    /// <summary>How long ago <paramref name="time"/> was, in the viewer's language: "12 seconds ago", "cách đây 3 phút".</summary>
    public static string Ago(DateTimeOffset time, DateTimeOffset now) =>
        (time > now ? now : time).Humanize(dateToCompareAgainst: now, culture: DashboardCultures.Language);

    public static string Count(int value) => value.ToString("N0", DashboardCultures.Format);

    /// <summary>The day format of the viewer: ISO in English, vi-VN's "dd/MM/yyyy" in Vietnamese.</summary>
    private static string DateFormat => DashboardCultures.IsVietnamese(CultureInfo.CurrentCulture) ? "dd/MM/yyyy" : "yyyy-MM-dd";

    private static string Whole(double value) => ((long)Math.Floor(value)).ToString(CultureInfo.InvariantCulture);
}
