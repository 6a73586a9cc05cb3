using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Dashboard.Server.Tests.Authentication;

/// <summary>
/// X-Forwarded-* from a trusted proxy only, X-Forwarded-Host only for configured host names (observed through the
/// redirect URI the sign-in challenge builds), and one precise warning when an untrusted proxy sends X-Forwarded-Proto.
/// </summary>
public sealed class ForwardedHeadersTests
{
    private static readonly IPAddress Proxy = IPAddress.Parse("10.0.3.7");

    [Theory]
    [InlineData("dashboard.example.com", "dashboard.example.com")]
    [InlineData("evil.example", "localhost")]
    public async Task Forwarded_host_is_used_only_when_it_is_allowed(string forwardedHost, string expectedHost)
    {
        using var factory = Factory(new Dictionary<string, string?>
        {
            ["Dashboard:ForwardedHeaders:KnownNetworks:0"] = "10.0.0.0/16",
            ["Dashboard:ForwardedHeaders:AllowedHosts:0"] = "dashboard.example.com",
        });
        var redirectUri = await ChallengeRedirectUriAsync(factory, forwardedHost);

        Assert.Equal(expectedHost, redirectUri.Host);
        Assert.Equal("https", redirectUri.Scheme);
    }

    [Fact]
    public async Task Without_allowed_hosts_forwarded_host_is_ignored_even_from_a_trusted_proxy()
    {
        using var factory = Factory(new Dictionary<string, string?> { ["Dashboard:ForwardedHeaders:KnownNetworks:0"] = "10.0.0.0/16" });

        var redirectUri = await ChallengeRedirectUriAsync(factory, "evil.example");

        Assert.Equal("localhost", redirectUri.Host);
    }

    [Fact]
    public async Task An_untrusted_proxy_sending_forwarded_proto_is_reported_once_by_key()
    {
        var logs = new FakeLogCollector();
        using var factory = Factory(new Dictionary<string, string?>(), services => services.AddSingleton<ILoggerProvider>(new FakeLoggerProvider(logs)));

        await ChallengeRedirectUriAsync(factory, "localhost");
        await ChallengeRedirectUriAsync(factory, "localhost");

        var warning = Assert.Single(logs.GetSnapshot(), record => record.Category?.EndsWith("UntrustedProxyWarning", StringComparison.Ordinal) == true);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("10.0.3.7", warning.Message, StringComparison.Ordinal);
        Assert.Contains("Dashboard:ForwardedHeaders:KnownProxies", warning.Message, StringComparison.Ordinal);
    }

    private static async Task<Uri> ChallengeRedirectUriAsync(DashboardFactory factory, string forwardedHost)
    {
        using var client = factory.CreateNonRedirectingClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/authentication/sign-in");
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", forwardedHost);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return new Uri(QueryHelpers.ParseQuery(response.Headers.Location!.Query)["redirect_uri"].ToString());
    }

    /// <summary>The Oidc mode against the static provider; every request arrives from <see cref="Proxy"/>.</summary>
    private static DashboardFactory Factory(IReadOnlyDictionary<string, string?> extra, Action<IServiceCollection>? more = null) =>
        new(DashboardFactory.Merge(DashboardFactory.OidcSettings, extra), services =>
        {
            SignInChallengeTests.UseStaticConfiguration(services, SignInChallengeTests.StaticProvider);
            services.AddTransient<IStartupFilter, FromProxy>();
            more?.Invoke(services);
        });

    private sealed class FromProxy : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = Proxy;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
