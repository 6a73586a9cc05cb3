using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Dashboard.Benchmarks;

/// <summary>
/// The sandbox run alone (<c>dotnet Dashboard.Sandbox.dll</c>) as its own process, on ephemeral ports, so that the
/// API server's work and memory are not counted as the dashboard's.
/// </summary>
internal sealed partial class SandboxProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _workingDirectory;

    private SandboxProcess(Process process, string workingDirectory, Uri kubernetesUri, Task<Uri> awsUri)
    {
        _process = process;
        _workingDirectory = workingDirectory;
        KubernetesUri = kubernetesUri;
        _awsUri = awsUri;
    }

    private readonly Task<Uri> _awsUri;

    public Uri KubernetesUri { get; }

    /// <summary>The sandbox's AWS endpoint (every service, dummy credentials sandbox/sandbox), once it has printed it.</summary>
    public Task<Uri> AwsUriAsync(TimeSpan timeout) => _awsUri.WaitAsync(timeout);

    /// <summary>The kubeconfig the sandbox wrote for kubectl (and for the dashboard's Kubeconfig source).</summary>
    public string KubeconfigPath => Path.Combine(_workingDirectory, ".sandbox", "kubeconfig");

    public int ProcessId => _process.Id;

    /// <summary>Starts the sandbox with <paramref name="settings"/> (configuration keys) and waits until it serves.</summary>
    public static async Task<SandboxProcess> StartAsync(IReadOnlyDictionary<string, string> settings, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var workingDirectory = Directory.CreateTempSubdirectory("dashboard-bench-sandbox-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(RepositoryPaths.SandboxDll);
        start.ArgumentList.Add("--Sandbox:KubernetesUrl=http://127.0.0.1:0");
        start.ArgumentList.Add("--Sandbox:AwsUrl=http://127.0.0.1:0");
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start) ?? throw new InvalidOperationException("The sandbox did not start.");
        var ready = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var aws = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new List<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                ready.TrySetException(new InvalidOperationException("The sandbox exited:\n" + string.Join('\n', output)));
                return;
            }
            lock (output)
            {
                output.Add(e.Data);
            }
            if (ApiLine().Match(e.Data) is { Success: true } match)
            {
                ready.TrySetResult(new Uri(match.Groups[1].Value));
            }
            if (AwsLine().Match(e.Data) is { Success: true } awsMatch)
            {
                aws.TrySetResult(new Uri(awsMatch.Groups[1].Value));
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (output)
                {
                    output.Add(e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var uri = await ready.Task.WaitAsync(timeout, cancellationToken);
            return new SandboxProcess(process, workingDirectory, uri, aws.Task);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    [GeneratedRegex(@"^Sandbox Kubernetes API: (\S+)")]
    private static partial Regex ApiLine();

    [GeneratedRegex(@"^Sandbox AWS endpoint:\s+(\S+)")]
    private static partial Regex AwsLine();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Directory.Delete(_workingDirectory, recursive: true);
    }
}
