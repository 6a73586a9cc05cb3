using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Dashboard.Sandbox;
using Dashboard.Server.Aws;
using Dashboard.Server.Aws.CloudWatch;
using Dashboard.Server.Aws.ElasticLoadBalancing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Sim = Dashboard.Sandbox.Aws;

namespace Dashboard.Benchmarks;

/// <summary>
/// <c>aws</c>: (a) GetMetricData throughput of the sandbox's CloudWatch through the project's client — 500 queries ×
/// 3 hours at period 60 per call; (b) the clients' cost per call beside the AWS CLI making the same calls, both as
/// processes (what an operator pays) and as botocore calls inside one warm Python process (the CLI's own work
/// without interpreter start), so the ratio compares like with like. The world is built by hand in an in-process
/// sandbox: load balancers with two days of traffic history, each with a target group of three healthy targets.
/// Records the "## AWS" section of docs/benchmarks.md.
/// </summary>
public static class AwsBenchmarks
{
    private const string Marker = "aws";
    private const string Command = "dotnet run -c Release --project tests/Dashboard.Benchmarks -- aws";
    private const int QueriesPerLoadBalancer = 20;
    private static readonly TimeSpan Window = TimeSpan.FromHours(3);

    public static async Task<int> RunAsync(string[] args)
    {
        var calls = Option(args, "calls", 20);
        var queries = Option(args, "queries", 500);
        var clientSamples = Option(args, "client-samples", 50);
        var cliSamples = Option(args, "cli-samples", 10);
        var arguments = $"--calls {calls} --queries {queries} --client-samples {clientSamples} --cli-samples {cliSamples}";
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMinutes(20));

        var loadBalancers = (queries + QueriesPerLoadBalancer - 1) / QueriesPerLoadBalancer;
        Console.WriteLine($"Starting the sandbox with {loadBalancers} load balancers…");
        await using var sandbox = await SandboxHost.StartAsync(new SandboxOptions
        {
            KubernetesUrl = "http://127.0.0.1:0",
            AwsUrl = "http://127.0.0.1:0",
            LoadScenario = false,
            SimulateTargetHealth = false,
        }, loggerFactory: null, cancellation.Token);
        var world = BuildWorld(sandbox, loadBalancers);
        var counter = new RequestCounter();
        await using var services = Clients(sandbox.AwsUri, counter);
        var cloudWatch = services.GetRequiredService<ICloudWatchClient>();
        var elb = services.GetRequiredService<IElasticLoadBalancingClient>();
        var end = Minute(DateTimeOffset.UtcNow);
        var start = end - Window;

        // (a) Throughput.
        var all = world.SelectMany(Queries).Take(queries).ToList();
        Console.WriteLine($"(a) GetMetricData: {calls} calls of {all.Count} queries × {Window.TotalHours} h at period 60…");
        for (var i = 0; i < 2; i++)
        {
            await cloudWatch.GetMetricDataAsync(all, start, end, cancellationToken: cancellation.Token);
        }
        counter.Reset();
        long datapoints = 0;
        var perCall = new List<double>();
        var total = Stopwatch.StartNew();
        for (var i = 0; i < calls; i++)
        {
            var call = Stopwatch.StartNew();
            var response = await cloudWatch.GetMetricDataAsync(all, start, end, cancellationToken: cancellation.Token);
            perCall.Add(call.Elapsed.TotalMilliseconds);
            datapoints += response.MetricDataResults.Sum(r => r.Values.Count);
        }
        var elapsed = total.Elapsed.TotalSeconds;
        var requests = counter.Count;

