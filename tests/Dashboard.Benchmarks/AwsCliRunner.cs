using System.Diagnostics;
using System.Text.Json;

namespace Dashboard.Benchmarks;

/// <summary>
/// The machine's AWS CLI (v1) and its engine botocore, pointed at the sandbox with its dummy credentials, empty config
/// and credentials files, one attempt and no instance metadata: as processes (what an operator runs) and as calls inside
/// one warm Python process (the CLI's own cost without interpreter start).
/// </summary>
internal sealed partial class AwsCliRunner : IDisposable
{
    // Times each call with botocore's client in this process, after warm-up; prints {name: [ms, ...]} as JSON.
    private const string BotocoreScript = """
        import json, sys, time
        import botocore, botocore.config, botocore.session

        endpoint, samples, target_group, metric_input = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
        session = botocore.session.get_session()
        session.set_credentials("sandbox", "sandbox")
        config = botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"})
        elbv2 = session.create_client("elbv2", region_name="us-east-1", endpoint_url=endpoint, config=config)
        cloudwatch = session.create_client("cloudwatch", region_name="us-east-1", endpoint_url=endpoint, config=config)
        with open(metric_input) as f:
            metric_request = json.load(f)
        calls = {
            "DescribeLoadBalancers": lambda: elbv2.describe_load_balancers(),
            "DescribeTargetHealth": lambda: elbv2.describe_target_health(TargetGroupArn=target_group),
            "GetMetricData": lambda: cloudwatch.get_metric_data(**metric_request),
        }
        answer = cloudwatch.get_metric_data(**metric_request)
        times = {"version": botocore.__version__, "datapoints": sum(len(r["Values"]) for r in answer["MetricDataResults"])}
        for name, call in calls.items():
            for _ in range(3):
                call()
            measured = []
            for _ in range(samples):
                started = time.perf_counter()
                call()
                measured.append((time.perf_counter() - started) * 1000)
            times[name] = measured
        print(json.dumps(times))
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("bench-aws-cli-").FullName;
    private readonly Uri _endpoint;

    public AwsCliRunner(Uri endpoint)
    {
        _endpoint = endpoint;
        Write("config", "");
        Write("credentials", "");
    }

    public string BotocoreVersion { get; private set; } = "?";

    /// <summary>Datapoints botocore received for the GetMetricData call, to check both clients got the same answer.</summary>
    public int BotocoreDatapoints { get; private set; }

    public string Write(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Wall time of <paramref name="samples"/> sequential <c>aws</c> processes (after one uncounted run).</summary>
    public async Task<List<double>> TimeProcessesAsync(int samples, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        List<string> full = arguments is ["--version"]
            ? [.. arguments]
            : [.. arguments, "--endpoint-url", _endpoint.ToString().TrimEnd('/'), "--region", "us-east-1", "--output", "json"];
        await RunAsync("aws", full, cancellationToken);
        var times = new List<double>(samples);
        for (var i = 0; i < samples; i++)
        {
            var watch = Stopwatch.StartNew();
            await RunAsync("aws", full, cancellationToken);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        return times;
    }

    /// <summary>Per-call times of the three calls made by botocore in one Python process.</summary>
    public async Task<Dictionary<string, List<double>>> BotocoreAsync(int samples, string targetGroupArn, string metricInputPath, CancellationToken cancellationToken)
    {
        var script = Write("botocore_calls.py", BotocoreScript);
        var output = await RunAsync("python3", [script, _endpoint.ToString().TrimEnd('/'), samples.ToString(System.Globalization.CultureInfo.InvariantCulture), targetGroupArn, metricInputPath], cancellationToken);
        using var document = JsonDocument.Parse(output);
        BotocoreVersion = document.RootElement.GetProperty("version").GetString() ?? "?";
        BotocoreDatapoints = document.RootElement.GetProperty("datapoints").GetInt32();
        return document.RootElement.EnumerateObject()
            .Where(p => p.Value.ValueKind == JsonValueKind.Array)
            .ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(v => v.GetDouble()).ToList());
    }

    private async Task<string> RunAsync(string file, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }
        start.Environment["AWS_ACCESS_KEY_ID"] = "sandbox";
        start.Environment["AWS_SECRET_ACCESS_KEY"] = "sandbox";
        start.Environment["AWS_CONFIG_FILE"] = Path.Combine(_directory, "config");
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(_directory, "credentials");
        start.Environment["AWS_MAX_ATTEMPTS"] = "1";
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        start.Environment["AWS_PAGER"] = "";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} could not be started");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish in time");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await stderr}");
        }
        return await stdout;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
