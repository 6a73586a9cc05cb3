using System.Collections.Concurrent;
using System.Net;
using Dashboard.Server.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dashboard.EndToEnd.Tests.Authentication;

/// <summary>
/// The dashboard on Kestrel (127.0.0.1:0) in the Oidc mode, logging everything at Trace into the capture and recording
/// the codes and tokens the provider sent, so a log scan knows what to look for. Sessions go to a SQLite file of its own.
/// </summary>
internal sealed class OidcDashboardHost : WebApplicationFactory<DashboardAuthOptions>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly CapturingLoggerProvider _logs;
    private readonly ConcurrentBag<string> _secrets;
    private readonly string _statePath = Path.Combine(Path.GetTempPath(), "dashboard-e2e", $"state-{Guid.NewGuid():N}.db");

    public OidcDashboardHost(IReadOnlyDictionary<string, string?> settings, CapturingLoggerProvider logs, ConcurrentBag<string> secrets)
    {
        _settings = settings;
        _logs = logs;
        _secrets = secrets;
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
    }

    /// <summary>The settings of the Oidc mode against <paramref name="provider"/>, with groups ops/finance/platform mapped to the roles.</summary>
    public static Dictionary<string, string?> OidcSettings(TestIdentityProvider provider) => new()
    {
        ["Dashboard:Auth:Mode"] = "Oidc",
        ["Dashboard:Auth:Oidc:Authority"] = provider.Authority.ToString(),
        ["Dashboard:Auth:Oidc:RequireHttpsMetadata"] = "false",
        ["Dashboard:Auth:Oidc:ClientId"] = TestIdentityProvider.ClientId,
        ["Dashboard:Auth:Oidc:ClientSecret"] = TestIdentityProvider.ClientSecret,
        ["Dashboard:Auth:Oidc:GroupsClaim"] = "groups",
        ["Dashboard:Auth:Roles:Viewer:0"] = "ops",
        ["Dashboard:Auth:Roles:CostReader:0"] = "finance",
        ["Dashboard:Auth:Roles:Operator:0"] = "platform",
    };

    public Uri Address => new(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/') + "/");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // The embedded sandbox on ephemeral ports: other test hosts may run at the same time.
        builder.UseSetting("Sandbox:KubernetesUrl", "http://127.0.0.1:0");
        builder.UseSetting("Sandbox:AwsUrl", "http://127.0.0.1:0");
        builder.UseSetting("Dashboard:State:SqlitePath", _statePath);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(_logs));
        builder.ConfigureServices(services => services.PostConfigure<OpenIdConnectOptions>(AuthenticationExtensions.OpenIdConnectScheme, options =>
        {
            var codeReceived = options.Events.OnAuthorizationCodeReceived;
            options.Events.OnAuthorizationCodeReceived = async context =>
            {
                _secrets.Add(context.ProtocolMessage.Code);
                await codeReceived(context);
            };
            var tokensReceived = options.Events.OnTokenResponseReceived;
            options.Events.OnTokenResponseReceived = async context =>
            {
                _secrets.Add(context.TokenEndpointResponse.AccessToken);
                _secrets.Add(context.TokenEndpointResponse.IdToken);
                await tokensReceived(context);
            };
        }));
    }
}
