using Dashboard.Client.Authorization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Endpoints;

namespace Dashboard.Server.Authentication;

/// <summary>Authorisation for the endpoints that MapRazorComponents adds besides the pages.</summary>
public static class DashboardAuthorizationConventions
{
    /// <summary>
    /// The Blazor hub (<c>/_blazor</c>) requires a signed-in user; the framework script is public (the sign-in flow's
    /// static pages load it). Pages are left alone: each names its own policy with [Authorize] or [AllowAnonymous].
    /// </summary>
    public static RazorComponentsEndpointConventionBuilder WithDashboardAuthorization(this RazorComponentsEndpointConventionBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Add(endpoint =>
        {
            if (endpoint.Metadata.OfType<ComponentTypeMetadata>().Any())
            {
                return;
            }
            if (endpoint is RouteEndpointBuilder route && route.RoutePattern.RawText?.TrimStart('/').StartsWith("_framework/", StringComparison.Ordinal) == true)
            {
                endpoint.Metadata.Add(new AllowAnonymousAttribute());
                return;
            }
            endpoint.Metadata.Add(new AuthorizeAttribute(DashboardPolicies.SignedIn));
        });
        return builder;
    }
}