        // (b) Overhead per call: the same three calls through our client, botocore in one process, and `aws` processes.
        var target = world[0];
        var smallQueries = Queries(target).ToList();
        var smallDatapoints = (await cloudWatch.GetMetricDataAsync(smallQueries, start, end, cancellationToken: cancellation.Token)).MetricDataResults.Sum(r => r.Values.Count);
        var ours = new Dictionary<string, List<double>>
        {
            ["DescribeLoadBalancers"] = await TimeAsync(clientSamples, () => elb.DescribeLoadBalancersAsync(cancellationToken: cancellation.Token)),
            ["DescribeTargetHealth"] = await TimeAsync(clientSamples, () => elb.DescribeTargetHealthAsync(target.TargetGroup.Arn, cancellationToken: cancellation.Token)),
            ["GetMetricData"] = await TimeAsync(clientSamples, () => cloudWatch.GetMetricDataAsync(smallQueries, start, end, cancellationToken: cancellation.Token)),
        };
        using var cli = new AwsCliRunner(sandbox.AwsUri);
        var metricInput = cli.Write("get-metric-data.json", JsonSerializer.Serialize(new
        {
            MetricDataQueries = smallQueries.Select(ToCliQuery),
            StartTime = start.ToString("o", CultureInfo.InvariantCulture),
            EndTime = end.ToString("o", CultureInfo.InvariantCulture),
        }));
        Console.WriteLine($"(b) botocore in one Python process, {clientSamples} calls each…");
        var botocore = await cli.BotocoreAsync(clientSamples, target.TargetGroup.Arn, metricInput, cancellation.Token);
        Console.WriteLine($"(b) aws CLI processes, {cliSamples} each…");
        var processes = new Dictionary<string, List<double>>
        {
            ["DescribeLoadBalancers"] = await cli.TimeProcessesAsync(cliSamples, ["elbv2", "describe-load-balancers"], cancellation.Token),
            ["DescribeTargetHealth"] = await cli.TimeProcessesAsync(cliSamples, ["elbv2", "describe-target-health", "--target-group-arn", target.TargetGroup.Arn], cancellation.Token),
            ["GetMetricData"] = await cli.TimeProcessesAsync(cliSamples, ["cloudwatch", "get-metric-data", "--cli-input-json", "file://" + metricInput], cancellation.Token),
        };
        var version = await cli.TimeProcessesAsync(cliSamples, ["--version"], cancellation.Token);
        if (cli.BotocoreDatapoints != smallDatapoints)
        {
            throw new InvalidOperationException($"GetMetricData answers differ: our client got {smallDatapoints} datapoints, botocore {cli.BotocoreDatapoints}.");
        }

