using System.Security.Claims;
using Dashboard.Client.Authorization;
using Dashboard.Server.Authentication;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Dashboard.Server.Api;

/// <summary>
/// Who may call /api/v1. The browser's session cookie works as on the pages; in the EntraId and Oidc modes a script sends
/// <c>Authorization: Bearer &lt;JWT&gt;</c> issued by the same provider, validated by <see cref="BearerScheme"/> and
/// role-mapped by the same <see cref="DashboardRoleMapper"/> rules (<c>Dashboard:Auth:Roles</c>). A policy scheme in front
/// of the default one hands /api/v1 requests that carry a bearer token to the bearer handler and everything else to the
/// previous default, so the pages are untouched. Failed authorization answers 401/403 problem details, never a redirect.
/// </summary>
public static class ApiAuthentication
{
    public const string BearerScheme = "ApiBearer";
    public const string SelectorScheme = "ApiCookieOrBearer";

    /// <summary>Registers the bearer handler and the selector; false when the mode has no bearer tokens (Unsecured, or turned off).</summary>
    internal static bool AddApiBearer(IServiceCollection services, IConfiguration configuration, ApiOptions api)
    {
        var auth = configuration.GetSection(DashboardAuthOptions.SectionName).Get<DashboardAuthOptions>() ?? new DashboardAuthOptions();
        if (!api.Bearer.Enabled || !Enum.TryParse<DashboardAuthMode>(auth.Mode, ignoreCase: true, out var mode) || mode == DashboardAuthMode.Unsecured)
        {
            return false;
        }
        var provider = Provider(auth, mode, api.Bearer);
        var mapper = new DashboardRoleMapper(auth.Roles, provider.SourceClaims);
        var selection = new SchemeSelection();
        services.AddAuthentication()
            .AddJwtBearer(BearerScheme, options =>
            {
                options.Authority = provider.Authority;
                options.RequireHttpsMetadata = provider.RequireHttpsMetadata;
                // Keep the token's claim names (roles, groups, name, sub), as the sign-in does.
                options.MapInboundClaims = false;
                options.TokenValidationParameters.ValidAudiences = provider.Audiences;
                if (provider.Issuers.Count > 0)
                {
                    options.TokenValidationParameters.ValidIssuers = provider.Issuers;
                }
                options.TokenValidationParameters.NameClaimType = provider.NameClaim;
                options.TokenValidationParameters.RoleClaimType = DashboardRoles.ClaimType;
                options.Events = new JwtBearerEvents
                {
                    OnTokenValidated = context =>
                    {
                        if (context.Principal?.Identity is ClaimsIdentity identity)
                        {
                            mapper.Apply(context.Principal, identity);
                        }
                        return Task.CompletedTask;
                    },
                };
            })
            .AddPolicyScheme(SelectorScheme, "Session cookie, or a bearer token on /api/v1", options =>
                options.ForwardDefaultSelector = context => CarriesBearer(context) ? BearerScheme : selection.Fallback);
        services.PostConfigure<AuthenticationOptions>(options =>
        {
            var previous = options.DefaultAuthenticateScheme ?? options.DefaultScheme;
            if (previous is null or SelectorScheme)
            {
                return;
            }
            selection.Fallback = previous;
            options.DefaultAuthenticateScheme = SelectorScheme;
        });
        return true;
    }

    /// <summary>An /api/v1 request with <c>Authorization: Bearer …</c>.</summary>
    internal static bool CarriesBearer(HttpContext context) =>
        ApiEndpoints.IsApi(context.Request.Path)
        && context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);

    private static BearerProvider Provider(DashboardAuthOptions auth, DashboardAuthMode mode, ApiBearerOptions bearer)
    {
        if (mode == DashboardAuthMode.EntraId)
        {
            var entra = auth.EntraId;
            var instance = entra.Instance.TrimEnd('/');
            // v2.0 tokens name the v2.0 issuer; v1.0 access tokens (the default of an app registration) name sts.windows.net.
            return new BearerProvider(
                $"{instance}/{entra.TenantId}/v2.0",
                [$"{instance}/{entra.TenantId}/v2.0", $"https://sts.windows.net/{entra.TenantId}/"],
                bearer.Audiences.Count > 0 ? bearer.Audiences : [entra.ClientId!, $"api://{entra.ClientId}"],
                ["roles", "groups"],
                "name",
                RequireHttpsMetadata: true);
        }
        var oidc = auth.Oidc;
        return new BearerProvider(
            oidc.Authority!,
            [],
            bearer.Audiences.Count > 0 ? bearer.Audiences : [oidc.ClientId!],
            [.. new[] { oidc.RoleClaim, oidc.GroupsClaim }.Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c!)],
            oidc.NameClaim,
            oidc.RequireHttpsMetadata);
    }

    private sealed record BearerProvider(string Authority, IReadOnlyList<string> Issuers, IReadOnlyList<string> Audiences,
        IReadOnlyList<string> SourceClaims, string NameClaim, bool RequireHttpsMetadata);

    /// <summary>The scheme non-bearer requests are authenticated by: the default before <see cref="SelectorScheme"/> took its place.</summary>
    private sealed class SchemeSelection
    {
        public string Fallback { get; set; } = CookieAuthenticationDefaults.AuthenticationScheme;
    }
}

/// <summary>
/// On /api/v1, a refused request is answered with problem details: 401 (with the scheme's challenge, e.g.
/// <c>WWW-Authenticate: Bearer</c>) or 403. Everything else goes to the framework's handler unchanged.
/// </summary>
internal sealed class ApiAuthorizationResultHandler(bool bearer) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded || !ApiEndpoints.IsApi(context.Request.Path))
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }
        var viaBearer = bearer && ApiAuthentication.CarriesBearer(context);
        if (authorizeResult.Challenged)
        {
            if (viaBearer)
            {
                await context.ChallengeAsync(ApiAuthentication.BearerScheme);
            }
            else
            {
                await context.ChallengeAsync();
                if (bearer)
                {
                    context.Response.Headers.WWWAuthenticate = "Bearer";
                }
            }
            await ApiProblems.WriteAsync(context, StatusCodes.Status401Unauthorized, "unauthenticated", "Sign-in required.",
                "Send the dashboard's session cookie, or Authorization: Bearer with a token from the dashboard's identity provider (docs/api.md).");
            return;
        }
        if (viaBearer)
        {
            await context.ForbidAsync(ApiAuthentication.BearerScheme);
        }
        else
        {
            await context.ForbidAsync();
        }
        await ApiProblems.WriteAsync(context, StatusCodes.Status403Forbidden, "forbidden", "Not allowed.",
            "Your roles do not include the one this endpoint needs (Viewer, or CostReader for costs).");
    }
}
