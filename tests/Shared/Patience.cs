namespace Dashboard.Testing;

/// <summary>
/// How long a test waits for something that is going to happen (a watch event, a page update, a process start). These
/// bounds only stop a hung test: a green run never waits for them, so they are generous — a 2-core machine running
/// every test project at once, with a build or a CPU hog beside it, can take many times longer than an idle one.
/// A test asserts what happened and in which order, never how fast; speed lives in the benchmarks.
/// <c>DASHBOARD_TEST_PATIENCE</c> (a factor, default 1) stretches every bound on a slower machine.
/// </summary>
public static class Patience
{
    private static readonly double Factor = ReadFactor(Environment.GetEnvironmentVariable("DASHBOARD_TEST_PATIENCE"));

    /// <summary>For anything in-process or over loopback: a feed change, a cache recovering, a render.</summary>
    public static TimeSpan Eventually { get; } = Scale(TimeSpan.FromSeconds(60));

    /// <summary>For work that involves another process starting or a browser: a server booting, chromium navigating.</summary>
    public static TimeSpan Slowly { get; } = Scale(TimeSpan.FromSeconds(120));

    /// <summary><see cref="Eventually"/> in milliseconds, as Playwright takes its timeouts.</summary>
    public static float EventuallyMs => (float)Eventually.TotalMilliseconds;

    /// <summary><see cref="Slowly"/> in milliseconds.</summary>
    public static float SlowlyMs => (float)Slowly.TotalMilliseconds;

    /// <summary>A bound of the test's own, stretched by the same factor.</summary>
    public static TimeSpan Scale(TimeSpan bound) => bound * Factor;

    private static double ReadFactor(string? value) =>
        double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var factor) && factor >= 1
            ? factor
            : 1;
}
