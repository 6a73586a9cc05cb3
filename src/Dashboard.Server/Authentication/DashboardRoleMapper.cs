using System.Security.Claims;
using Dashboard.Client.Authorization;

namespace Dashboard.Server.Authentication;

/// <summary>
/// Turns the provider's role and group claims into dashboard roles, as configured in <c>Dashboard:Auth:Roles</c>.
/// Runs once at sign-in; the result is kept in the session cookie.
/// </summary>
public sealed class DashboardRoleMapper(RoleMappingOptions mapping, IReadOnlyList<string> sourceClaimTypes)
{
    /// <summary>The dashboard roles granted by the claims of <paramref name="user"/>.</summary>
    public IReadOnlyList<string> RolesFor(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var values = user.Claims
            .Where(claim => sourceClaimTypes.Contains(claim.Type, StringComparer.Ordinal))
            .Select(claim => claim.Value)
            .ToHashSet(StringComparer.Ordinal);
        return [.. DashboardRoles.All.Where(role => mapping.ValuesFor(role).Any(values.Contains))];
    }

    /// <summary>
    /// Replaces any dashboard role claims on <paramref name="identity"/> (a provider must not be able to send one itself)
    /// with the roles mapped from <paramref name="user"/>'s claims.
    /// </summary>
    public void Apply(ClaimsPrincipal user, ClaimsIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(identity);
        foreach (var claimsIdentity in user.Identities)
        {
            foreach (var forged in claimsIdentity.FindAll(DashboardRoles.ClaimType).ToList())
            {
                claimsIdentity.TryRemoveClaim(forged);
            }
        }
        foreach (var role in RolesFor(user))
        {
            identity.AddClaim(new Claim(DashboardRoles.ClaimType, role, ClaimValueTypes.String, "dashboard"));
        }
    }
}
