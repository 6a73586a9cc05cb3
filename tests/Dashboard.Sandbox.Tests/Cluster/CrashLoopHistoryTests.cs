using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dashboard.Sandbox.Cluster;
using Dashboard.Sandbox.Kubernetes;
using Dashboard.Sandbox.Tests.Kubernetes;
using Dashboard.Testing;

namespace Dashboard.Sandbox.Tests.Cluster;

/// <summary>
/// The seed's crash-looping worker, read through the API with kubectl: back-dated with its Deployment, it has been
/// crashing all along, so it shows the restarts the kubelet's back-off (capped at 5 minutes) would have made and a
/// last termination minutes old.
/// </summary>
public sealed class CrashLoopHistoryTests(SeededKubectlFixture fixture) : IClassFixture<SeededKubectlFixture>
{
    private static DateTimeOffset Time(JsonElement element, string property) =>
        DateTimeOffset.Parse(element.GetProperty(property).GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    [Fact]
    public void Back_off_doubles_from_10_seconds_to_a_5_minute_cap()
    {
        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var run = CrashLoopHistory.Run;

        Assert.Null(CrashLoopHistory.Since(start, start + run - TimeSpan.FromTicks(1)));
        Assert.Equal(new CrashLoopHistory(0, start, start + run), CrashLoopHistory.Since(start, start + run));
        // Restarted after 10 s, then 20 s: the second restart's run has ended at start + 3 runs + 30 s.
        var second = start + (3 * run) + TimeSpan.FromSeconds(30);
        Assert.Equal(new CrashLoopHistory(2, second - run, second), CrashLoopHistory.Since(start, second));
        Assert.Equal(1, CrashLoopHistory.Since(start, second - TimeSpan.FromTicks(1))!.Value.Restarts);
        // A day later: five growing back-offs (310 s), then one restart per 5 minutes and a run.
        var day = CrashLoopHistory.Since(start, start + TimeSpan.FromDays(1))!.Value;
        var expected = 5 + (long)((TimeSpan.FromDays(1) - (6 * run) - TimeSpan.FromSeconds(310)) / (TimeSpan.FromMinutes(5) + run));
        Assert.Equal(expected, day.Restarts);
        Assert.InRange(start + TimeSpan.FromDays(1) - day.LastFinishedAt, TimeSpan.Zero, TimeSpan.FromMinutes(5) + run);
        Assert.Equal(run, day.LastFinishedAt - day.LastStartedAt);
    }

    [Fact]
    public async Task The_seed_worker_shows_restarts_for_its_age_and_a_recent_last_crash()
    {
        Assert.True(await LoadBalancerController.Wait.UntilAsync(() => fixture.Store.List(ResourceTypes.Pods, "internal-tools").Items
            .Any(p => p["metadata"]?["labels"]?["app"]?.ToString() == "report-worker" && PodStatus.IsCrashLooping(p)), Patience.Eventually), "the worker crash-loops");
        var json = (await fixture.RunAsync("get", "pods", "-n", "internal-tools", "-l", "app=report-worker", "-o", "json")).Succeeded();
        var pod = Assert.Single(JsonDocument.Parse(json.Stdout).RootElement.GetProperty("items").EnumerateArray());
        var container = pod.GetProperty("status").GetProperty("containerStatuses")[0];
        var now = DateTimeOffset.UtcNow;

        var created = Time(pod.GetProperty("metadata"), "creationTimestamp");
        var age = now - created;
        Assert.True(age > TimeSpan.FromDays(1), $"the worker is back-dated ({created:O})");
        Assert.Equal("CrashLoopBackOff", container.GetProperty("state").GetProperty("waiting").GetProperty("reason").GetString());
        var restarts = container.GetProperty("restartCount").GetInt64();
        var perCap = (long)(age / (CrashLoopHistory.MaxBackOff + CrashLoopHistory.Run));
        Assert.InRange(restarts, perCap - 1, perCap + 6);
        var terminated = container.GetProperty("lastState").GetProperty("terminated");
        var finished = Time(terminated, "finishedAt");
        var started = Time(terminated, "startedAt");
        Assert.InRange(finished, now - CrashLoopHistory.MaxBackOff - TimeSpan.FromSeconds(10), now + TimeSpan.FromSeconds(1));
        Assert.InRange(started, finished - TimeSpan.FromMinutes(1), finished);
        Assert.Equal(1, terminated.GetProperty("exitCode").GetInt32());

        // kubectl's RESTARTS column: the count and how long ago the last one ended.
        var table = (await fixture.RunAsync("get", "pods", "-n", "internal-tools", "-l", "app=report-worker", "--no-headers")).Succeeded();
        var match = Regex.Match(table.Stdout, @"\s0/1\s+CrashLoopBackOff\s+(\d+) \((\d+)(s|m\d*s?) ago\)\s+\d+d");
        Assert.True(match.Success, table.Stdout);
        Assert.InRange(long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), restarts, restarts + 1);
    }
}