        var report = new StringBuilder();
        report.AppendLine($"### GetMetricData throughput of the sandbox ({all.Count} queries × {Window.TotalHours:0} h, period 60)").AppendLine();
        report.AppendLine($"{calls} sequential calls (after 2 warm-up calls) of `ICloudWatchClient.GetMetricDataAsync` against the in-process sandbox " +
            $"over loopback, each with {all.Count} MetricStat queries ({QueriesPerLoadBalancer} per load balancer: ALB and target-group metrics, Sum, " +
            "Average, SampleCount, Minimum, Maximum, p50/p90/p99) over the last 3 hours. Figures include SigV4 signing and verification, " +
            "the model computing every datapoint, JSON 1.0 both ways and the client's parsing; client and sandbox share the 2 CPUs.").AppendLine();
        Table(report, ["calls", "HTTP requests", "datapoints per call", "wall time", "calls/s", "requests/s", "datapoints/s", "per call p50", "per call max"],
        [[
            calls.ToString(CultureInfo.InvariantCulture),
            requests.ToString(CultureInfo.InvariantCulture),
            (datapoints / calls).ToString("N0", CultureInfo.InvariantCulture),
            $"{elapsed:0.00} s",
            $"{calls / elapsed:0.00}",
            $"{requests / elapsed:0.00}",
            (datapoints / elapsed).ToString("N0", CultureInfo.InvariantCulture),
            Ms(Median(perCall)),
            Ms(perCall.Max()),
        ]]);
        report.AppendLine("### The clients beside the AWS CLI, per call").AppendLine();
        report.AppendLine($"The same three calls against the same sandbox: `DescribeLoadBalancers` ({world.Count} load balancers), " +
            $"`DescribeTargetHealth` (3 targets), `GetMetricData` ({smallQueries.Count} queries × 3 h; {smallDatapoints:N0} datapoints, the same count through both clients). " +
            $"Our client: {clientSamples} sequential calls in this process after 3 warm-up calls. botocore: the CLI's engine " +
            $"(botocore {cli.BotocoreVersion}) in one warm Python process, {clientSamples} calls after 3 warm-up calls — the CLI's own cost " +
            $"without interpreter start. `aws`: {cliSamples} separate `aws … --output json` processes, as an operator runs them " +
            $"(`aws --version` alone takes {Ms(Median(version))}). Medians; p90 in brackets.").AppendLine();
        Table(report, ["call", "our client", "botocore, warm", "`aws` process", "botocore ÷ ours", "`aws` ÷ ours"],
            ours.Keys.Select(name => (IReadOnlyList<string>)
            [
                name,
                $"{Ms(Median(ours[name]))} ({Ms(P90(ours[name]))})",
                $"{Ms(Median(botocore[name]))} ({Ms(P90(botocore[name]))})",
                $"{Ms(Median(processes[name]))} ({Ms(P90(processes[name]))})",
                $"{Median(botocore[name]) / Median(ours[name]):0.0}×",
                $"{Median(processes[name]) / Median(ours[name]):0}×",
            ]));
        report.AppendLine("Both sides talk to the same emulator, so the server's share of each call is the same on every row; the " +
            "differences are the clients' own work (signing, serialisation, parsing) and, for `aws`, interpreter start and output formatting.");
        Publish($"{Command} {arguments}", report.ToString());
        return 0;
    }

    private sealed record SimulatedLoadBalancer(Sim.LoadBalancer LoadBalancer, Sim.TargetGroup TargetGroup);

    private static List<SimulatedLoadBalancer> BuildWorld(SandboxHost sandbox, int count)
    {
        var world = sandbox.AwsWorld;
        var created = new List<SimulatedLoadBalancer>();
        for (var i = 0; i < count; i++)
        {
            var suffix = i.ToString("D3", CultureInfo.InvariantCulture);
            var loadBalancer = world.CreateLoadBalancer(new Sim.LoadBalancerSpec
            {
                Name = $"k8s-bench-api{suffix}-0a1b2c3d4e",
                Type = Sim.LoadBalancerType.Application,
                CreatedTime = DateTimeOffset.UtcNow.AddDays(-2),
                Tags = ImmutableDictionary<string, string>.Empty.Add("elbv2.k8s.aws/cluster", "bench").Add("ingress.k8s.aws/stack", "bench/api" + suffix),
            });
            world.SetLoadBalancerState(loadBalancer.Arn, Sim.LoadBalancerStateCode.Active);
            var targetGroup = world.CreateTargetGroup(new Sim.TargetGroupSpec { Name = $"k8s-bench-api{suffix}-1a2b3c4d5e", Protocol = "HTTP", Port = 8080 });
            world.CreateListener(loadBalancer.Arn, new Sim.ListenerSpec { Port = 80, Protocol = "HTTP", DefaultActions = [Sim.RuleAction.Forward(targetGroup.Arn)] });
            var ips = Enumerable.Range(1, 3).Select(n => $"10.{i / 250}.{i % 250}.{n}").ToList();
            world.RegisterTargets(targetGroup.Arn, ips.Select(ip => new Sim.TargetDescription(ip, 8080)));
            foreach (var ip in ips)
            {
                world.SetTargetHealth(targetGroup.Arn, ip, 8080, Sim.TargetHealthState.Healthy);
            }
            sandbox.AwsTraffic.SetProfile(loadBalancer.Arn, new Sim.CloudWatch.TrafficProfile { PeakRequestsPerSecond = 150 + (i * 7) });
            created.Add(new SimulatedLoadBalancer(loadBalancer, targetGroup));
        }
        return created;
    }

    /// <summary>What a load balancer page asks for: 14 load-balancer and 6 target-group series.</summary>
    private static IEnumerable<MetricDataQuery> Queries(SimulatedLoadBalancer target)
    {
        var lb = new Dimension("LoadBalancer", target.LoadBalancer.MetricDimension);
        var tg = new Dimension("TargetGroup", target.TargetGroup.MetricDimension);
        (string Metric, string Stat, bool TargetGroup)[] series =
        [
            ("RequestCount", "Sum", false), ("RequestCount", "SampleCount", false), ("HTTPCode_ELB_5XX_Count", "Sum", false),
            ("HTTPCode_ELB_4XX_Count", "Sum", false), ("NewConnectionCount", "Sum", false), ("ActiveConnectionCount", "Sum", false),
            ("ProcessedBytes", "Sum", false), ("TargetResponseTime", "Average", false), ("TargetResponseTime", "p50", false),
            ("TargetResponseTime", "p90", false), ("TargetResponseTime", "p99", false), ("HTTPCode_Target_2XX_Count", "Sum", false),
            ("HTTPCode_Target_4XX_Count", "Sum", false), ("HTTPCode_Target_5XX_Count", "Sum", false),
            ("RequestCount", "Sum", true), ("RequestCountPerTarget", "Sum", true), ("TargetResponseTime", "p99", true),
            ("HTTPCode_Target_5XX_Count", "Sum", true), ("HealthyHostCount", "Minimum", true), ("UnHealthyHostCount", "Maximum", true),
        ];
        var id = target.LoadBalancer.Name.Replace("-", "_", StringComparison.Ordinal);
        return series.Select((s, i) => new MetricDataQuery
        {
            Id = $"q{id}_{i}",
            MetricStat = new MetricStat
            {
                Metric = new Metric { Namespace = "AWS/ApplicationELB", MetricName = s.Metric, Dimensions = s.TargetGroup ? [tg, lb] : [lb] },
                Period = 60,
                Stat = s.Stat,
            },
        });
    }

    private static object ToCliQuery(MetricDataQuery query) => new
    {
        query.Id,
        MetricStat = new
        {
            Metric = new
            {
                query.MetricStat!.Metric.Namespace,
                query.MetricStat.Metric.MetricName,
                Dimensions = query.MetricStat.Metric.Dimensions.Select(d => new { d.Name, d.Value }),
            },
            query.MetricStat.Period,
            query.MetricStat.Stat,
        },
    };

    private static ServiceProvider Clients(Uri awsUri, RequestCounter counter)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Dashboard:Source"] = "Sandbox" }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDashboardAws(configuration);
        // Outermost handler of every client: counts the HTTP requests the clients send (pages included).
        services.ConfigureHttpClientDefaults(builder => builder.AddHttpMessageHandler(() => new CountingHandler(counter)));
        var provider = services.BuildServiceProvider();
        provider.GetRequiredService<AwsSandboxEndpoint>().Use(awsUri);
        return provider;
    }

    private static async Task<List<double>> TimeAsync<T>(int samples, Func<Task<T>> call)
    {
        for (var i = 0; i < 3; i++)
        {
            await call();
        }
        var times = new List<double>(samples);
        for (var i = 0; i < samples; i++)
        {
            var watch = Stopwatch.StartNew();
            await call();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        return times;
    }

    private static DateTimeOffset Minute(DateTimeOffset time) => new(time.Year, time.Month, time.Day, time.Hour, time.Minute, 0, TimeSpan.Zero);

    private static double Median(List<double> values) => Percentile(values, 50);

    private static double P90(List<double> values) => Percentile(values, 90);

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    private static string Ms(double value) => value.ToString(value < 10 ? "0.00" : "0", CultureInfo.InvariantCulture) + " ms";

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, "--" + name);
        if (index < 0)
        {
            return fallback;
        }
        return index + 1 < args.Length && int.TryParse(args[index + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"--{name} needs a positive whole number, e.g. --{name} {fallback}.");
    }

    private static void Table(StringBuilder text, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        text.AppendLine("| " + string.Join(" | ", header) + " |");
        text.AppendLine("|" + string.Concat(header.Select(_ => " --- |")));
        foreach (var row in rows)
        {
            text.AppendLine("| " + string.Join(" | ", row) + " |");
        }
        text.AppendLine();
    }

    /// <summary>Prints the section and writes it between its markers in docs/benchmarks.md (appended when absent).</summary>
    private static void Publish(string commandLine, string body)
    {
        var section = new StringBuilder()
            .AppendLine($"<!-- benchmark:{Marker} -->")
            .AppendLine("## AWS").AppendLine()
            .AppendLine("Reproduce (after `dotnet build Dashboard.sln -c Release`):").AppendLine()
            .AppendLine("```sh").AppendLine(commandLine).AppendLine("```").AppendLine()
            .AppendLine($"Measured {DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)} on {Machine()}.").AppendLine()
            .Append(body)
            .AppendLine($"<!-- /benchmark:{Marker} -->")
            .ToString();
        Console.WriteLine();
        Console.WriteLine(section);
        var path = Path.Combine(RepositoryRoot(), "docs", "benchmarks.md");
        var document = File.Exists(path) ? File.ReadAllText(path) : DocumentHeader;
        var start = document.IndexOf($"<!-- benchmark:{Marker} -->", StringComparison.Ordinal);
        var endMarker = $"<!-- /benchmark:{Marker} -->";
        var end = document.IndexOf(endMarker, StringComparison.Ordinal);
        document = start >= 0 && end > start
            ? document[..start] + section.TrimEnd('\n') + document[(end + endMarker.Length)..]
            : document.TrimEnd('\n') + "\n\n" + section;
        File.WriteAllText(path, document.TrimEnd('\n') + "\n");
        Console.WriteLine($"Recorded in {path}");
    }

    private const string DocumentHeader = """
        # Benchmarks

        Whole-system figures measured by `tests/Dashboard.Benchmarks` (a console program, not a test: no timing is asserted
        anywhere). Each section below is written by the program itself, with the command that reproduces it and the machine it
        ran on. Figures from a shared, busy machine are noisy: compare runs on the same machine.
        """;

    private static string Machine()
    {
        var memory = File.Exists("/proc/meminfo")
            ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]
            : null;
        var gib = long.TryParse(memory, CultureInfo.InvariantCulture, out var kilobytes) ? $"{kilobytes / 1024.0 / 1024:0.0} GiB memory" : "unknown memory";
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return $"{Environment.ProcessorCount} CPUs (nproc){(cpu is null ? "" : ", " + cpu)}, {gib}, {RuntimeInformation.OSDescription.Trim()} " +
            $"{RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()}, {RuntimeInformation.FrameworkDescription}";
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Dashboard.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Dashboard.sln not found above " + AppContext.BaseDirectory);
    }

    private sealed class RequestCounter
    {
        private long _count;
        public long Count => Interlocked.Read(ref _count);
        public void Add() => Interlocked.Increment(ref _count);
        public void Reset() => Interlocked.Exchange(ref _count, 0);
    }

    private sealed class CountingHandler(RequestCounter counter) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            counter.Add();
            return base.SendAsync(request, cancellationToken);
        }
    }
}
