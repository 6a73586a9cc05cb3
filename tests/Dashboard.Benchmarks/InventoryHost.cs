using Dashboard.Client.Feed;
using Dashboard.Client.Model;
using Dashboard.Server.Feed;
using Dashboard.Server.Inventory;
using Dashboard.Server.Kubernetes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dashboard.Benchmarks;

/// <summary>
/// The dashboard's Kubernetes side, composed exactly as the server composes it (<c>AddDashboardKubernetes</c>: watch caches,
/// inventory, feed), reading the sandbox process through its kubeconfig (source Kubeconfig), in this process.
/// </summary>
internal sealed class InventoryHost : IAsyncDisposable
{
    private readonly IHost _host;

    private InventoryHost(IHost host) => _host = host;

    public IDashboardFeed Feed => _host.Services.GetRequiredService<IDashboardFeed>();

    public static InventoryHost Create(string kubeconfigPath)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Dashboard:Source"] = "Kubeconfig",
            ["Dashboard:Kubeconfig:Path"] = kubeconfigPath,
        });
        builder.Logging.ClearProviders().AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddDashboardKubernetes(builder.Configuration);
        builder.Services.AddDashboardInventory();
        builder.Services.AddDashboardFeed();
        return new InventoryHost(builder.Build());
    }

    /// <summary>Starts the source and the caches (they list and watch in the background).</summary>
    public Task StartAsync(CancellationToken cancellationToken) => _host.StartAsync(cancellationToken);

    /// <summary>Waits until the combined Kubernetes source is Live: every kind listed once and watching.</summary>
    public async Task WaitForLiveAsync(CancellationToken cancellationToken)
    {
        var subscription = Feed.Sources.Subscribe(cancellationToken);
        if (IsLive(subscription.Snapshot))
        {
            return;
        }
        await foreach (var batch in subscription.Changes.WithCancellation(cancellationToken))
        {
            if (batch.Any(c => c.Item is { Key: KubernetesCaches.SourceKey, State: SourceState.Live }))
            {
                return;
            }
        }
        throw new OperationCanceledException("The source feed ended before Kubernetes was Live.");
    }

    private static bool IsLive(IEnumerable<SourceStatus> statuses) =>
        statuses.Any(s => s is { Key: KubernetesCaches.SourceKey, State: SourceState.Live });

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
