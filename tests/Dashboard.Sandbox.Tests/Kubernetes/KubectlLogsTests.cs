using System.Globalization;
using System.Text.Json.Nodes;
using Dashboard.Sandbox.Kubernetes;
using Dashboard.Sandbox.Tests.LoadBalancerController;
using Dashboard.Testing;

namespace Dashboard.Sandbox.Tests.Kubernetes;

/// <summary>
/// <c>kubectl logs</c> against the seed scenario, judged by kubectl 1.32: <c>--timestamps</c>, <c>--tail</c>,
/// <c>--since</c>/<c>--since-time</c>, <c>--previous</c> (a crash-looping container's last instance; an error for one that
/// never restarted) and <c>-f</c>, which streams until the pod stops.
/// </summary>
public sealed class KubectlLogsTests(SeededKubectlFixture fixture) : IClassFixture<SeededKubectlFixture>
{
    private async Task<string> PodOfAsync(string ns, string app)
    {
        JsonObject? Find() => fixture.Store.List(ResourceTypes.Pods, ns).Items
            .FirstOrDefault(p => p["metadata"]?["labels"]?["app"]?.ToString() == app && p["metadata"]?["deletionTimestamp"] is null && p["status"]?["containerStatuses"] is not null);
        Assert.True(await Wait.UntilAsync(() => Find() is not null, Patience.Eventually), $"a pod of {ns}/{app}");
        return Find()!["metadata"]!["name"]!.GetValue<string>();
    }

    private static DateTimeOffset Stamp(string line) =>
        DateTimeOffset.Parse(line[..line.IndexOf(' ', StringComparison.Ordinal)], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    [Fact]
    public async Task Timestamps_tail_and_since_select_the_lines()
    {
        var pod = await PodOfAsync("mlops", "retail-forecast-api");

        // The pod keeps logging (a probe line every 10 s) while the reads run, slowly on a busy machine: each read is
        // checked against the moment it was made, never against "now" at the end.
        var tailReadAt = DateTimeOffset.UtcNow;
        var tail = (await fixture.RunAsync("logs", pod, "-n", "mlops", "--tail=3")).Succeeded().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var all = (await fixture.RunAsync("logs", pod, "-n", "mlops", "--timestamps")).Succeeded().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var sinceReadAt = DateTimeOffset.UtcNow;
        var since = (await fixture.RunAsync("logs", pod, "-n", "mlops", "--since=1m", "--timestamps")).Succeeded().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var cutoff = Stamp(all[^10]);
        var sinceTime = (await fixture.RunAsync("logs", pod, "-n", "mlops", "--timestamps",
            "--since-time=" + cutoff.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture))).Succeeded().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.True(all.Length > 20, $"{all.Length} lines");
        Assert.All(all, l => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z \d{4}-\d\d-\d\d \d\d:\d\d:\d\d (INFO|WARN|ERROR) ", l));
        // --tail=3 is the three newest lines when it was read: in the later full read, only lines written after it follow them.
        Assert.Equal(3, tail.Length);
        var bodies = all.Select(l => l[(l.IndexOf(' ', StringComparison.Ordinal) + 1)..]).ToList();
        var at = Enumerable.Range(0, bodies.Count - 2).LastOrDefault(i => bodies.Skip(i).Take(3).SequenceEqual(tail), -1);
        Assert.True(at >= 0, "the --tail=3 lines are consecutive lines of the full log");
        Assert.All(all[(at + 3)..], l => Assert.True(Stamp(l) >= tailReadAt.AddSeconds(-1), $"{l} was written before --tail=3 was read"));
        // Probes every 10 s: a minute holds six lines, all of them no older than the minute before the read.
        Assert.InRange(since.Length, 5, 7);
        Assert.All(since, l => Assert.True(Stamp(l) >= sinceReadAt.AddMinutes(-1).AddSeconds(-1), l));
        // --since-time holds the lines the full read had from the cutoff on, then only lines newer than that read's last.
        var expected = all.Where(l => Stamp(l) >= cutoff).ToList();
        Assert.Equal(10, expected.Count);
        Assert.Equal(expected, sinceTime.Take(expected.Count));
        Assert.All(sinceTime.Skip(expected.Count), l => Assert.True(Stamp(l) > Stamp(all[^1]), l));
    }

    [Fact]
    public async Task Previous_reads_the_crashed_instance_and_is_an_error_for_a_container_that_never_restarted()
    {
        var crashing = await PodOfAsync("internal-tools", "report-worker");
        var healthy = await PodOfAsync("mlops", "retail-forecast-api");

        var previous = (await fixture.RunAsync("logs", crashing, "-n", "internal-tools", "--previous", "--timestamps")).Succeeded();
        var none = (await fixture.RunAsync("logs", healthy, "-n", "mlops", "--previous")).Failed();

        var terminated = fixture.Store.Get(ResourceTypes.Pods, "internal-tools", crashing)!["status"]!["containerStatuses"]![0]!["lastState"]!["terminated"]!;
        var started = DateTimeOffset.Parse(terminated["startedAt"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        var finished = DateTimeOffset.Parse(terminated["finishedAt"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        var lines = previous.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.EndsWith("exiting with status 1", StringComparison.Ordinal));
        // The lines fall within the previous instance's run.
        Assert.All(lines, l => Assert.InRange(Stamp(l), started, finished.AddSeconds(3)));
        Assert.Contains($"previous terminated container \"retail-forecast-api\" in pod \"{healthy}\" not found", none.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reading_logs_needs_get_on_pods_log()
    {
        var pod = await PodOfAsync("mlops", "retail-forecast-api");

        // kubectl reads the pod first, then its log: a user who may get pods but not pods/log fails on the second.
        (await fixture.RunAsync("create", "role", "pod-getter", "-n", "mlops", "--verb=get", "--resource=pods")).Succeeded();
        (await fixture.RunAsync("create", "rolebinding", "log-less", "-n", "mlops", "--role=pod-getter", "--user=log-less")).Succeeded();

        var viewer = (await fixture.RunAsync("--context", "sandbox-viewer", "logs", pod, "-n", "mlops", "--tail=1")).Succeeded();
        var logLess = (await fixture.RunAsync("--as", "log-less", "logs", pod, "-n", "mlops", "--tail=1")).Failed();

        Assert.Single(viewer.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"pods \"{pod}\" is forbidden: User \"log-less\" cannot get resource \"pods/log\" in API group \"\" in the namespace \"mlops\"",
            logLess.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Follow_streams_new_lines_until_the_pod_is_gone()
    {
        var pod = await PodOfAsync("payments", "payments-api");
        using var follow = fixture.Start("logs", "-f", pod, "-n", "payments", "--tail=1");
        using var timeout = new CancellationTokenSource(Patience.Eventually);

        var first = await follow.StandardOutput.ReadLineAsync(timeout.Token);
        // The next probe line comes within the probe period (10 s), written as it happens.
        var next = await follow.StandardOutput.ReadLineAsync(timeout.Token);
        (await fixture.RunAsync("delete", "pod", pod, "-n", "payments", "--grace-period=0", "--force")).Succeeded();
        var rest = await follow.StandardOutput.ReadToEndAsync(timeout.Token);
        await follow.WaitForExitAsync(timeout.Token);

        Assert.NotNull(first);
        Assert.NotNull(next);
        Assert.NotEqual(first, next);
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d INFO  GET \S+ 200 OK", next);
        Assert.Equal(0, follow.ExitCode);
        Assert.DoesNotContain(first!, rest, StringComparison.Ordinal);
    }
}
