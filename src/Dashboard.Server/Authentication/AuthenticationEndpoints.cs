using Dashboard.Client.Authorization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;

namespace Dashboard.Server.Authentication;

/// <summary>
/// The sign-in flow's own endpoints (Microsoft.Identity.Web.UI is not available): with the health endpoints
/// (<c>Health/</c>), the only anonymous endpoints of the dashboard.
/// </summary>
internal static class AuthenticationEndpoints
{
    public static void MapDashboardAuthenticationEndpoints(this WebApplication app, string? remoteScheme)
    {
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
