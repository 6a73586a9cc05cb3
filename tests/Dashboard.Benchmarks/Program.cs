using System.Globalization;
using Dashboard.Benchmarks;

// Whole-system benchmarks: each command prints its figures and records them in docs/benchmarks.md.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

const string Run = "dotnet run -c Release --project tests/Dashboard.Benchmarks --";
var command = args.FirstOrDefault();
var options = args.Skip(1).ToList();
int Option(string name, int fallback)
{
    var index = options.IndexOf("--" + name);
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

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

try
{
    switch (command)
    {
        case "latency":
        {
            var changes = Option("changes", 200);
            var interval = Option("interval-ms", 150);
            var line = $"{Run} latency --changes {changes} --interval-ms {interval}";
            var settings = new FeedLatencySettings(changes, TimeSpan.FromMilliseconds(interval));
            if (options.Contains("--services"))
            {
                // Scaled mode: the sandbox's scale option, and other Services patched meanwhile (churn).
                settings = settings with
                {
                    Services = Option("services", 10_000),
                    Ingresses = Option("ingresses", 2_000),
                    ChurnPerSecond = Option("churn-per-second", 20),
                };
                line += $" --services {settings.Services} --ingresses {settings.Ingresses} --churn-per-second {settings.ChurnPerSecond}";
            }
            var report = await new FeedLatencyBenchmark(settings).RunAsync(line, cancellation.Token);
            report.Publish();
            return 0;
        }
        case "sync":
        {
            var services = Option("services", 10_000);
            var ingresses = Option("ingresses", 2_000);
            var report = await new InitialSyncBenchmark(services, ingresses)
                .RunAsync($"{Run} sync --services {services} --ingresses {ingresses}", cancellation.Token);
            report.Publish();
            return 0;
        }
        case "aws":
            return await AwsBenchmarks.RunAsync([.. options]);
        case "aws-polling":
            return await AwsPollingCommand.RunAsync(options, cancellation.Token);
        case "topology":
            return TopologyCommand.Run(options);
        case "changes":
            return await ChangePlanBenchmark.RunAsync(options, cancellation.Token);
        case "charts":
            return await ChartRenderBenchmark.RunAsync(options, cancellation.Token);
        case "change-progress":
            return await ChangeProgressBenchmark.RunAsync(options, cancellation.Token);
        case "screenshot":
        {
            var path = await ReadmeScreenshot.TakeAsync(cancellation.Token);
            Console.WriteLine($"Wrote {path}");
            return 0;
        }
        default:
            Console.WriteLine($"""
                usage: {Run} <benchmark> [options]

                  latency [--changes 200] [--interval-ms 150] [--services 10000 [--ingresses 2000] [--churn-per-second 20]]
                      change-to-feed latency p50/p99 beside `kubectl get -w` on the same changes; with --services, on the
                      scaled sandbox while other Services are patched churn-per-second times a second
                  sync [--services 10000] [--ingresses 2000]
                      initial sync time (cache start to every kind Live and the feed snapshot complete) and memory at scale
                  aws [--calls 20] [--queries 500] [--client-samples 50] [--cli-samples 10]
                      GetMetricData throughput of the sandbox; the clients' time per call beside the AWS CLI and botocore
                  {AwsPollingCommand.Usage}
                  {TopologyCommand.Usage}
                      one recompute of the topology join (endpoints, balancers, triage) at scale
                  {ChangePlanBenchmark.Usage}
                  {ChangeProgressBenchmark.Usage}
                      a guided change's plan (dry run + diff) beside kubectl diff --server-side of the same manifest
                  {ChartRenderBenchmark.Usage}
                      the Metrics charts in chromium at 1 d/60 s and a 1,500-point zoom (Performance API), and the server's
                      memory per cached page of charts
                  screenshot
                      docs/images/services.png and services.vi.png: the Services page of the sandbox, 1440x900, dark mode, en and vi

                Build first: dotnet build Dashboard.sln -c Release. Results are printed and recorded in docs/benchmarks.md.
                """);
            return command is null ? 0 : 2;
    }
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}
