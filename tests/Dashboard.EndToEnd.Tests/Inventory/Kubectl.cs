using System.Diagnostics;
using Dashboard.Testing;

namespace Dashboard.EndToEnd.Tests.Inventory;

/// <summary>The machine's real kubectl pointed at the sandbox through the kubeconfig the dashboard wrote.</summary>
public sealed class Kubectl(string kubeconfigPath)
{
    public const string Executable = "/usr/bin/kubectl";
    private static readonly TimeSpan Timeout = Patience.Eventually;

    /// <summary>Runs kubectl with <paramref name="arguments"/> and returns its standard output; fails the test on a non-zero exit.</summary>
    public async Task<string> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--kubeconfig");
        start.ArgumentList.Add(kubeconfigPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start");
        using var cancellation = new CancellationTokenSource(Timeout);
        var output = process.StandardOutput.ReadToEndAsync(cancellation.Token);
        var error = process.StandardError.ReadToEndAsync(cancellation.Token);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', arguments)} did not finish within {Timeout}");
        }
        var stdout = await output;
        var stderr = await error;
        Assert.True(process.ExitCode == 0, $"kubectl {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{stderr}{stdout}");
        return stdout;
    }

    /// <summary>Writes <paramref name="yaml"/> to a temporary file and runs <c>kubectl create -f</c> on it.</summary>
    public async Task<string> CreateAsync(string yaml)
    {
        var file = Path.Combine(Path.GetTempPath(), $"e2e-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, yaml);
        try
        {
            return await RunAsync("create", "-f", file);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
