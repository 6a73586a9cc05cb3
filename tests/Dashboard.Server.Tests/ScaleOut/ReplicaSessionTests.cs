using System.Net;
using System.Security.Claims;
using System.Text.Json;
using Dashboard.Client.Authorization;
using Dashboard.Server.Tests.Authentication;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Dashboard.Server.Tests.ScaleOut;

/// <summary>
/// A signed-in browser whose requests move to another replica: two servers (each its own host, key ring cache and
/// session cache) on one state store, the Oidc mode's real session cookie made by one and sent to the other over HTTP.
/// A third server on another store is the control: the same cookie opens nothing there.
/// </summary>
public sealed class ReplicaSessionTests : IDisposable
{
    private const string SignInPath = "/test/sign-in-as-vera";

    private readonly string _sharedState = Path.Combine(Path.GetTempPath(), "dashboard-tests", $"replicas-{Guid.NewGuid():N}.db");
    private readonly List<DashboardFactory> _replicas = [];

    private DashboardFactory Replica(string identity, string? statePath = null)
    {
        var settings = DashboardFactory.Merge(DashboardFactory.OidcSettings, new Dictionary<string, string?>
        {
            ["Dashboard:State:SqlitePath"] = statePath ?? _sharedState,
            ["Dashboard:Leadership:Identity"] = identity,
        });
        var factory = new DashboardFactory(settings, services =>
        {
            SignInChallengeTests.UseStaticConfiguration(services, SignInChallengeTests.StaticProvider);
            services.AddTransient<IStartupFilter, TestSignIn>();
        });
        _replicas.Add(factory);
        return factory;
    }

    [Fact]
    public async Task A_session_made_on_one_replica_works_on_another_and_a_sign_out_there_ends_it_everywhere()
    {
        var a = Replica("replica-a");
        using var browserOnA = a.CreateNonRedirectingClient("https://dashboard.example.test", handleCookies: false);
        var cookie = await SignInAsync(browserOnA);
        var b = Replica("replica-b");
        using var browserOnB = b.CreateNonRedirectingClient("https://dashboard.example.test", handleCookies: false);

        // The load balancer sends the next requests to B: the API and a page answer Vera there.
        using (var status = await GetWithCookieAsync(browserOnB, "/api/v1/status", cookie))
        {
            Assert.Equal(HttpStatusCode.OK, status.StatusCode);
            using var body = JsonDocument.Parse(await status.Content.ReadAsStringAsync());
            Assert.Equal("replica-b", body.RootElement.GetProperty("replica").GetString());
        }
        using (var page = await GetWithCookieAsync(browserOnB, "/services", cookie))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        // Control: a replica with a key ring and sessions of its own does not know the cookie.
        using (var stranger = await GetWithCookieAsync(Replica("replica-c", _sharedState + ".other.db").CreateNonRedirectingClient("https://dashboard.example.test", handleCookies: false), "/api/v1/status", cookie))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, stranger.StatusCode);
        }

        // Sign-out on B with the antiforgery token A's page rendered: the session ends, also on A.
        using (var signOut = await SignOutAsync(browserOnB, a, cookie))
        {
            Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
            Assert.DoesNotContain("/authentication/sign-in", signOut.Headers.Location?.OriginalString ?? "", StringComparison.Ordinal);
        }
        using var afterOnA = await GetWithCookieAsync(browserOnA, "/api/v1/status", cookie);
        Assert.Equal(HttpStatusCode.Unauthorized, afterOnA.StatusCode);
    }

    private static async Task<string> SignInAsync(HttpClient client)
    {
        using var response = await client.GetAsync(SignInPath);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), value => value.StartsWith("__Host-dashboard=", StringComparison.Ordinal));
        return setCookie[..setCookie.IndexOf(';', StringComparison.Ordinal)];
    }

    private static async Task<HttpResponseMessage> GetWithCookieAsync(HttpClient client, string path, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookie);
        return await client.SendAsync(request);
    }

    /// <summary>POSTs the sign-out form to <paramref name="client"/>'s replica with tokens made by <paramref name="tokensBy"/>.</summary>
    private static async Task<HttpResponseMessage> SignOutAsync(HttpClient client, DashboardFactory tokensBy, string cookie)
    {
        var antiforgery = tokensBy.Services.GetRequiredService<IAntiforgery>();
        var cookieName = tokensBy.Services.GetRequiredService<IOptions<AntiforgeryOptions>>().Value.Cookie.Name!;
        var tokens = antiforgery.GetTokens(new DefaultHttpContext { RequestServices = tokensBy.Services, User = Vera() });
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

    public void Dispose()
    {
        foreach (var replica in _replicas)
        {
            replica.Dispose();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _sharedState, _sharedState + ".other.db" }.SelectMany(f => new[] { f, f + "-wal", f + "-shm" }))
        {
            File.Delete(file);
        }
    }

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
