using System.Net;
using Dashboard.Client.Authorization;
using Dashboard.Server.Authentication.Sessions;
using Dashboard.Server.Configuration;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Web;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Dashboard.Server.Authentication;

/// <summary>Sign-in, roles and policies (Dashboard:Auth), security headers, forwarded headers, rate limits, health.</summary>
public static class AuthenticationExtensions
{
    /// <summary>The OpenID Connect scheme of the EntraId and Oidc modes.</summary>
    public const string OpenIdConnectScheme = OpenIdConnectDefaults.AuthenticationScheme;

    public static WebApplicationBuilder AddDashboardAuthentication(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var auth = configuration.GetSection(DashboardAuthOptions.SectionName).Get<DashboardAuthOptions>() ?? new DashboardAuthOptions();
        var forwarded = configuration.GetSection(DashboardForwardedHeadersOptions.SectionName).Get<DashboardForwardedHeadersOptions>() ?? new DashboardForwardedHeadersOptions();
        var rateLimiting = configuration.GetSection(DashboardRateLimitingOptions.SectionName).Get<DashboardRateLimitingOptions>() ?? new DashboardRateLimitingOptions();

        var state = State.StateExtensions.ReadStateOptions(configuration);

        var errors = DashboardAuthOptionsValidator.Validate(auth, forwarded, rateLimiting, ListeningUrl.FromConfiguration(configuration), state);
        if (errors.Count > 0)
        {
            // Reported on start together with every other section's problems (StartupValidation); nothing else of
            // the security set-up is registered, so the host cannot serve by accident.
            builder.Services.AddOptions<DashboardAuthOptions>().ValidateOnStart();
            builder.Services.AddSingleton<IValidateOptions<DashboardAuthOptions>>(new KnownFailures<DashboardAuthOptions>(errors));
            return builder;
        }

        var services = builder.Services;
        var mode = auth.ParsedMode;
        services.TryAddSingleton(TimeProvider.System);

        var authentication = services.AddAuthentication(options =>
        {
            if (mode == DashboardAuthMode.Unsecured)
            {
                options.DefaultScheme = UnsecuredAuthenticationHandler.SchemeName;
            }
            else
            {
                options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                options.DefaultChallengeScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            }
        });

        var callbackPaths = new List<string>();
        var signInOrigins = new List<string>();
        switch (mode)
        {
            case DashboardAuthMode.Unsecured:
                authentication.AddScheme<UnsecuredAuthenticationSchemeOptions, UnsecuredAuthenticationHandler>(UnsecuredAuthenticationHandler.SchemeName, options =>
                {
                    options.UserName = auth.Unsecured.UserName;
                    options.Roles = auth.Unsecured.EffectiveRoles;
                });
                services.AddHostedService<LoopbackBindingGuard>();
                break;

            case DashboardAuthMode.EntraId:
                var entra = auth.EntraId;
                authentication.AddMicrosoftIdentityWebApp(
                    identity =>
                    {
                        identity.Instance = entra.Instance;
                        identity.TenantId = entra.TenantId;
                        identity.ClientId = entra.ClientId;
                        identity.ClientSecret = entra.ClientSecret;
                        identity.CallbackPath = entra.CallbackPath;
                        identity.SignedOutCallbackPath = entra.SignedOutCallbackPath;
                        identity.ResponseType = OpenIdConnectResponseType.Code;
                    },
                    cookie => ConfigureCookie(cookie, auth),
                    OpenIdConnectScheme,
                    CookieAuthenticationDefaults.AuthenticationScheme,
                    subscribeToOpenIdConnectMiddlewareDiagnosticsEvents: false);
                // Entra app roles arrive in "roles", group object ids in "groups" (when the registration emits them).
                ConfigureOpenIdConnect(services, auth.Roles, roleClaim: "roles", groupsClaim: "groups", nameClaim: "name");
                services.AddDashboardSessions(configuration, SessionSettings.From(auth, ["roles", "groups"]));
                callbackPaths.AddRange([entra.CallbackPath, entra.SignedOutCallbackPath]);
                signInOrigins.Add(new Uri(entra.Instance).GetLeftPart(UriPartial.Authority));
                break;

            case DashboardAuthMode.Oidc:
                var oidc = auth.Oidc;
                authentication
                    .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, cookie => ConfigureCookie(cookie, auth))
                    .AddOpenIdConnect(OpenIdConnectScheme, options =>
                    {
                        options.Authority = oidc.Authority;
                        options.ClientId = oidc.ClientId;
                        options.ClientSecret = oidc.ClientSecret;
                        options.ResponseType = OpenIdConnectResponseType.Code;
                        options.UsePkce = oidc.UsePkce;
                        options.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
                        options.CallbackPath = oidc.CallbackPath;
                        options.SignedOutCallbackPath = oidc.SignedOutCallbackPath;
                        options.SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                        options.SaveTokens = false;
                        options.GetClaimsFromUserInfoEndpoint = false;
                        options.Scope.Clear();
                        options.Scope.Add(OpenIdConnectScope.OpenId);
                        foreach (var scope in oidc.Scopes)
                        {
                            options.Scope.Add(scope);
                        }
                    });
                ConfigureOpenIdConnect(services, auth.Roles, oidc.RoleClaim, oidc.GroupsClaim, oidc.NameClaim);
                services.AddDashboardSessions(configuration, SessionSettings.From(auth, [oidc.RoleClaim, oidc.GroupsClaim]));
                callbackPaths.AddRange([oidc.CallbackPath, oidc.SignedOutCallbackPath]);
                signInOrigins.Add(new Uri(oidc.Authority!).GetLeftPart(UriPartial.Authority));
                break;
        }

