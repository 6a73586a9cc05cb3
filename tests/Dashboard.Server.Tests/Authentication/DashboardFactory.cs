using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Dashboard.Client.Authorization;
using Dashboard.Server.Authentication;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dashboard.Server.Tests.Authentication;

/// <summary>
/// The dashboard in-process (TestServer; the type argument names the server assembly, whose Program is ambiguous with the sandbox one) with settings layered over appsettings.json. The Oidc mode's provider is never
/// contacted: anonymous requests are challenged by the cookie scheme (a redirect to the sign-in endpoint).
/// </summary>
public sealed class DashboardFactory(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? configureServices = null)
    : WebApplicationFactory<DashboardAuthOptions>
{
    public static IReadOnlyDictionary<string, string?> OidcSettings { get; } = new Dictionary<string, string?>
    {
        ["Dashboard:Auth:Mode"] = "Oidc",
        ["Dashboard:Auth:Oidc:Authority"] = "https://idp.example.test",
        ["Dashboard:Auth:Oidc:ClientId"] = "endpoint-dashboard",
        ["Dashboard:Auth:Oidc:ClientSecret"] = "test-client-secret",
    };

    /// <summary>The Oidc mode plus a test scheme that signs in the roles named by the <see cref="TestAuthenticationHandler.RolesHeader"/> header.</summary>
    public static DashboardFactory WithTestUsers(IReadOnlyDictionary<string, string?>? extra = null) =>
        new(Merge(OidcSettings, extra), services =>
        {
            services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, TestAuthenticationHandler>(TestAuthenticationHandler.SchemeName, _ => { });
            services.PostConfigure<AuthenticationOptions>(options => options.DefaultAuthenticateScheme = TestAuthenticationHandler.SchemeName);
            SignInChallengeTests.UseStaticConfiguration(services, SignInChallengeTests.StaticProvider);
        });

    public static IReadOnlyDictionary<string, string?> Merge(IReadOnlyDictionary<string, string?> first, IReadOnlyDictionary<string, string?>? second)
    {
        var merged = new Dictionary<string, string?>(first);
        foreach (var (key, value) in second ?? new Dictionary<string, string?>())
        {
            merged[key] = value;
        }
        return merged;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // The embedded sandbox must not take the fixed default ports: test classes run in parallel.
        builder.UseSetting("Sandbox:KubernetesUrl", "http://127.0.0.1:0");
        builder.UseSetting("Sandbox:AwsUrl", "http://127.0.0.1:0");
        builder.UseSetting("Sandbox:LoadScenario", "false");
        // Sessions (Oidc, EntraId) in a database file of this host's own.
        builder.UseSetting("Dashboard:State:SqlitePath", StatePath);
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        if (configureServices is not null)
        {
            builder.ConfigureTestServices(configureServices);
        }
    }

    /// <summary>The SQLite file of this host's sessions.</summary>
    public string StatePath { get; } = Path.Combine(Path.GetTempPath(), "dashboard-tests", $"state-{Guid.NewGuid():N}.db");

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { StatePath, StatePath + "-wal", StatePath + "-shm" })
            {
                try
                {
                    File.Delete(file);
                }
                catch (IOException)
                {
                    // Another host of the same test run may still hold the pool's connection: the temp folder keeps it.
                }
            }
        }
    }

    /// <summary>A client that does not follow redirects, so tests see the 302 to sign-in.</summary>
    public HttpClient CreateNonRedirectingClient(string baseAddress = "http://localhost", bool handleCookies = true) =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri(baseAddress), HandleCookies = handleCookies });
}

/// <summary>
/// Signs in a test user when the request carries <see cref="RolesHeader"/> (comma-separated dashboard roles, possibly
/// <see cref="NoRoles"/> for a signed-in user without any); no header means anonymous.
/// </summary>
public sealed class TestAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Test";
    public const string RolesHeader = "X-Test-Roles";
    public const string NoRoles = "none";

    /// <summary>Optional: the signed-in user's name (and subject), <c>test-user</c> without it.</summary>
    public const string UserHeader = "X-Test-User";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(RolesHeader, out var header))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        var userName = Request.Headers.TryGetValue(UserHeader, out var user) ? user.ToString() : "test-user";
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(Principal(header.ToString(), userName), SchemeName)));
    }

    /// <summary>The user this handler signs in for a <see cref="RolesHeader"/> value (its name is the same for every role set).</summary>
    public static ClaimsPrincipal Principal(string roles, string userName = "test-user")
    {
        var identity = new ClaimsIdentity(SchemeName, ClaimTypes.Name, DashboardRoles.ClaimType);
        identity.AddClaim(new Claim(ClaimTypes.Name, userName));
        foreach (var role in roles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(role => role != NoRoles))
        {
            identity.AddClaim(new Claim(DashboardRoles.ClaimType, role));
        }
        return new ClaimsPrincipal(identity);
    }
}

internal static class HttpClientTestExtensions
{
    public static async Task<HttpResponseMessage> GetAsUserAsync(this HttpClient client, string path, string? roles)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (roles is not null)
        {
            request.Headers.Add(TestAuthenticationHandler.RolesHeader, roles);
        }
        return await client.SendAsync(request);
    }

    public static bool IsRedirectToSignIn(this HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.Redirect
        && response.Headers.Location?.OriginalString.Contains(DashboardAuthenticationUrls.SignIn, StringComparison.Ordinal) == true;
}
