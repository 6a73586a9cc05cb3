using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Dashboard.Testing;

namespace Dashboard.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The real dashboard server started as its own process on 127.0.0.1 port 0, in sandbox mode with the sandbox on
/// ephemeral ports, in a temporary working directory (where it writes .sandbox/kubeconfig). Output is captured so tests
/// can read it (and scan it for secrets).
/// </summary>
public sealed partial class DashboardProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly string _contentRoot;
    private Uri? _lastListening;

    private DashboardProcess(Process process, string workingDirectory, string contentRoot)
    {
        _process = process;
        WorkingDirectory = workingDirectory;
        _contentRoot = contentRoot;
    }

    public Uri BaseUri { get; private set; } = null!;
    public string WorkingDirectory { get; }
    public string KubeconfigPath => Path.Combine(WorkingDirectory, ".sandbox", "kubeconfig");
    public IReadOnlyCollection<string> Output => _output;

    public static async Task<DashboardProcess> StartAsync(IDictionary<string, string>? environment = null, string? executable = null, CancellationToken cancellationToken = default)
    {
        var workingDirectory = Directory.CreateTempSubdirectory("dashboard-e2e-").FullName;
        var dll = executable ?? RepositoryPaths.ServerDll;
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"Build the solution first (dotnet build -c {RepositoryPaths.Configuration}); server not found", dll);
        }
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Sandbox__KubernetesUrl"] = "http://127.0.0.1:0";
        start.Environment["Sandbox__AwsUrl"] = "http://127.0.0.1:0";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                start.Environment[key] = value;
            }
        }
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var server = new DashboardProcess(process, workingDirectory, Path.GetDirectoryName(Path.GetFullPath(dll))!);
        process.OutputDataReceived += (_, e) => server.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => server.OnLine(e.Data);
        process.Exited += (_, _) => server._listening.TrySetException(new InvalidOperationException(
            "The dashboard exited before listening:\n" + string.Join('\n', server._output)));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Patience.Slowly);
        try
        {
            server.BaseUri = await server._listening.Task.WaitAsync(timeout.Token);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        _output.Enqueue(line);
        // The embedded sandbox's own Kestrel servers log "Now listening on" too (before the dashboard's). Each host then
        // logs its content root: the dashboard's is the folder of its dll, the sandbox's the working directory.
        var listening = ListeningLine().Match(line);
        if (listening.Success)
        {
            _lastListening = new Uri(listening.Groups[1].Value);
            return;
        }
        var contentRoot = ContentRootLine().Match(line);
        if (contentRoot.Success && _lastListening is not null
            && string.Equals(Path.TrimEndingDirectorySeparator(contentRoot.Groups[1].Value.Trim()), _contentRoot, StringComparison.Ordinal))
        {
            _listening.TrySetResult(_lastListening);
        }
    }

    /// <summary>Waits, bounded, until a line matching <paramref name="pattern"/> appears in the output.</summary>
    public async Task<string> WaitForOutputAsync(string pattern, TimeSpan timeout)
    {
        var regex = new Regex(pattern);
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var hit = _output.FirstOrDefault(regex.IsMatch);
            if (hit is not null)
            {
                return hit;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"No output matching '{pattern}' within {timeout}:\n" + string.Join('\n', _output));
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();

    [GeneratedRegex(@"Content root path: (.+)$")]
    private static partial Regex ContentRootLine();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(WorkingDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the exiting process: the temp folder is cleaned by the OS later.
        }
    }
}
