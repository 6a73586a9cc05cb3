using System.Security.Claims;

namespace Dashboard.Client.Authorization;

/// <summary>Reads the dashboard roles the server's role mapping gave a user.</summary>
public static class DashboardUser
{
    /// <summary>The user's dashboard roles, in the canonical order Viewer, CostReader, Operator.</summary>
    public static IReadOnlyList<string> RolesOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return [.. DashboardRoles.All.Where(role => user.HasClaim(DashboardRoles.ClaimType, role))];
    }
}
