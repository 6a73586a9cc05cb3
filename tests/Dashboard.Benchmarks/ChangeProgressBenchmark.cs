using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Amazon.Runtime;
using Dashboard.Client.Changes;
using Dashboard.Client.Feed;
using Dashboard.Client.Model;
using Dashboard.Server.Aws;
using Dashboard.Server.Changes;
using Dashboard.Server.Feed;
using Dashboard.Server.Inventory;
using Dashboard.Server.Kubernetes;
using Dashboard.Server.LoadBalancers;
using Dashboard.Server.Topology;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dashboard.Benchmarks;

/// <summary>
/// A guided change from apply to healthy: the moment each progress step is first shown by the dashboard (the change
/// service's progress, built from the feeds the change page subscribes to) beside the moment the CLIs first see the same
/// state, in the same run, against the same sandbox process — <c>kubectl get svc -w</c> (address) and
/// <c>kubectl get events -w</c> (the controller's SuccessfullyReconciled), and the AWS CLI polling
/// <c>aws elbv2 describe-load-balancers</c> / <c>describe-target-groups</c> / <c>describe-target-health</c> back to back
/// (a new process each call, as a person runs it). The dashboard is composed as the server composes it (Kubernetes
/// source over the sandbox's kubeconfig, inventory, AWS clients and pollers with their default intervals, topology, feed,
/// changes) in this process.
/// </summary>
internal static class ChangeProgressBenchmark
{
    public const string Usage = "change-progress [--runs 3]";

    // The steps in order, each with what the CLIs are checked for.
    private static readonly string[] Steps =
    [
        ChangeProgressBuilder.Accepted, ChangeProgressBuilder.Reconciled, ChangeProgressBuilder.Provisioned,
        ChangeProgressBuilder.Address, ChangeProgressBuilder.Registered, ChangeProgressBuilder.Healthy,
    ];

    private const string Provisioning = "Load balancer provisioning";

