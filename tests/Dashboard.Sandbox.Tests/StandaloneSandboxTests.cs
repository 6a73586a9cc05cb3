using System.Diagnostics;
using System.Text;
using Dashboard.Testing;

namespace Dashboard.Sandbox.Tests;

/// <summary>The standalone sandbox (<c>dotnet run --project src/Dashboard.Sandbox</c>) as a process.</summary>
public sealed class StandaloneSandboxTests
{
    private static readonly TimeSpan _startTimeout = Patience.Slowly;
    private static readonly TimeSpan _stopTimeout = Patience.Eventually;

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task Stops_cleanly_with_exit_code_0_on_a_signal(string signal)
    {
        var directory = Directory.CreateTempSubdirectory("sandbox-process-").FullName;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Dashboard.Sandbox.dll"));
        start.Environment["Sandbox__KubernetesUrl"] = "http://127.0.0.1:0";
        start.Environment["Sandbox__AwsUrl"] = "http://127.0.0.1:0";
        var output = new StringBuilder();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }
            if (e.Data?.StartsWith("Sandbox Kubernetes API:", StringComparison.Ordinal) == true)
            {
                started.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }
        };
        try
        {
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            await Task.WhenAny(started.Task, process.WaitForExitAsync()).WaitAsync(_startTimeout);
            Assert.True(started.Task.IsCompleted, "the sandbox did not start: " + Output(output));

            using (var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync().WaitAsync(_stopTimeout);
                Assert.Equal(0, kill.ExitCode);
            }
            using var stopped = new CancellationTokenSource(_stopTimeout);
            await process.WaitForExitAsync(stopped.Token);

            Assert.Equal(0, process.ExitCode);
            Assert.Contains("Sandbox stopping.", Output(output), StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string Output(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
