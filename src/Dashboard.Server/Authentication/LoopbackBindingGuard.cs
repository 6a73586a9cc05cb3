using Dashboard.Server.Configuration;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Dashboard.Server.Authentication;

/// <summary>
/// In the Unsecured mode, checks the addresses the server actually bound once it has started (code such as
/// UseUrls or a container default can bypass the configured URLs), and refuses to go on when one is not loopback.
/// </summary>
internal sealed class LoopbackBindingGuard(IServer server, ILogger<LoopbackBindingGuard> logger) : IHostedLifecycleService
{
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var exposed = addresses.Where(address => !ListeningUrl.IsLoopbackAddress(address)).ToList();
        if (exposed.Count > 0)
        {
            var message = DashboardAuthOptionsValidator.NonLoopbackMessage(string.Join(", ", exposed), "bound address");
            logger.LogCritical("Refusing to serve the Unsecured mode on {Addresses}", string.Join(", ", exposed));
            throw new DashboardConfigurationException([message]);
        }
        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