    public static async Task<int> RunAsync(IReadOnlyList<string> options, CancellationToken cancellationToken)
    {
        var index = options.ToList().IndexOf("--runs");
        var runs = index >= 0 && index + 1 < options.Count && int.TryParse(options[index + 1], CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : index >= 0 ? throw new ArgumentException("--runs needs a positive whole number, e.g. --runs 3.") : 3;
        await using var sandbox = await SandboxProcess.StartAsync(new Dictionary<string, string> { ["Sandbox:LoadScenario"] = "true" }, TimeSpan.FromMinutes(2), cancellationToken);
        var awsUri = await sandbox.AwsUriAsync(TimeSpan.FromSeconds(30));
        var state = Path.Combine(Path.GetTempPath(), $"dashboard-bench-progress-{Guid.NewGuid():N}.db");
        using var cli = new AwsCliRunner(awsUri);
        try
        {
            using var host = Compose(sandbox.KubeconfigPath, awsUri, state);
            await host.StartAsync(cancellationToken);
            var feed = host.Services.GetRequiredService<IDashboardFeed>();
            var changes = host.Services.GetRequiredService<IChangeService>();
            await WaitAsync(() => feed.Services.Snapshot.Any(s => s.Name == "retail-forecast-service") && !feed.LoadBalancers.Snapshot.IsEmpty,
                TimeSpan.FromMinutes(2), "the inventory and the first AWS snapshot", cancellationToken);

            var results = new List<Dictionary<string, (double? Dashboard, double? Kubectl, double? Aws)>>();
            var cliCalls = new List<double>();
            for (var run = 0; run < runs; run++)
            {
                results.Add(await OneRunAsync(sandbox.KubeconfigPath, cli, feed, changes, $"bench-progress-{run}", cliCalls, cancellationToken));
            }

            var report = new BenchmarkReport("changes-progress", "Guided change: progress steps beside kubectl and the AWS CLI",
                $"dotnet run -c Release --project tests/Dashboard.Benchmarks -- change-progress --runs {runs}");
            report.Line($"Expose of the seed's Deployment mlops/retail-forecast-api through a new NLB (internal, ip targets, port 80 → 8080, health check /healthz), "
                + $"{runs} runs on one sandbox process (provisioning delay {SandboxDelay}). Times are ms after the apply returned, medians over the runs. "
                + "Dashboard = the first time the change service's progress (what the change page and GET /api/v1/changes/{id} show) marks the step done, "
                + "sampled every 20 ms with the endpoint feed subscribed as the change page does, AWS pollers at their defaults "
                + "(configuration every 60 s, watched balancers and target groups every 10 s, a poll at once when Kubernetes reports a change). "
                + "kubectl = the line of `kubectl get svc -w` / `kubectl get events -w` that first shows it. "
                + $"AWS CLI = the end of the first `aws elbv2 describe-*` call whose answer shows it (calls back to back, median {Distribution.Ms(new Distribution(cliCalls).Percentile(50))} each, "
                + "so the CLI's own resolution is one call).");
            report.Line();
            var rows = new List<string[]>();
            foreach (var step in Steps.Take(2).Append(Provisioning).Concat(Steps.Skip(2)))
            {
                var d = Median(results.Select(r => r.GetValueOrDefault(step).Dashboard));
                var k = Median(results.Select(r => r.GetValueOrDefault(step).Kubectl));
                var a = Median(results.Select(r => r.GetValueOrDefault(step).Aws));
                var first = new[] { k, a }.Where(v => v is not null).Min();
                rows.Add([step, Show(d), Show(k), Show(a), d is { } dv && first is { } fv ? Signed(dv - fv) : "—"]);
            }
            report.Table(["step", "dashboard", "kubectl", "AWS CLI", "dashboard lag behind the first CLI"], rows);
            report.Line("A negative lag: the dashboard showed it first. — : that tool has no view of the step (kubectl sees no target; "
                + "the dashboard has no separate 'provisioning' step: its step is 'active').");
            report.Publish();
            return results.All(r => r.GetValueOrDefault(ChangeProgressBuilder.Healthy).Dashboard is not null) ? 0 : 1;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { state, state + "-wal", state + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    private const string SandboxDelay = "3 s, the sandbox default";

    private static async Task<Dictionary<string, (double? Dashboard, double? Kubectl, double? Aws)>> OneRunAsync(string kubeconfig, AwsCliRunner cli,
        IDashboardFeed feed, IChangeService changes, string name, List<double> cliCalls, CancellationToken cancellationToken)
    {
        var actor = new ChangeActor("benchmark", ["Viewer", "Operator"]);
        var plan = await changes.PlanAsync(new ChangeRequest
        {
            Action = ChangeActions.Expose,
            Namespace = "mlops",
            Workload = new WorkloadRef("Deployment", "retail-forecast-api"),
            Via = "nlb",
            Name = name,
            Scheme = "internal",
            TargetType = "ip",
            Port = 80,
            TargetPort = 8080,
            HealthCheck = new HealthCheckRequest { Path = "/healthz" },
        }, actor, cancellationToken);
        var target = new ObjectRef(ObjectKind.Service, "mlops", name);
        var baseline = Arns(await cli.RunJsonAsync(["elbv2", "describe-load-balancers"], cancellationToken));
        var kubectlSeen = new ConcurrentDictionary<string, DateTimeOffset>();
        var awsSeen = new ConcurrentDictionary<string, DateTimeOffset>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(TimeSpan.FromMinutes(3));
        // The page's view: the endpoint subscribed while the change is followed (its target groups count as viewed).
        var subscription = feed.Endpoint(target).Subscribe(stop.Token);
        var drain = Task.Run(async () =>
        {
            try
            {
                await foreach (var _ in subscription.Changes.WithCancellation(stop.Token))
                {
                }
            }
            catch (OperationCanceledException)
            {
            }
        }, CancellationToken.None);
        var services = WatchAsync(kubeconfig, ["get", "svc", "-n", "mlops", "-w", "--no-headers", "-o", "custom-columns=N:.metadata.name,A:.status.loadBalancer.ingress[0].hostname"],
            line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var n, var a] && n == name && a != "<none>" ? ChangeProgressBuilder.Address : null,
            kubectlSeen, stop.Token);
        var events = WatchAsync(kubeconfig, ["get", "events", "-n", "mlops", "-w", "--no-headers", "-o", "custom-columns=O:.involvedObject.name,R:.reason"],
            line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var n, "SuccessfullyReconciled"] && n == name ? ChangeProgressBuilder.Reconciled : null,
            kubectlSeen, stop.Token);

        var applied = DateTimeOffset.UtcNow;
        var record = await changes.ApplyAsync(plan.PlanId, force: false, actor, cancellationToken);
        var returned = DateTimeOffset.UtcNow;
        kubectlSeen.TryAdd(ChangeProgressBuilder.Accepted, returned); // kubectl apply returns when the API server accepted it.
        var aws = PollAwsAsync(cli, baseline, awsSeen, cliCalls, stop.Token);
        var dashboard = new Dictionary<string, DateTimeOffset>();
        while (!stop.IsCancellationRequested && !(dashboard.ContainsKey(ChangeProgressBuilder.Healthy) && awsSeen.ContainsKey(ChangeProgressBuilder.Healthy)
            && kubectlSeen.ContainsKey(ChangeProgressBuilder.Address) && kubectlSeen.ContainsKey(ChangeProgressBuilder.Reconciled)))
        {
            var now = DateTimeOffset.UtcNow;
            foreach (var step in changes.Progress(record).Steps.Where(s => s.State == ProgressState.Done))
            {
                dashboard.TryAdd(step.Name, step.Name == ChangeProgressBuilder.Accepted ? returned : now);
            }
            await Task.Delay(TimeSpan.FromMilliseconds(20), CancellationToken.None); // the sampling period of the measurement, not a synchronisation
        }
        await stop.CancelAsync();
        await Task.WhenAll(drain, services, events, aws);
        double? Ms(IReadOnlyDictionary<string, DateTimeOffset> seen, string step) => seen.TryGetValue(step, out var at) ? (at - returned).TotalMilliseconds : null;
        var result = new Dictionary<string, (double? Dashboard, double? Kubectl, double? Aws)>();
        foreach (var step in Steps.Append(Provisioning))
        {
            result[step] = (Ms(dashboard, step), Ms(kubectlSeen, step), Ms(awsSeen, step));
        }
        Console.WriteLine($"{name}: apply took {(returned - applied).TotalMilliseconds:0} ms; " + string.Join("; ", result.Select(r => $"{r.Key} {Show(r.Value.Dashboard)}/{Show(r.Value.Kubectl)}/{Show(r.Value.Aws)}")));
        return result;
    }

    /// <summary>The AWS CLI back to back: new balancer (provisioning, active), its target group's targets (registered, healthy).</summary>
    private static async Task PollAwsAsync(AwsCliRunner cli, IReadOnlySet<string> baseline, ConcurrentDictionary<string, DateTimeOffset> seen, List<double> calls,
        CancellationToken cancellationToken)
    {
        string? balancer = null;
        string? group = null;
        try
        {
            while (!seen.ContainsKey(ChangeProgressBuilder.Healthy))
            {
                var started = Stopwatch.GetTimestamp();
                if (group is not null)
                {
                    var health = await cli.RunJsonAsync(["elbv2", "describe-target-health", "--target-group-arn", group], cancellationToken);
                    var states = health.GetProperty("TargetHealthDescriptions").EnumerateArray().Select(t => t.GetProperty("TargetHealth").GetProperty("State").GetString()).ToList();
                    var at = DateTimeOffset.UtcNow;
                    if (states.Count > 0)
                    {
                        seen.TryAdd(ChangeProgressBuilder.Registered, at);
                    }
                    if (states.Count > 0 && states.All(s => s == "healthy"))
                    {
                        seen.TryAdd(ChangeProgressBuilder.Healthy, at);
                    }
                }
                else if (balancer is not null && seen.ContainsKey(ChangeProgressBuilder.Provisioned))
                {
                    var groups = await cli.RunJsonAsync(["elbv2", "describe-target-groups", "--load-balancer-arn", balancer], cancellationToken);
                    group = groups.GetProperty("TargetGroups").EnumerateArray().Select(g => g.GetProperty("TargetGroupArn").GetString()).FirstOrDefault();
                }
                else
                {
                    var answer = await cli.RunJsonAsync(["elbv2", "describe-load-balancers"], cancellationToken);
                    var at = DateTimeOffset.UtcNow;
                    var created = answer.GetProperty("LoadBalancers").EnumerateArray().FirstOrDefault(b => !baseline.Contains(b.GetProperty("LoadBalancerArn").GetString()!));
                    if (created.ValueKind == JsonValueKind.Object)
                    {
                        balancer = created.GetProperty("LoadBalancerArn").GetString();
                        seen.TryAdd(Provisioning, at);
                        if (created.GetProperty("State").GetProperty("Code").GetString() == "active")
                        {
                            seen.TryAdd(ChangeProgressBuilder.Provisioned, at);
                        }
                    }
                }
                lock (calls)
                {
                    calls.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Runs a kubectl watch, noting the first time a line maps to a step.</summary>
    private static async Task WatchAsync(string kubeconfig, string[] arguments, Func<string, string?> step, ConcurrentDictionary<string, DateTimeOffset> seen,
        CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("/usr/bin/kubectl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("--kubeconfig");
        start.ArgumentList.Add(kubeconfig);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start");
        try
        {
            while (await process.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
            {
                if (step(line) is { } name)
                {
                    seen.TryAdd(name, DateTimeOffset.UtcNow);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    private static HashSet<string> Arns(JsonElement answer) =>
        [.. answer.GetProperty("LoadBalancers").EnumerateArray().Select(b => b.GetProperty("LoadBalancerArn").GetString()!)];

    private static async Task WaitAsync(Func<bool> condition, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (!condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds} s for {what}.");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    private static double? Median(IEnumerable<double?> values)
    {
        var known = values.Where(v => v is not null).Select(v => v!.Value).ToList();
        return known.Count == 0 ? null : new Distribution(known).Percentile(50);
    }

    private static string Show(double? ms) => ms is { } v ? Distribution.Ms(v) : "—";

    private static string Signed(double ms) => (ms >= 0 ? "+" : "−") + Distribution.Ms(Math.Abs(ms));

    private static IHost Compose(string kubeconfigPath, Uri awsUri, string statePath)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Dashboard:Source"] = "Kubeconfig",
            ["Dashboard:Kubeconfig:Path"] = kubeconfigPath,
            ["Dashboard:Aws:Region"] = "us-east-1",
            ["Dashboard:State:SqlitePath"] = statePath,
            ["Dashboard:Topology:DnsLookups"] = "false",
        });
        builder.Logging.ClearProviders().AddConsole().SetMinimumLevel(LogLevel.Warning);
        // The sandbox's AWS endpoint and dummy credentials, as sandbox mode registers them (the Kubernetes side is a kubeconfig).
        builder.Services.AddSingleton(new AwsSandboxEndpoint(awsUri, "us-east-1"));
        builder.Services.AddSingleton<IAwsEndpointResolver>(sp => sp.GetRequiredService<AwsSandboxEndpoint>());
        builder.Services.AddSingleton<AWSCredentials>(new BasicAWSCredentials(AwsSandboxEndpoint.AccessKey, AwsSandboxEndpoint.SecretKey));
        builder.Services.AddDashboardKubernetes(builder.Configuration);
        builder.Services.AddDashboardInventory();
        builder.Services.AddDashboardFeed();
        builder.Services.AddDashboardAws(builder.Configuration);
        builder.Services.AddDashboardLoadBalancers(builder.Configuration);
        builder.Services.AddDashboardTopology(builder.Configuration);
        builder.Services.AddDashboardChanges(builder.Configuration);
        return builder.Build();
    }
}
