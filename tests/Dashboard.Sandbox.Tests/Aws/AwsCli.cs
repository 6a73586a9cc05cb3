using System.Diagnostics;
using System.Text.Json;
using Dashboard.Testing;

namespace Dashboard.Sandbox.Tests.Aws;

/// <summary>The result of one AWS CLI run.</summary>
public sealed record AwsCliResult(int ExitCode, string Stdout, string Stderr)
{
    public JsonElement Json => JsonDocument.Parse(Stdout).RootElement;
}

/// <summary>
/// Runs the machine's AWS CLI (v1) against the emulator with the sandbox's dummy credentials, empty config files,
/// one attempt and bounded timeouts: the CLI is the judge of wire fidelity.
/// </summary>
public sealed class AwsCli : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("aws-cli-").FullName;
    private readonly Uri _endpoint;

    public AwsCli(Uri endpoint)
    {
        _endpoint = endpoint;
        File.WriteAllText(Path.Combine(_directory, "config"), "");
        File.WriteAllText(Path.Combine(_directory, "credentials"), "");
    }

    public string SecretAccessKey { get; set; } = "sandbox";

    /// <summary>The region the CLI signs for (<c>--region</c>).</summary>
    public string Region { get; set; } = "us-east-1";

    public async Task<AwsCliResult> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("aws")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var argument in new[] { "--endpoint-url", _endpoint.ToString().TrimEnd('/'), "--region", Region, "--output", "json", "--cli-read-timeout", "20", "--cli-connect-timeout", "5" })
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }
        start.Environment["AWS_ACCESS_KEY_ID"] = "sandbox";
        start.Environment["AWS_SECRET_ACCESS_KEY"] = SecretAccessKey;
        start.Environment["AWS_CONFIG_FILE"] = Path.Combine(_directory, "config");
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(_directory, "credentials");
        start.Environment["AWS_MAX_ATTEMPTS"] = "1";
        start.Environment["AWS_RETRY_MODE"] = "standard";
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        start.Environment["AWS_PAGER"] = "";

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Patience.Slowly);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"aws {string.Join(' ', arguments)} did not finish within 90 s");
        }
        return new AwsCliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs and requires success, returning the parsed JSON output.</summary>
    public async Task<JsonElement> JsonAsync(params string[] arguments)
    {
        var result = await RunAsync(arguments);
        Assert.True(result.ExitCode == 0, $"aws {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.Stderr}");
        return result.Json;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
