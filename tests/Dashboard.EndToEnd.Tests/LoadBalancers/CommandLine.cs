using System.Diagnostics;
using System.Text.Json;
using Dashboard.Testing;

namespace Dashboard.EndToEnd.Tests.LoadBalancers;

/// <summary>The outcome of one kubectl or aws run.</summary>
public sealed record CommandResult(string Command, int ExitCode, string Stdout, string Stderr)
{
    public CommandResult Succeeded()
    {
        Assert.True(ExitCode == 0, $"{Command} failed ({ExitCode}):\n{Stderr}\n{Stdout}");
        return this;
    }

    public JsonElement Json => JsonDocument.Parse(Succeeded().Stdout).RootElement;
}

/// <summary>
/// kubectl and the AWS CLI as a user runs them against the dashboard's sandbox: kubectl with the sandbox's kubeconfig
/// and a private HOME (its discovery cache), the CLI with the sandbox's dummy credentials, empty config and
/// credentials files, one attempt and no instance metadata. Every run is bounded.
/// </summary>
public sealed class CommandLine : IDisposable
{
    private static readonly TimeSpan RunTimeout = Patience.Slowly;
    private readonly string _home = Directory.CreateTempSubdirectory("e2e-cli-").FullName;
    private readonly string _kubeconfig;
    private readonly Uri _awsEndpoint;

    public CommandLine(string kubeconfig, Uri awsEndpoint)
    {
        _kubeconfig = kubeconfig;
        _awsEndpoint = awsEndpoint;
        File.WriteAllText(Path.Combine(_home, "aws-config"), "");
        File.WriteAllText(Path.Combine(_home, "aws-credentials"), "");
    }

    /// <summary>A file in this runner's private folder, e.g. a manifest for <c>kubectl create -f</c>.</summary>
    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(_home, name);
        File.WriteAllText(path, content);
        return path;
    }

    public Task<CommandResult> KubectlAsync(params string[] arguments)
    {
        var start = Start("kubectl", ["--kubeconfig", _kubeconfig, .. arguments]);
        start.Environment.Remove("KUBECONFIG");
        return RunAsync(start);
    }

    public Task<CommandResult> AwsAsync(params string[] arguments)
    {
        var start = Start("aws", [.. arguments, "--endpoint-url", _awsEndpoint.ToString().TrimEnd('/'), "--region", "us-east-1",
            "--output", "json", "--cli-read-timeout", "20", "--cli-connect-timeout", "5"]);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }
        // The sandbox's documented dummy credentials (docs/sandbox.md): the secret of any key id is the key id.
        start.Environment["AWS_ACCESS_KEY_ID"] = "sandbox";
        start.Environment["AWS_SECRET_ACCESS_KEY"] = "sandbox";
        start.Environment["AWS_CONFIG_FILE"] = Path.Combine(_home, "aws-config");
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(_home, "aws-credentials");
        start.Environment["AWS_MAX_ATTEMPTS"] = "1";
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        start.Environment["AWS_PAGER"] = "";
        return RunAsync(start);
    }

    private ProcessStartInfo Start(string file, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["HOME"] = _home;
        return start;
    }

    private static async Task<CommandResult> RunAsync(ProcessStartInfo start)
    {
        var command = start.FileName + " " + string.Join(' ', start.ArgumentList);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} could not be started");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(RunTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} did not finish within {RunTimeout}");
        }
        return new CommandResult(command, process.ExitCode, await stdout, await stderr);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_home, recursive: true);
        }
        catch (IOException)
        {
            // kubectl's cache still being written by a killed process: the OS cleans temp later.
        }
    }
}
