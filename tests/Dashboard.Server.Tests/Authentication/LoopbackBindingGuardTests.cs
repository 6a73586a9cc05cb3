using Dashboard.Server.Authentication;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dashboard.Server.Tests.Authentication;

/// <summary>The bound-address check catches listeners that configuration did not name (UseUrls in code, container defaults).</summary>
public sealed class LoopbackBindingGuardTests
{
    [Fact]
    public async Task Loopback_bindings_pass()
    {
        var guard = new LoopbackBindingGuard(new BoundServer("http://127.0.0.1:5000", "http://[::1]:5000", "http://localhost:5002"), NullLogger<LoopbackBindingGuard>.Instance);
        await guard.StartedAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_wildcard_binding_stops_start_up_naming_the_address()
    {
        var guard = new LoopbackBindingGuard(new BoundServer("http://127.0.0.1:5000", "http://[::]:8080"), NullLogger<LoopbackBindingGuard>.Instance);
        var error = await Assert.ThrowsAsync<DashboardConfigurationException>(() => guard.StartedAsync(CancellationToken.None));
        Assert.Contains("listens on http://[::]:8080 (bound address)", error.Message, StringComparison.Ordinal);
    }

    private sealed class BoundServer : IServer
    {
        public BoundServer(params string[] addresses)
        {
            var feature = new ServerAddressesFeature();
            foreach (var address in addresses)
            {
                feature.Addresses.Add(address);
            }
            Features.Set<IServerAddressesFeature>(feature);
        }

        public IFeatureCollection Features { get; } = new FeatureCollection();

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
            where TContext : notnull => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose()
        {
        }
    }
}