        services.AddSingleton(new DashboardSecuritySettings(auth, mode, forwarded, rateLimiting) { CallbackPaths = callbackPaths });
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(SignedInPolicy())
            .AddPolicy(DashboardPolicies.SignedIn, SignedInPolicy())
            .AddPolicy(DashboardPolicies.Viewer, policy => policy.RequireAuthenticatedUser()
                .RequireClaim(DashboardRoles.ClaimType, DashboardRoles.Viewer, DashboardRoles.Operator))
            .AddPolicy(DashboardPolicies.CostReader, policy => policy.RequireAuthenticatedUser()
                .RequireClaim(DashboardRoles.ClaimType, DashboardRoles.CostReader))
            .AddPolicy(DashboardPolicies.Operator, policy => policy.RequireAuthenticatedUser()
                .RequireClaim(DashboardRoles.ClaimType, DashboardRoles.Operator));
        services.AddCascadingAuthenticationState();

        // Categories that would print the authorization code are capped whatever the configuration says (RequestLogging.cs).
        services.PostConfigure<LoggerFilterOptions>(LogRedaction.Apply);

        services.AddDashboardRateLimiting(rateLimiting);
        services.AddHsts(options => options.MaxAge = TimeSpan.FromDays(365));
        services.AddSingleton(new SecurityHeadersPolicy(SecurityHeadersMiddleware.BuildPolicy(signInOrigins)));
        services.AddAntiforgery(options =>
        {
            // SameAsRequest, not Always: antiforgery refuses to work at all on an HTTP request with Always (local
            // Unsecured use). Behind the ALB the request is HTTPS through the trusted X-Forwarded-Proto, so Secure.
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.HttpOnly = true;
        });
        return builder;
    }

    public static WebApplication UseDashboardAuthentication(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<DashboardSecuritySettings>();
        if (settings.ForwardedHeaders.IsEnabled)
        {
            app.UseForwardedHeaders(CreateForwardedHeadersOptions(settings.ForwardedHeaders));
        }
        app.UseMiddleware<RequestLoggingMiddleware>(settings.CallbackPaths);
        if (settings.Mode != DashboardAuthMode.Unsecured)
        {
            app.UseMiddleware<UntrustedProxyWarning>();
        }
        app.UseMiddleware<SecurityHeadersMiddleware>(app.Services.GetRequiredService<SecurityHeadersPolicy>().Value);
        app.UseHsts();

        // A forbidden page request (HTTP 403) is answered by the access-denied page, keeping the status code.
        app.UseStatusCodePagesWithReExecute(DashboardAuthenticationUrls.AccessDenied, createScopeForStatusCodePages: true);
        app.Use(async (context, next) =>
        {
            await next(context);
            if (context.Response.StatusCode != StatusCodes.Status403Forbidden || IsApiOrFramework(context.Request.Path))
            {
                context.Features.Get<IStatusCodePagesFeature>()?.Enabled = false;
            }
        });

        // The callbacks are limited before authentication answers them; everything else after authorization, so
        // the limiter knows the user and an anonymous request to a protected endpoint is refused before it counts.
        app.UseCallbackRateLimiting(settings.RateLimiting, settings.CallbackPaths);
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();

        app.MapDashboardAuthenticationEndpoints(settings.Mode == DashboardAuthMode.Unsecured ? null : OpenIdConnectScheme);
        return app;
    }

    private static AuthorizationPolicy SignedInPolicy() => new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();

    private static void ConfigureCookie(CookieAuthenticationOptions cookie, DashboardAuthOptions auth)
    {
        cookie.Cookie.Name = "__Host-dashboard";
        cookie.Cookie.HttpOnly = true;
        cookie.Cookie.SecurePolicy = auth.CookieSecurePolicy;
        // Lax, not Strict: the browser comes back from the identity provider through a cross-site redirect chain.
        cookie.Cookie.SameSite = SameSiteMode.Lax;
        cookie.Cookie.Path = "/";
        cookie.ExpireTimeSpan = auth.SessionLifetime;
        cookie.SlidingExpiration = true;
        cookie.LoginPath = DashboardAuthenticationUrls.SignIn;
        cookie.ReturnUrlParameter = "returnUrl";
        cookie.AccessDeniedPath = DashboardAuthenticationUrls.AccessDenied;
        cookie.Events.OnRedirectToLogin = context =>
        {
            if (IsApiOrFramework(context.Request.Path))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            }
            context.Response.Redirect(context.RedirectUri);
            return Task.CompletedTask;
        };
        // No redirect: the status code page re-executes the access-denied page with 403 for page requests.
        cookie.Events.OnRedirectToAccessDenied = context =>
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        };
    }

    private static void ConfigureOpenIdConnect(IServiceCollection services, RoleMappingOptions roles, string? roleClaim, string? groupsClaim, string nameClaim)
    {
        string[] sourceClaims = [.. new[] { roleClaim, groupsClaim }.Where(claim => !string.IsNullOrWhiteSpace(claim)).Select(claim => claim!)];
        var mapper = new DashboardRoleMapper(roles, sourceClaims);
        // PostConfigure: runs after Microsoft.Identity.Web's own configuration, and keeps its event handlers.
        services.PostConfigure<OpenIdConnectOptions>(OpenIdConnectScheme, options =>
        {
            // Keep the token's claim names (roles, groups, name) instead of the WS-Federation URIs.
            options.MapInboundClaims = false;
            options.TokenValidationParameters.NameClaimType = nameClaim;
            options.TokenValidationParameters.RoleClaimType = DashboardRoles.ClaimType;
            var previous = options.Events.OnTokenValidated;
            options.Events.OnTokenValidated = async context =>
            {
                await previous(context);
                if (context.Principal?.Identity is System.Security.Claims.ClaimsIdentity identity)
                {
                    mapper.Apply(context.Principal, identity);
                }
            };
            // The return-URL rule once more where the handler redirects: whatever put a RedirectUri in the state.
            var ticketReceived = options.Events.OnTicketReceived;
            options.Events.OnTicketReceived = async context =>
            {
                await ticketReceived(context);
                context.ReturnUri = ReturnUrl.LocalOrHome(context.ReturnUri);
            };
            var signedOutCallback = options.Events.OnSignedOutCallbackRedirect;
            options.Events.OnSignedOutCallbackRedirect = async context =>
            {
                await signedOutCallback(context);
                if (context.Properties is { } properties)
                {
                    properties.RedirectUri = properties.RedirectUri == DashboardAuthenticationUrls.SignedOut
                        ? properties.RedirectUri
                        : ReturnUrl.LocalOrHome(properties.RedirectUri);
                }
            };
            // A failed or forged callback ends on the signed-out page with a message, not an error page.
            options.Events.OnRemoteFailure = context =>
            {
                context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>()
                    .CreateLogger(typeof(AuthenticationExtensions))
                    .LogWarning("Sign-in failed at the callback: {Reason}", context.Failure?.GetType().Name ?? "unknown");
                context.Response.Redirect(DashboardAuthenticationUrls.SignedOut + "?failed=true");
                context.HandleResponse();
                return Task.CompletedTask;
            };
        });
    }

    private static ForwardedHeadersOptions CreateForwardedHeadersOptions(DashboardForwardedHeadersOptions configured)
    {
        var options = new ForwardedHeadersOptions
        {
            // X-Forwarded-Host only for configured host names: a proxy passing on a client's header must not be able
            // to make the dashboard build its sign-in redirect URIs for another host.
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto
                | (configured.AllowedHosts.Count > 0 ? ForwardedHeaders.XForwardedHost : ForwardedHeaders.None),
            ForwardLimit = configured.ForwardLimit,
        };
        // Only the configured proxies: the defaults (loopback) are cleared.
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in configured.KnownProxies)
        {
            options.KnownProxies.Add(IPAddress.Parse(proxy));
        }
        foreach (var network in configured.KnownNetworks)
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        }
        options.AllowedHosts.Clear();
        foreach (var host in configured.AllowedHosts)
        {
            options.AllowedHosts.Add(host);
        }
        return options;
    }

    /// <summary>HTTP APIs and framework endpoints answer 401/403 as status codes, not with a redirect or a page.</summary>
    private static bool IsApiOrFramework(PathString path) =>
        path.StartsWithSegments("/api") || path.StartsWithSegments("/_blazor") || path.StartsWithSegments("/_framework") || path.StartsWithSegments("/healthz");
}

/// <summary>The validated security settings, for the middleware set-up.</summary>
internal sealed record DashboardSecuritySettings(
    DashboardAuthOptions Auth,
    DashboardAuthMode Mode,
    DashboardForwardedHeadersOptions ForwardedHeaders,
    DashboardRateLimitingOptions RateLimiting)
{
    /// <summary>The provider's callback paths (sign-in and signed-out), answered by the authentication middleware.</summary>
    public IReadOnlyList<string> CallbackPaths { get; init; } = [];
}

/// <summary>The Content-Security-Policy header value.</summary>
internal sealed record SecurityHeadersPolicy(string Value);
