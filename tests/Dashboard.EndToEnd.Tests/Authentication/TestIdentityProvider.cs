using System.Net;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Dashboard.EndToEnd.Tests.Authentication;

/// <summary>
/// A real OpenID Connect provider (OpenIddict server, authorization code flow with PKCE, form_post, end session) on
/// 127.0.0.1:0. It runs without a database (OpenIddict's degraded mode), so the client id, secret and redirect URIs
/// are checked by the handlers below. Users sign in on a login form by user name; their groups come from
/// <see cref="Users"/>.
/// </summary>
public sealed class TestIdentityProvider : IAsyncDisposable
{
    public const string ClientId = "endpoint-dashboard";
    public const string ClientSecret = "e2e-client-secret-7d41f0c2b9";

    /// <summary>User name → (display name, groups).</summary>
    public static readonly IReadOnlyDictionary<string, (string Name, string[] Groups)> Users = new Dictionary<string, (string, string[])>
    {
        ["vera"] = ("Vera Viewer", ["ops"]),
        ["carl"] = ("Carl CostReader", ["finance"]),
    };

    private readonly WebApplication _app;

    private TestIdentityProvider(WebApplication app, Uri authority)
    {
        _app = app;
        Authority = authority;
    }

    public Uri Authority { get; }

    /// <summary>The dashboard's base address, for redirect URI checks; set before the first sign-in.</summary>
    public Uri? DashboardAddress { get; set; }

    public static async Task<TestIdentityProvider> StartAsync(CancellationToken cancellationToken)
    {
        TestIdentityProvider? provider = null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddOpenIddict().AddServer(server =>
        {
            server.SetAuthorizationEndpointUris("connect/authorize")
                .SetTokenEndpointUris("connect/token")
                .SetEndSessionEndpointUris("connect/logout");
            server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
            server.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Email);
            server.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
            server.DisableAccessTokenEncryption();
            server.EnableDegradedMode();
            server.UseAspNetCore()
                .EnableAuthorizationEndpointPassthrough()
                .EnableEndSessionEndpointPassthrough()
                .DisableTransportSecurityRequirement();

            server.AddEventHandler<ValidateAuthorizationRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (context.ClientId != ClientId)
                {
                    context.Reject(Errors.InvalidClient, "Unknown client.");
                }
                else if (context.RedirectUri != provider!.DashboardUri("/signin-oidc"))
                {
                    context.Reject(Errors.InvalidRequest, "Unregistered redirect_uri.");
                }
                return default;
            }));
            server.AddEventHandler<ValidateTokenRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (context.ClientId != ClientId || context.Request.ClientSecret != ClientSecret)
                {
                    context.Reject(Errors.InvalidClient, "Bad client credentials.");
                }
                return default;
            }));
            server.AddEventHandler<ValidateEndSessionRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (context.PostLogoutRedirectUri is { } uri && uri != provider!.DashboardUri("/signout-callback-oidc"))
                {
                    context.Reject(Errors.InvalidRequest, "Unregistered post_logout_redirect_uri.");
                }
                return default;
            }));
        });

        var app = builder.Build();
        app.MapMethods("/connect/authorize", [HttpMethods.Get, HttpMethods.Post], AuthorizeAsync);
        app.MapMethods("/connect/logout", [HttpMethods.Get, HttpMethods.Post], () =>
            Results.SignOut(new Microsoft.AspNetCore.Authentication.AuthenticationProperties { RedirectUri = "/" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]));
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        provider = new TestIdentityProvider(app, new Uri(address.TrimEnd('/') + "/"));
        return provider;
    }

    private string DashboardUri(string path) => new Uri(DashboardAddress!, path).ToString();

    /// <summary>The login form (GET), then sign-in of the chosen user (POST with user name).</summary>
    private static IResult AuthorizeAsync(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest()!;
        var userName = context.Request.HasFormContentType ? context.Request.Form["username"].ToString() : string.Empty;
        if (!Users.TryGetValue(userName, out var user))
        {
            var form = new StringBuilder("<!DOCTYPE html><html><head><title>Test provider sign-in</title></head><body><h1>Sign in</h1><form method=\"post\" action=\"/connect/authorize\">");
            foreach (var (name, value) in request.GetParameters().Select(parameter => (parameter.Key, parameter.Value)))
            {
                if (name != "username")
                {
                    form.Append(CultureInvariant($"<input type=\"hidden\" name=\"{HtmlEncoder.Default.Encode(name)}\" value=\"{HtmlEncoder.Default.Encode(value.ToString() ?? string.Empty)}\" />"));
                }
            }
            form.Append("<label>User name <input name=\"username\" id=\"username\" /></label><button type=\"submit\" id=\"sign-in\">Sign in</button></form></body></html>");
            return Results.Content(form.ToString(), "text/html");
        }

        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.AddClaim(new Claim(Claims.Subject, userName));
        identity.AddClaim(new Claim(Claims.Name, user.Name));
        identity.AddClaim(new Claim(Claims.Email, $"{userName}@example.test"));
        foreach (var group in user.Groups)
        {
            identity.AddClaim(new Claim("groups", group));
        }
        // A provider trying to grant a dashboard role directly must be ignored by the dashboard.
        identity.AddClaim(new Claim("dashboard_role", "Operator"));
        identity.SetDestinations(_ => [Destinations.AccessToken, Destinations.IdentityToken]);
        var principal = new ClaimsPrincipal(identity);
        principal.SetScopes(request.GetScopes());
        return Results.SignIn(principal, properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static string CultureInvariant(FormattableString text) => FormattableString.Invariant(text);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
