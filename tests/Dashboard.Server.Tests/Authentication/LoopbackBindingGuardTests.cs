using Dashboard.Server.Authentication;
using Dashboard.Server.Configuration;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Dashboard.Server.Tests.Authentication;

/// <summary>The bound-address check catches listeners that configuration did not name (UseUrls in code, container defaults).</summary>
public sealed class LoopbackBindingGuardTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5000")]
    [InlineData("http://[::1]:5000")]
    [InlineData("http://localhost:5002")]
    [InlineData("https://LOCALHOST:5003")]
    public void A_loopback_binding_lets_start_up_go_on_without_a_refusal_in_the_log(string address)
    {
        var logger = new FakeLogger<LoopbackBindingGuard>();
        var guard = new LoopbackBindingGuard(new BoundServer(address), logger);

        var started = guard.StartedAsync(CancellationToken.None);

        Assert.True(started.IsCompletedSuccessfully);
        Assert.DoesNotContain(logger.Collector.GetSnapshot(), r => r.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task A_wildcard_binding_stops_start_up_naming_the_address()
    {
        var logger = new FakeLogger<LoopbackBindingGuard>();
        var guard = new LoopbackBindingGuard(new BoundServer("http://[::1]:5001", "http://[::]:8080"), logger);
        var error = await Assert.ThrowsAsync<DashboardConfigurationException>(() => guard.StartedAsync(CancellationToken.None));
        Assert.Contains("listens on http://[::]:8080 (bound address)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("[::1]:5001", error.Message, StringComparison.Ordinal);
        Assert.Equal(LogLevel.Critical, Assert.Single(logger.Collector.GetSnapshot()).Level);
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
