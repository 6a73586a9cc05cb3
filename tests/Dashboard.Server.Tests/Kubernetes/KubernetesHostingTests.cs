using Dashboard.Client.Feed;
using Dashboard.Server.Feed;
using Dashboard.Server.Inventory;
using Dashboard.Server.Kubernetes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Dashboard.Server.Tests.Kubernetes;

/// <summary>AddDashboardKubernetes in a real host: validation on start and the in-process sandbox on port 0.</summary>
public sealed class KubernetesHostingTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sandbox-hosting").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddFakeLogging();
        builder.Services.AddDashboardKubernetes(builder.Configuration);
        builder.Services.AddDashboardInventory();
        builder.Services.AddDashboardFeed();
        return builder.Build();
    }

    [Fact]
    public async Task Start_up_stops_with_every_bad_key_named()
    {
        using var host = Build(new()
        {
            ["Dashboard:Source"] = "Minikube",
            ["Dashboard:Kubernetes:ListPageSize"] = "0",
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Dashboard:Source", error.Message);
        Assert.Contains("Dashboard:Kubernetes:ListPageSize", error.Message);
    }

    [Fact]
    public async Task Start_up_stops_on_an_unknown_kubeconfig_context_naming_file_and_context()
    {
        var kubeconfig = Path.Combine(_directory, "config");
        await File.WriteAllTextAsync(kubeconfig, """
            apiVersion: v1
            kind: Config
            clusters: [{name: c, cluster: {server: "https://127.0.0.1:6443"}}]
            users: [{name: u, user: {token: t}}]
            contexts: [{name: dev, context: {cluster: c, user: u}}]
            current-context: dev
            """);
        using var host = Build(new()
        {
            ["Dashboard:Source"] = "Kubeconfig",
            ["Dashboard:Kubeconfig:Path"] = kubeconfig,
            ["Dashboard:Kubeconfig:Context"] = "staging",
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(kubeconfig, error.Message);
        Assert.Contains("'staging'", error.Message);
    }

    [Fact]
    public async Task Sandbox_mode_hosts_the_sandbox_on_its_bound_port_writes_a_kubeconfig_and_says_how_to_use_it()
    {
        var kubeconfig = Path.Combine(_directory, ".sandbox", "kubeconfig");
        using var host = Build(new()
        {
            ["Dashboard:Source"] = "Sandbox",
            ["Dashboard:Kubernetes:SandboxKubeconfigPath"] = kubeconfig,
            ["Sandbox:KubernetesUrl"] = "http://127.0.0.1:0",
            ["Sandbox:AwsUrl"] = "http://127.0.0.1:0",
        });

        await host.StartAsync();
        try
        {
            var sandbox = host.Services.GetRequiredService<KubernetesSourceHostedService>().Sandbox;
            var connection = host.Services.GetRequiredService<KubernetesConnection>();

            Assert.NotNull(sandbox);
            Assert.NotEqual(0, sandbox.KubernetesUri.Port);
            Assert.Equal(sandbox.KubernetesUri.Port, connection.Server!.Port);
            Assert.Contains($"server: http://127.0.0.1:{sandbox.KubernetesUri.Port}", await File.ReadAllTextAsync(kubeconfig));
            var logs = host.Services.GetFakeLogCollector().GetSnapshot();
            Assert.Contains(logs, l => l.Message.Contains($"export KUBECONFIG={kubeconfig}", StringComparison.Ordinal));
            Assert.IsType<Dashboard.Server.Feed.DashboardFeed>(host.Services.GetRequiredService<IDashboardFeed>());
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
