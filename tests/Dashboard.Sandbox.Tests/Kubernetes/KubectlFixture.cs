using System.Diagnostics;
using System.Text.Json.Nodes;
using Dashboard.Sandbox.Kubernetes;
using Dashboard.Testing;

namespace Dashboard.Sandbox.Tests.Kubernetes;

/// <summary>
/// One sandbox per test class: the emulated API server on 127.0.0.1:0, a kubeconfig and a private kubectl discovery
/// cache in a temporary folder, and a bounded runner for the real <c>/usr/bin/kubectl</c>.
/// </summary>
public class KubectlFixture : IAsyncLifetime
{
    public const string Namespace = "kapi-test";
    private static readonly TimeSpan KubectlTimeout = Patience.Eventually;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "kapi-" + Guid.NewGuid().ToString("N"));
    private SandboxHost? _host;

    public SandboxHost Host => _host ?? throw new InvalidOperationException("The sandbox has not started.");
    public ResourceStore Store => Host.Store;
    public string Kubeconfig { get; private set; } = "";
    public string Directory => _directory;

    /// <summary>Whether the sandbox loads the seed scenario (off: tests build their own objects).</summary>
    protected virtual bool LoadScenario => false;

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(_directory);
        // No provisioning delay: the load balancer controller writes a Service's hostname in the same reconcile as its
        // creation, not seconds later in the middle of another test (the dry-run test compares store versions).
        var options = new SandboxOptions
        {
            KubernetesUrl = "http://127.0.0.1:0", AwsUrl = "http://127.0.0.1:0", LoadScenario = LoadScenario, ProvisioningDelay = TimeSpan.Zero,
        };
        _host = await SandboxHost.StartAsync(options, loggerFactory: null, CancellationToken.None);
        Kubeconfig = _host.WriteKubeconfig(Path.Combine(_directory, "kubeconfig"));
        EnsureNamespace(Namespace);
    }

    public void EnsureNamespace(string name)
    {
        if (Store.Get(ResourceTypes.Namespaces, null, name) is null)
        {
            Store.Create(ResourceTypes.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } });
        }
    }

    /// <summary>Writes a file in the fixture's folder and returns its path.</summary>
    public string WriteFile(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    public async Task<KubectlResult> RunAsync(params string[] args)
    {
        using var process = Start(args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(KubectlTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', args)} did not finish within {KubectlTimeout}: {await stderr}");
        }
        return new KubectlResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts kubectl without waiting (for <c>get -w</c>); the caller owns and ends the process.</summary>
    public Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("kubectl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("--kubeconfig");
        info.ArgumentList.Add(Kubeconfig);
        info.ArgumentList.Add("--cache-dir");
        info.ArgumentList.Add(Path.Combine(_directory, "cache"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["HOME"] = _directory;
        info.Environment.Remove("KUBECONFIG");
        return Process.Start(info) ?? throw new InvalidOperationException("kubectl could not be started");
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
        try
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A kubectl child still holding a cache file; the temp folder is cleaned by the OS later.
        }
    }
}

/// <summary>A <see cref="KubectlFixture"/> whose sandbox runs the seed scenario (namespaces mlops, payments, internal-tools…).</summary>
public sealed class SeededKubectlFixture : KubectlFixture
{
    protected override bool LoadScenario => true;
}

public sealed record KubectlResult(int ExitCode, string Stdout, string Stderr)
{
    public KubectlResult Succeeded()
    {
        Assert.True(ExitCode == 0, $"kubectl failed ({ExitCode}): {Stderr}\n{Stdout}");
        return this;
    }

    public KubectlResult Failed()
    {
        Assert.True(ExitCode != 0, $"kubectl unexpectedly succeeded: {Stdout}");
        return this;
    }
}
