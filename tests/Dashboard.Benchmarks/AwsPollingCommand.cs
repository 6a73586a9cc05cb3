using System.Globalization;
using Microsoft.Extensions.Time.Testing;

namespace Dashboard.Benchmarks;

/// <summary>
/// <c>aws-polling [--target-groups 500] [--targets-per-group 10] [--minutes 10]</c>: AWS calls per minute at steady
/// state and how long an unhealthy target takes to show, with 1 and with 50 viewers, in simulated time.
/// </summary>
public static class AwsPollingCommand
{
    public const string Usage = "aws-polling [--target-groups 500] [--targets-per-group 10] [--minutes 10]";

    public static async Task<int> RunAsync(IReadOnlyList<string> options, CancellationToken cancellationToken)
    {
        var settings = new AwsPollingBenchmarkSettings
        {
            TargetGroups = Option(options, "target-groups", 500),
            TargetsPerGroup = Option(options, "targets-per-group", 10),
            SteadyState = TimeSpan.FromMinutes(Option(options, "minutes", 10)),
        };
        Console.WriteLine($"AWS polling: {settings.TargetGroups} target groups × {settings.TargetsPerGroup} targets, {settings.TargetGroupsPerLoadBalancer} per ALB, " +
            $"{settings.SteadyState.TotalMinutes:0} simulated minutes at steady state, a target failing every {settings.FailureEvery.TotalSeconds:0} s for {settings.FailureDuration.TotalSeconds:0} s, default polling settings.");
        foreach (var (viewers, hints, changes) in new[] { (1, false, false), (50, false, false), (1, true, false), (1, false, true) })
        {
            var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
            var started = DateTime.UtcNow;
            var result = await AwsPollingBenchmark.RunAsync(settings with { Viewers = viewers, ReadinessHints = hints, ChangeHints = changes }, time, time.Advance, cancellationToken);
            Print(result, DateTime.UtcNow - started);
        }
        return 0;
    }

    private static void Print(AwsPollingBenchmarkResult result, TimeSpan wall)
    {
        var s = result.Settings;
        Console.WriteLine();
        var hints = s.ReadinessHints ? "with Kubernetes readiness hints"
            : s.ChangeHints ? $"without readiness hints, each failure {s.ChangeLead.TotalSeconds:0} s after a change to its Service (change watch)"
            : "without Kubernetes readiness hints";
        Console.WriteLine($"{s.Viewers} viewer(s) on {s.ViewedTargetGroups} target groups, {hints} ({result.LoadBalancers} ALBs; run took {wall.TotalSeconds:0.0} s of wall time)");
        Console.WriteLine($"  first full read:           {result.InitialSync.TotalMinutes:0.0} min, {result.InitialSyncElbCalls} ELBv2 calls");
        Console.WriteLine($"  ELBv2 calls per minute:    {result.ElbCallsPerMinute:0.0}  ({string.Join(", ", result.ElbCallsPerMinuteByAction.Select(a => $"{a.Key} {a.Value:0.0}"))})");
        Console.WriteLine($"  CloudWatch calls per minute: {result.CloudWatchCallsPerMinute:0.0}; throttled: {result.Throttled}");
        Console.WriteLine($"  unhealthy → in snapshot, unviewed groups: p50 {result.Unviewed.P50.TotalSeconds:0} s, p99 {result.Unviewed.P99.TotalSeconds:0} s, max {result.Unviewed.Max.TotalSeconds:0} s (n={result.Unviewed.Count}, missed {result.Unviewed.Missed})");
        Console.WriteLine($"  unhealthy → in snapshot, viewed groups:   p50 {result.Viewed.P50.TotalSeconds:0} s, p99 {result.Viewed.P99.TotalSeconds:0} s, max {result.Viewed.Max.TotalSeconds:0} s (n={result.Viewed.Count}, missed {result.Viewed.Missed})");
    }

    private static int Option(IReadOnlyList<string> options, string name, int fallback)
    {
        var index = options.ToList().IndexOf("--" + name);
        if (index < 0)
        {
            return fallback;
        }
        if (index + 1 >= options.Count || !int.TryParse(options[index + 1], CultureInfo.InvariantCulture, out var value) || value <= 0)
        {
            throw new ArgumentException($"--{name} needs a positive whole number, e.g. --{name} {fallback}.");
        }
        return value;
    }
}
