using System.Diagnostics;
using System.Globalization;
using Dashboard.Client.Changes;
using Dashboard.Server.Changes;
using Dashboard.Server.Feed;
using Dashboard.Server.Inventory;
using Dashboard.Server.Kubernetes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dashboard.Benchmarks;

/// <summary>
/// A guided change's plan (validate → server-side dry run with <c>dryRun=All</c> → diff against the live object → lints →
/// the plan stored in the state store) beside <c>kubectl diff --server-side -f</c> of the same manifest, against the same
/// sandbox process, alternating run by run. The dashboard's change service is composed as the server composes it
/// (Kubernetes source over the sandbox's kubeconfig, feed, changes on a SQLite state file) in this process; kubectl is a
/// new process each run, as a person runs it.
/// </summary>
internal static class ChangePlanBenchmark
{
    public const string Usage = "changes [--runs 30]";

    private const string ServiceName = "bench-plan";

    public static async Task<int> RunAsync(IReadOnlyList<string> options, CancellationToken cancellationToken)
    {
        var index = options.ToList().IndexOf("--runs");
        var runs = index >= 0 && index + 1 < options.Count && int.TryParse(options[index + 1], CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : index >= 0 ? throw new ArgumentException("--runs needs a positive whole number, e.g. --runs 30.") : 30;
        await using var sandbox = await SandboxProcess.StartAsync(new Dictionary<string, string> { ["Sandbox:LoadScenario"] = "true" }, TimeSpan.FromMinutes(2), cancellationToken);
        var state = Path.Combine(Path.GetTempPath(), $"dashboard-bench-changes-{Guid.NewGuid():N}.db");
        var manifest = Path.Combine(Path.GetTempPath(), $"dashboard-bench-changes-{Guid.NewGuid():N}.yaml");
        try
        {
            await KubectlAsync(sandbox.KubeconfigPath, ["create", "-f", "-"], cancellationToken, stdin: $"""
                apiVersion: v1
                kind: Service
                metadata:
                  name: {ServiceName}
                  namespace: mlops
                  annotations:
                    service.beta.kubernetes.io/aws-load-balancer-healthcheck-path: /healthz
                    service.beta.kubernetes.io/aws-load-balancer-nlb-target-type: ip
                spec:
                  type: LoadBalancer
                  loadBalancerClass: service.k8s.aws/nlb
                  selector:
                    app: retail-forecast-api
                  ports:
                  - port: 80
                    targetPort: 8080
                    protocol: TCP
                """);
            using var host = Compose(sandbox.KubeconfigPath, state);
            await host.StartAsync(cancellationToken);
            var changes = host.Services.GetRequiredService<IChangeService>();
            var actor = new ChangeActor("benchmark", ["Viewer", "Operator"]);
            var request = new ChangeRequest
            {
                Action = ChangeActions.Reconfigure,
                Target = new TargetRef("Service", "mlops", ServiceName),
                HealthCheck = new HealthCheckRequest { Path = "/ready" },
            };
            // Warm-up (JIT, connections, the state file's migrations) and the manifest kubectl will diff.
            var first = await changes.PlanAsync(request, actor, cancellationToken);
            await File.WriteAllTextAsync(manifest, first.Objects.Single().Manifest, cancellationToken);
            var kubectlDiff = await KubectlAsync(sandbox.KubeconfigPath, ["diff", "--server-side", $"--field-manager={ClusterWrites.FieldManager}", "-f", manifest], cancellationToken, expectDifferences: true);
            var agree = first.Objects.Single().Diff.Contains("+    service.beta.kubernetes.io/aws-load-balancer-healthcheck-path: /ready", StringComparison.Ordinal)
                && kubectlDiff.Contains("+    service.beta.kubernetes.io/aws-load-balancer-healthcheck-path: /ready", StringComparison.Ordinal);

            var plans = new List<double>();
            var diffs = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await changes.PlanAsync(request, actor, cancellationToken);
                plans.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                started = Stopwatch.GetTimestamp();
                await KubectlAsync(sandbox.KubeconfigPath, ["diff", "--server-side", $"--field-manager={ClusterWrites.FieldManager}", "-f", manifest], cancellationToken, expectDifferences: true);
                diffs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            var plan = new Distribution(plans);
            var diff = new Distribution(diffs);
            var report = new BenchmarkReport("changes-plan", "Guided change: plan beside kubectl diff --server-side",
                $"dotnet run -c Release --project tests/Dashboard.Benchmarks -- changes --runs {runs}");
            report.Line($"The same change (reconfigure: health-check path /healthz → /ready of an NLB Service in the seed sandbox), {runs} runs each, "
                + "alternating. Plan = validate, read the live object, server-side apply with dryRun=All, diff, lints, preflight reads, store the plan. "
                + "kubectl = `kubectl diff --server-side -f` of the plan's own manifest (a new process each run, as a person runs it).");
            report.Line();
            report.Table(["", "p50", "p90", "max", "mean"],
            [
                ["dashboard plan (in process)", Distribution.Ms(plan.Percentile(50)), Distribution.Ms(plan.Percentile(90)), Distribution.Ms(plan.Max), Distribution.Ms(plan.Mean)],
                ["kubectl diff --server-side", Distribution.Ms(diff.Percentile(50)), Distribution.Ms(diff.Percentile(90)), Distribution.Ms(diff.Max), Distribution.Ms(diff.Mean)],
            ]);
            report.Line($"Ratio of medians (plan / kubectl diff): {(plan.Percentile(50) / diff.Percentile(50)).ToString("0.00", CultureInfo.InvariantCulture)}. "
                + $"Both show the same changed line: {(agree ? "yes" : "NO")}.");
            report.Publish();
            return agree ? 0 : 1;
        }
        finally
        {
            File.Delete(manifest);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { state, state + "-wal", state + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    private static IHost Compose(string kubeconfigPath, string statePath)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Dashboard:Source"] = "Kubeconfig",
            ["Dashboard:Kubeconfig:Path"] = kubeconfigPath,
            ["Dashboard:State:SqlitePath"] = statePath,
        });
        builder.Logging.ClearProviders().AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddDashboardKubernetes(builder.Configuration);
        builder.Services.AddDashboardInventory();
        builder.Services.AddDashboardFeed();
        builder.Services.AddDashboardChanges(builder.Configuration);
        return builder.Build();
    }

    private static async Task<string> KubectlAsync(string kubeconfig, string[] arguments, CancellationToken cancellationToken, string? stdin = null, bool expectDifferences = false)
    {
        var start = new ProcessStartInfo("/usr/bin/kubectl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--kubeconfig");
        start.ArgumentList.Add(kubeconfig);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start");
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        // kubectl diff: 0 no difference, 1 differences, more is an error.
        var ok = process.ExitCode == 0 || (expectDifferences && process.ExitCode == 1);
        return ok ? await output : throw new InvalidOperationException($"kubectl {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}");
    }
}
