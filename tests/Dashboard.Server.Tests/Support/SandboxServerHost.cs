using Dashboard.Sandbox;
using Dashboard.Server.Feed;
using Dashboard.Server.Inventory;
using Dashboard.Server.Kubernetes;
using k8s;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dashboard.Server.Tests.Support;

/// <summary>
/// A generic host with the server's Kubernetes side in sandbox mode: the in-process sandbox's Kubernetes and AWS APIs on
/// 127.0.0.1 port 0, its kubeconfig in a temporary folder, short reconnect delays. Tests add their own settings and
/// registrations; the host is started on creation and stopped (its folder removed) on disposal.
/// </summary>
public sealed class SandboxServerHost : IAsyncDisposable
{
    private readonly string _directory;
    private readonly IHost _host;
    private readonly Lazy<k8s.Kubernetes> _client;

    private SandboxServerHost(string directory, IHost host)
    {
        _directory = directory;
        _host = host;
        Sandbox = host.Services.GetRequiredService<KubernetesSourceHostedService>().Sandbox!;
        _client = new(() => new k8s.Kubernetes(new KubernetesClientConfiguration { Host = Sandbox.KubernetesUri.ToString().TrimEnd('/') }));
    }

    public IServiceProvider Services => _host.Services;

    /// <summary>The sandbox the server started in process.</summary>
    public SandboxHost Sandbox { get; }

    /// <summary>A KubernetesClient talking to the sandbox API over HTTP, as any other client would.</summary>
    public k8s.Kubernetes Client => _client.Value;

    /// <param name="name">Prefix of the temporary folder.</param>
    /// <param name="settings">Settings added to (or overriding) the sandbox-mode defaults.</param>
    /// <param name="configure">Further registrations (after <c>AddDashboardKubernetes</c>).</param>
    public static async Task<SandboxServerHost> StartAsync(string name, IReadOnlyDictionary<string, string?> settings,
        Action<HostApplicationBuilder>? configure = null)
    {
        var directory = Directory.CreateTempSubdirectory(name).FullName;
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.Sources.Clear();
        var configuration = new Dictionary<string, string?>
        {
            ["Dashboard:Source"] = "Sandbox",
            ["Dashboard:Kubernetes:SandboxKubeconfigPath"] = Path.Combine(directory, "kubeconfig"),
            ["Dashboard:Kubernetes:RetryInitialDelay"] = "00:00:00.050",
            ["Dashboard:Kubernetes:RetryMaxDelay"] = "00:00:00.200",
            ["Sandbox:KubernetesUrl"] = "http://127.0.0.1:0",
            ["Sandbox:AwsUrl"] = "http://127.0.0.1:0",
        };
        foreach (var (key, value) in settings)
        {
            configuration[key] = value;
        }
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Services.AddDashboardKubernetes(builder.Configuration);
        builder.Services.AddDashboardInventory();
        builder.Services.AddDashboardFeed();
        configure?.Invoke(builder);
        var host = builder.Build();
        await host.StartAsync();
        return new SandboxServerHost(directory, host);
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsValueCreated)
        {
            _client.Value.Dispose();
        }
        await _host.StopAsync();
        _host.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
