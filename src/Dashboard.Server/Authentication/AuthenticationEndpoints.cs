using Dashboard.Client.Authorization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Dashboard.Server.Authentication;

/// <summary>
/// The sign-in flow's own endpoints (Microsoft.Identity.Web.UI is not available) and the health endpoints:
/// the only anonymous endpoints of the dashboard.
/// </summary>
internal static class AuthenticationEndpoints
{
    public static void MapDashboardAuthenticationEndpoints(this WebApplication app, string? remoteScheme)
    {
        app.MapHealthChecks("/healthz/live", new HealthCheckOptions { Predicate = _ => false })
            .AllowAnonymous()
            .DisableRateLimiting();
        app.MapHealthChecks("/healthz/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(DashboardHealthChecks.ReadyTag) })
            .AllowAnonymous()
            .DisableRateLimiting();

        app.MapGet(DashboardAuthenticationUrls.SignIn, ([FromQuery] string? returnUrl) =>
            {
                var target = ReturnUrl.LocalOrHome(returnUrl);
                if (remoteScheme is null)
                {
                    // Unsecured: everyone is already the local user. The target passed the return-URL rule.
                    return Results.Redirect(target);
                }
                return Results.Challenge(new AuthenticationProperties { RedirectUri = target }, [remoteScheme]);
            })
            .AllowAnonymous()
            .RequireRateLimiting(DashboardRateLimiting.SignInPolicy)
            .WithName("SignIn");

        app.MapPost(DashboardAuthenticationUrls.SignOut, async (HttpContext context, IAntiforgery antiforgery) =>
            {
                // The form carries an antiforgery token: without it another site could sign the user out.
                if (!await antiforgery.IsRequestValidAsync(context))
                {
                    return Results.BadRequest();
                }
                if (remoteScheme is null)
                {
                    return Results.Redirect(ReturnUrl.Home);
                }
                var properties = new AuthenticationProperties { RedirectUri = DashboardAuthenticationUrls.SignedOut };
                return Results.SignOut(properties, [CookieAuthenticationDefaults.AuthenticationScheme, remoteScheme]);
            })
            .RequireAuthorization(DashboardPolicies.SignedIn)
            .WithName("SignOut");
    }
}

/// <summary>The health endpoints' checks: <c>/healthz/ready</c> runs those tagged <see cref="ReadyTag"/>.</summary>
public static class DashboardHealthChecks
{
    /// <summary>Tag a health check with this to make it part of readiness.</summary>
    public const string ReadyTag = "ready";
}

/// <summary>A health check that is always healthy once the host runs: the ready endpoint's minimum.</summary>
internal sealed class HostStartedHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken) =>
        Task.FromResult(lifetime.ApplicationStarted.IsCancellationRequested
            ? HealthCheckResult.Healthy("The host has started.")
            : HealthCheckResult.Unhealthy("The host is still starting."));
}
