using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Dashboard.Client.Feed;
using k8s;
using k8s.Models;

namespace Dashboard.Benchmarks;

/// <summary>
/// Change-to-feed latency, side by side with <c>kubectl get -w</c> on the same changes: the sandbox API server runs as its
/// own process; this process runs the dashboard's caches and feed (as the server composes them) with one feed subscriber,
/// and starts kubectl watching every Service. Each change is a merge patch of one annotation (<see cref="SequenceKey"/>)
/// sent through the API; for each, the time from sending it to the feed subscriber receiving it, and to kubectl printing it.
/// </summary>
internal sealed class FeedLatencyBenchmark(int changes, TimeSpan interval)
{
    private const string SequenceKey = "bench-seq";
    private const int WarmUpChanges = 5;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<int, long> _feedSeen = new();
    private readonly ConcurrentDictionary<int, long> _kubectlSeen = new();

    public async Task<BenchmarkReport> RunAsync(string commandLine, CancellationToken cancellationToken)
    {
        await using var sandbox = await SandboxProcess.StartAsync(new Dictionary<string, string>(), StartTimeout, cancellationToken);
        await using var inventory = InventoryHost.Create(sandbox.KubeconfigPath);
        using var startup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        startup.CancelAfter(StartTimeout);
        await inventory.StartAsync(startup.Token);
        await inventory.WaitForLiveAsync(startup.Token);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var subscription = inventory.Feed.Services.Subscribe(stop.Token);
        var feedTask = Task.Run(() => subscription.ConsumeAsync(batch =>
        {
            var now = Stopwatch.GetTimestamp();
            foreach (var change in batch)
            {
                if (change.Item?.Annotations.GetValueOrDefault(SequenceKey) is { } value && int.TryParse(value, CultureInfo.InvariantCulture, out var sequence))
                {
                    _feedSeen.TryAdd(sequence, now);
                }
            }
            return Task.CompletedTask;
        }, stop.Token), CancellationToken.None);

        using var kubectl = StartKubectl(sandbox.KubeconfigPath);
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(sandbox.KubeconfigPath));
        var targets = (await client.CoreV1.ListServiceForAllNamespacesAsync(cancellationToken: cancellationToken)).Items
            .Select(s => (s.Metadata.NamespaceProperty, s.Metadata.Name)).Order().ToList();

        // Warm-up (not counted): kubectl has listed and is watching, both paths are JIT-compiled.
        var sent = new ConcurrentDictionary<int, long>();
        for (var i = -WarmUpChanges; i < 0; i++)
        {
            await ChangeAsync(client, targets, i, sent, cancellationToken);
            await WaitForAsync(i, TimeSpan.FromSeconds(30), cancellationToken);
        }

        using var pace = new PeriodicTimer(interval);
        for (var i = 1; i <= changes; i++)
        {
            await ChangeAsync(client, targets, i, sent, cancellationToken);
            await pace.WaitForNextTickAsync(cancellationToken);
        }
        var missing = 0;
        for (var i = 1; i <= changes; i++)
        {
            try
            {
                await WaitForAsync(i, TimeSpan.FromSeconds(10), cancellationToken);
            }
            catch (TimeoutException)
            {
                missing++;
            }
        }
        await stop.CancelAsync();
        await feedTask;
        kubectl.Kill(entireProcessTree: true);
        await kubectl.WaitForExitAsync(CancellationToken.None);

