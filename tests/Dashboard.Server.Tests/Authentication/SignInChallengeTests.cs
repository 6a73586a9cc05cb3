using System.Net;
using Dashboard.Server.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Dashboard.Server.Tests.Authentication;

/// <summary>
/// The challenge against a static OpenID configuration (no network): the browser is sent to the provider's authorize
/// endpoint with the right client, scopes, PKCE and callback, and the correlation cookies are protected.
/// </summary>
public sealed class SignInChallengeTests
{
    private const string TenantId = "7f3c2b9e-1d4a-4c8e-9a57-3e2f6d1b0c84";
    private const string EntraClientId = "0c1d2e3f-4a5b-6c7d-8e9f-a0b1c2d3e4f5";
    private static readonly string EntraAuthorize = $"https://login.microsoftonline.com/{TenantId}/oauth2/v2.0/authorize";

    [Fact]
    public async Task Entra_challenge_redirects_to_the_tenant_authorize_endpoint_with_the_client_and_scopes()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Dashboard:Auth:Mode"] = "EntraId",
            ["Dashboard:Auth:EntraId:TenantId"] = TenantId,
            ["Dashboard:Auth:EntraId:ClientId"] = EntraClientId,
            ["Dashboard:Auth:EntraId:ClientSecret"] = "entra-test-secret",
        };
        using var factory = new DashboardFactory(settings, services => UseStaticConfiguration(services, new OpenIdConnectConfiguration
        {
            Issuer = $"https://login.microsoftonline.com/{TenantId}/v2.0",
            AuthorizationEndpoint = EntraAuthorize,
            TokenEndpoint = $"https://login.microsoftonline.com/{TenantId}/oauth2/v2.0/token",
            EndSessionEndpoint = $"https://login.microsoftonline.com/{TenantId}/oauth2/v2.0/logout",
        }));
        using var client = factory.CreateNonRedirectingClient("https://dashboard.example.test");

        using var response = await client.GetAsync("/authentication/sign-in?returnUrl=%2Fcost");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.Equal(EntraAuthorize, location.GetLeftPart(UriPartial.Path));
        var query = QueryHelpers.ParseQuery(location.Query);
        Assert.Equal(EntraClientId, query["client_id"].ToString());
        Assert.Equal("code", query["response_type"].ToString());
        Assert.Equal("https://dashboard.example.test/signin-oidc", query["redirect_uri"].ToString());
        var scopes = query["scope"].ToString().Split(' ');
        Assert.Contains("openid", scopes);
        Assert.Contains("profile", scopes);
        Assert.Equal("S256", query["code_challenge_method"].ToString());
        Assert.False(string.IsNullOrEmpty(query["state"].ToString()));
    }

    [Fact]
    public async Task Anonymous_page_request_goes_to_sign_in_then_to_the_provider()
    {
        using var factory = OidcFactory(new Dictionary<string, string?>());
        using var client = factory.CreateNonRedirectingClient("https://dashboard.example.test");

        using var page = await client.GetAsync("/cost");
        Assert.True(page.IsRedirectToSignIn());

        using var challenge = await client.GetAsync(page.Headers.Location);
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        var query = QueryHelpers.ParseQuery(challenge.Headers.Location!.Query);
        Assert.Equal("https://idp.example.test/authorize", challenge.Headers.Location.GetLeftPart(UriPartial.Path));
        Assert.Equal("endpoint-dashboard", query["client_id"].ToString());
        Assert.Equal(["openid", "profile", "email"], query["scope"].ToString().Split(' '));

        // Correlation and nonce cookies: Secure, HttpOnly; the client secret never leaves the server.
        var cookies = challenge.Headers.GetValues("Set-Cookie").ToList();
        Assert.NotEmpty(cookies);
        Assert.All(cookies, cookie =>
        {
            Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        });
        Assert.DoesNotContain("test-client-secret", challenge.Headers.Location.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_in_attempts_are_rate_limited_per_client()
    {
        using var factory = OidcFactory(new Dictionary<string, string?> { ["Dashboard:RateLimiting:SignInPermitsPerMinute"] = "3" });
        using var client = factory.CreateNonRedirectingClient("https://dashboard.example.test");
        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            using var response = await client.GetAsync("/authentication/sign-in");
            statuses.Add(response.StatusCode);
        }
        Assert.Equal([HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);

        // The provider's callback has its own window: a forged callback ends on the signed-out page until the limit.
        var callbacks = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 4; attempt++)
        {
            using var callback = await client.GetAsync("/signin-oidc?code=forged&state=forged");
            callbacks.Add(callback.StatusCode);
            if (callback.StatusCode == HttpStatusCode.Redirect)
            {
                Assert.Equal("/authentication/signed-out?failed=true", callback.Headers.Location!.OriginalString);
            }
        }
        Assert.Equal([HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.TooManyRequests], callbacks);
        using var health = await client.GetAsync("/healthz/live");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    /// <summary>The provider of <see cref="DashboardFactory.OidcSettings"/>, known without a network.</summary>
    internal static OpenIdConnectConfiguration StaticProvider => new()
    {
        Issuer = "https://idp.example.test",
        AuthorizationEndpoint = "https://idp.example.test/authorize",
        TokenEndpoint = "https://idp.example.test/token",
        EndSessionEndpoint = "https://idp.example.test/logout",
    };

    internal static DashboardFactory OidcFactory(IReadOnlyDictionary<string, string?> extra) =>
        new(DashboardFactory.Merge(DashboardFactory.OidcSettings, extra), services => UseStaticConfiguration(services, StaticProvider));

    internal static void UseStaticConfiguration(IServiceCollection services, OpenIdConnectConfiguration configuration) =>
        services.PostConfigure<OpenIdConnectOptions>(AuthenticationExtensions.OpenIdConnectScheme, options =>
        {
            options.Configuration = configuration;
            options.ConfigurationManager = new Microsoft.IdentityModel.Protocols.StaticConfigurationManager<OpenIdConnectConfiguration>(configuration);
        });
}
