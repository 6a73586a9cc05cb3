using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Server.Tests.Authentication;

/// <summary>Security headers, HSTS only over HTTPS, forwarded headers only from configured proxies.</summary>
public sealed class SecurityHeadersTests
{
    [Fact]
    public async Task Pages_carry_a_content_security_policy_without_inline_script_and_the_other_headers()
    {
        using var factory = DashboardFactory.WithTestUsers();
        using var client = factory.CreateNonRedirectingClient();
        using var response = await client.GetAsUserAsync("/services", "Viewer");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        var directives = csp.Split(';', StringSplitOptions.TrimEntries).ToDictionary(d => d.Split(' ')[0], d => d);
        Assert.Equal("script-src 'self'", directives["script-src"]);
        Assert.Equal("frame-ancestors 'none'", directives["frame-ancestors"]);
        Assert.Equal("object-src 'none'", directives["object-src"]);
        Assert.Contains("https://idp.example.test", directives["form-action"], StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("strict-origin-when-cross-origin", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.False(response.Headers.Contains("Strict-Transport-Security"), "HSTS over plain HTTP");
    }

    [Fact]
    public async Task Hsts_is_sent_over_https()
    {
        using var factory = DashboardFactory.WithTestUsers();
        using var client = factory.CreateNonRedirectingClient("https://dashboard.example.test");
        using var response = await client.GetAsync("/healthz/live");
        Assert.StartsWith("max-age=31536000", response.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.3.7", true)]
    [InlineData("10.9.9.9", false)]
    public async Task Forwarded_proto_is_honoured_only_from_a_configured_proxy(string peer, bool honoured)
    {
        using var factory = new DashboardFactory(
            DashboardFactory.Merge(DashboardFactory.OidcSettings, new Dictionary<string, string?>
            {
                ["Dashboard:ForwardedHeaders:KnownNetworks:0"] = "10.0.3.0/24",
            }),
            services => services.AddTransient<IStartupFilter>(_ => new PeerAddressStartupFilter(peer)));
        using var client = factory.CreateNonRedirectingClient("http://dashboard.example.test");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz/live");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");
        using var response = await client.SendAsync(request);

        // HSTS is only written when the request counts as HTTPS, which only the trusted proxy can make it.
        Assert.Equal(honoured, response.Headers.Contains("Strict-Transport-Security"));
    }

    /// <summary>Gives TestServer requests a peer address (TestServer has none), before any other middleware.</summary>
    private sealed class PeerAddressStartupFilter(string peer) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((HttpContext context, RequestDelegate nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = IPAddress.Parse(peer);
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