        return Report(commandLine, sent, targets.Count, missing);
    }

    private static async Task ChangeAsync(Kubernetes client, List<(string Namespace, string Name)> targets, int sequence,
        ConcurrentDictionary<int, long> sent, CancellationToken cancellationToken)
    {
        var (ns, name) = targets[(sequence + targets.Count * WarmUpChanges) % targets.Count];
        var body = new JsonObject
        {
            ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [SequenceKey] = sequence.ToString(CultureInfo.InvariantCulture) } },
        };
        var patch = new V1Patch(body.ToJsonString(), V1Patch.PatchType.MergePatch);
        sent[sequence] = Stopwatch.GetTimestamp();
        await client.CoreV1.PatchNamespacedServiceAsync(patch, name, ns, cancellationToken: cancellationToken);
    }

    private async Task WaitForAsync(int sequence, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!(_feedSeen.ContainsKey(sequence) && _kubectlSeen.ContainsKey(sequence)))
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"Change {sequence} was not seen by both within {timeout}.");
            }
            await Task.Delay(5, cancellationToken);
        }
    }

    /// <summary>kubectl watching every Service, one line per watch event: EVENT NAMESPACE NAME SEQUENCE.</summary>
    private Process StartKubectl(string kubeconfig)
    {
        var start = new ProcessStartInfo("kubectl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in KubectlArguments(kubeconfig))
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start.");
        process.OutputDataReceived += (_, e) =>
        {
            var now = Stopwatch.GetTimestamp();
            var fields = e.Data?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields is ["MODIFIED", _, _, var value] && int.TryParse(value, CultureInfo.InvariantCulture, out var sequence))
            {
                _kubectlSeen.TryAdd(sequence, now);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (!string.IsNullOrWhiteSpace(e.Data))
            {
                Console.Error.WriteLine("kubectl: " + e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public static IReadOnlyList<string> KubectlArguments(string kubeconfig) =>
    [
        "--kubeconfig", kubeconfig, "get", "services", "--all-namespaces", "--watch", "--output-watch-events",
        $"--output=custom-columns=EVENT:.type,NAMESPACE:.object.metadata.namespace,NAME:.object.metadata.name,SEQ:.object.metadata.annotations.{SequenceKey}",
    ];

    private BenchmarkReport Report(string commandLine, ConcurrentDictionary<int, long> sent, int services, int missing)
    {
        var feed = new List<double>();
        var kubectl = new List<double>();
        var difference = new List<double>();
        for (var i = 1; i <= changes; i++)
        {
            var hasFeed = _feedSeen.TryGetValue(i, out var f);
            var hasKubectl = _kubectlSeen.TryGetValue(i, out var k);
            if (hasFeed)
            {
                feed.Add(Stopwatch.GetElapsedTime(sent[i], f).TotalMilliseconds);
            }
            if (hasKubectl)
            {
                kubectl.Add(Stopwatch.GetElapsedTime(sent[i], k).TotalMilliseconds);
            }
            if (hasFeed && hasKubectl)
            {
                difference.Add(Stopwatch.GetElapsedTime(k, f).TotalMilliseconds);
            }
        }
        var feedDistribution = new Distribution(feed);
        var kubectlDistribution = new Distribution(kubectl);
        var differenceDistribution = new Distribution(difference);
        var intervalMs = (int)interval.TotalMilliseconds;
        var report = new BenchmarkReport($"feed-latency-{intervalMs}ms", $"Change-to-feed latency beside kubectl get -w (a change every {intervalMs} ms)", commandLine);
        report.Line($"{changes} changes (after {WarmUpChanges} uncounted warm-up changes), one every {intervalMs} ms, each a merge patch of the annotation "
            + $"`{SequenceKey}` on one of the sandbox's {services} Services in turn, sent through the API by the benchmark. Measured from just before "
            + "the PATCH request is sent to: the dashboard's feed subscriber receiving the upsert (caches + inventory + feed in the benchmark "
            + "process, exactly as the server composes them, reading the sandbox process over HTTP), and kubectl printing the event line of "
            + $"`kubectl {string.Join(' ', KubectlArguments("<kubeconfig>").Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"'{a}'" : a))}`.");
        report.Line();
        report.Table(["path", "changes seen", "p50", "p90", "p99", "max"],
        [
            ["dashboard feed", $"{feedDistribution.Count}/{changes}", Distribution.Ms(feedDistribution.Percentile(50)), Distribution.Ms(feedDistribution.Percentile(90)),
                Distribution.Ms(feedDistribution.Percentile(99)), Distribution.Ms(feedDistribution.Max)],
            ["kubectl get -w", $"{kubectlDistribution.Count}/{changes}", Distribution.Ms(kubectlDistribution.Percentile(50)), Distribution.Ms(kubectlDistribution.Percentile(90)),
                Distribution.Ms(kubectlDistribution.Percentile(99)), Distribution.Ms(kubectlDistribution.Max)],
            ["feed − kubectl, per change", $"{differenceDistribution.Count}", Distribution.Ms(differenceDistribution.Percentile(50)), Distribution.Ms(differenceDistribution.Percentile(90)),
                Distribution.Ms(differenceDistribution.Percentile(99)), Distribution.Ms(differenceDistribution.Max)],
        ]);
        var gap = feedDistribution.Percentile(99) - kubectlDistribution.Percentile(99);
        report.Line($"Target: feed p99 within 50 ms of kubectl's p99. Measured: feed p99 − kubectl p99 = {Distribution.Ms(gap)} — "
            + (gap <= 50 ? "**met**." : "**not met**.")
            + (missing > 0 ? $" {missing} change(s) were not seen by both within 10 s." : ""));
        report.Line();
        report.Line("The feed sends each subscriber at most one batch per 100 ms (ARCHITECTURE.md: a flood of events never floods a browser). "
            + "A change arriving more than 100 ms after the previous batch goes out at once; changes closer together wait for the next batch "
            + "slot, so at intervals under 100 ms the feed's latency includes up to 100 ms of batching by design.");
        return report;
    }
}
