using System.Net;
using System.Security.Claims;
using Dashboard.Client.Authorization;
using Dashboard.Server.Authentication.Sessions;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Dashboard.Server.Tests.Authentication.Sessions;

/// <summary>
/// The real session cookie of the Oidc mode (signed in by a test endpoint, the rest of the pipeline as in production):
/// a cookie captured before sign-out opens nothing afterwards, and a live circuit of that session loses its user.
/// </summary>
public sealed class SessionRevocationTests : IDisposable
{
    private const string SignInPath = "/test/sign-in-as-vera";

    private readonly DashboardFactory _factory = new(DashboardFactory.OidcSettings, services =>
    {
        SignInChallengeTests.UseStaticConfiguration(services, SignInChallengeTests.StaticProvider);
        services.AddTransient<IStartupFilter, TestSignIn>();
    });

    [Fact]
    public async Task A_session_cookie_captured_before_sign_out_opens_nothing_afterwards()
    {
        using var client = _factory.CreateNonRedirectingClient("https://dashboard.example.test", handleCookies: false);
        var cookie = await SignInAsync(client);
        using (var before = await GetWithCookieAsync(client, "/services", cookie))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using (var signOut = await SignOutAsync(client, cookie))
        {
            Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        }

        using var after = await GetWithCookieAsync(client, "/services", cookie);
        Assert.True(after.IsRedirectToSignIn(), $"the old cookie still opened /services: {(int)after.StatusCode}");
        using var api = await GetWithCookieAsync(client, "/api/cost/export.csv", cookie);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    [Fact]
    public async Task A_live_circuit_of_a_signed_out_session_loses_its_user()
    {
        using var client = _factory.CreateNonRedirectingClient("https://dashboard.example.test", handleCookies: false);
        var cookie = await SignInAsync(client);
        var key = (await _factory.Services.GetRequiredService<DashboardTicketStore>().RetrieveAsync(SessionKeyOf(cookie)))!
            .Principal.FindFirst(DashboardTicketStore.SessionClaim)!.Value;

        // A circuit's scope, as Blazor creates it, holding the signed-in user of that session.
        await using var circuit = _factory.Services.CreateAsyncScope();
        var provider = circuit.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        Assert.IsType<SessionAuthenticationStateProvider>(provider);
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "vera"), new Claim(DashboardTicketStore.SessionClaim, key)], "Cookies"));
        ((IHostEnvironmentAuthenticationStateProvider)provider).SetAuthenticationState(Task.FromResult(new AuthenticationState(user)));
        var changed = new TaskCompletionSource<AuthenticationState>(TaskCreationOptions.RunContinuationsAsynchronously);
        provider.AuthenticationStateChanged += async state => changed.TrySetResult(await state);

        using (var signOut = await SignOutAsync(client, cookie))
        {
            Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        }

        var after = await changed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(after.User.Identity?.IsAuthenticated);
        Assert.False((await provider.GetAuthenticationStateAsync()).User.Identity?.IsAuthenticated);
    }

    [Fact]
    public async Task A_live_circuit_notices_a_revocation_made_by_another_replica_at_revalidation()
    {
        using var factory = new DashboardFactory(
            DashboardFactory.Merge(DashboardFactory.OidcSettings, new Dictionary<string, string?> { ["Dashboard:Auth:SessionRevalidationInterval"] = "00:00:00.200" }),
            services =>
            {
                SignInChallengeTests.UseStaticConfiguration(services, SignInChallengeTests.StaticProvider);
                services.AddTransient<IStartupFilter, TestSignIn>();
            });
        using var client = factory.CreateNonRedirectingClient("https://dashboard.example.test", handleCookies: false);
        using (var response = await client.GetAsync(SignInPath))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        var store = factory.Services.GetRequiredService<ISessionStore>();
        // Another replica ends Vera's session in the shared store (this one hears nothing of it).
        var key = Assert.Single(await store.DeleteWithOtherRolesAsync("vera", "none-of-these", CancellationToken.None));
        await using var circuit = factory.Services.CreateAsyncScope();
        var provider = circuit.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        var changed = new TaskCompletionSource<AuthenticationState>(TaskCreationOptions.RunContinuationsAsynchronously);
        provider.AuthenticationStateChanged += async state =>
        {
            var next = await state;
            if (next.User.Identity?.IsAuthenticated != true)
            {
                changed.TrySetResult(next);
            }
        };

        // A circuit still holding that session's user: only revalidation against the store can end it.
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "vera"), new Claim(DashboardTicketStore.SessionClaim, key)], "Cookies"));
        ((IHostEnvironmentAuthenticationStateProvider)provider).SetAuthenticationState(Task.FromResult(new AuthenticationState(user)));

        var after = await changed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(after.User.Identity?.IsAuthenticated);
    }

    private static async Task<string> SignInAsync(HttpClient client)
    {
        using var response = await client.GetAsync(SignInPath);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), value => value.StartsWith("__Host-dashboard=", StringComparison.Ordinal));
        return setCookie[..setCookie.IndexOf(';', StringComparison.Ordinal)];
    }

    /// <summary>The session key inside the cookie, read the way the cookie handler reads it.</summary>
    private string SessionKeyOf(string cookie)
    {
        var options = _factory.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CookieAuthenticationDefaults.AuthenticationScheme);
        var ticket = options.TicketDataFormat.Unprotect(cookie[(cookie.IndexOf('=', StringComparison.Ordinal) + 1)..])!;
        return ticket.Principal.FindFirst("Microsoft.AspNetCore.Authentication.Cookies-SessionId")!.Value;
    }

    private static async Task<HttpResponseMessage> GetWithCookieAsync(HttpClient client, string path, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookie);
        return await client.SendAsync(request);
    }

    private async Task<HttpResponseMessage> SignOutAsync(HttpClient client, string cookie)
    {
        var antiforgery = _factory.Services.GetRequiredService<IAntiforgery>();
        var cookieName = _factory.Services.GetRequiredService<IOptions<AntiforgeryOptions>>().Value.Cookie.Name!;
        var tokens = antiforgery.GetTokens(new DefaultHttpContext { RequestServices = _factory.Services, User = Vera() });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/authentication/sign-out")
        {
            Content = new FormUrlEncodedContent([new(tokens.FormFieldName, tokens.RequestToken!)]),
        };
        request.Headers.Add("Cookie", $"{cookie}; {cookieName}={tokens.CookieToken}");
        return await client.SendAsync(request);
    }

    private static ClaimsPrincipal Vera()
    {
        var identity = new ClaimsIdentity("oidc", "name", DashboardRoles.ClaimType);
        identity.AddClaim(new Claim("sub", "vera"));
        identity.AddClaim(new Claim("name", "Vera Viewer"));
        identity.AddClaim(new Claim(DashboardRoles.ClaimType, DashboardRoles.Viewer));
        return new ClaimsPrincipal(identity);
    }

    public void Dispose() => _factory.Dispose();

    /// <summary>Signs Vera in with the cookie scheme, as the OpenID Connect callback does after the provider's answer.</summary>
    private sealed class TestSignIn : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                if (context.Request.Path == SignInPath)
                {
                    await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, Vera());
                    return;
                }
                await nextMiddleware(context);
            });
            next(app);
        };
    }
}
