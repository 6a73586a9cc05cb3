using System.Security.Cryptography;
using Dashboard.Client.Authorization;

namespace Dashboard.Server.Authentication.Sessions;

/// <summary>
/// The role mapping in force (a fingerprint of <c>Dashboard:Auth:Roles</c> and the role claims), the session lifetime and
/// how often circuits check that their session still exists.
/// </summary>
internal sealed record SessionSettings(string Fingerprint, TimeSpan SessionLifetime, TimeSpan RevalidationInterval)
{
    public static SessionSettings From(DashboardAuthOptions auth, IEnumerable<string?> sourceClaims)
    {
        var text = string.Join('\n', DashboardRoles.All.Select(role => role + "=" + string.Join(',', auth.Roles.ValuesFor(role))))
            + "\nclaims=" + string.Join(',', sourceClaims.Select(claim => claim ?? string.Empty));
        var hash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text));
        return new SessionSettings(Convert.ToHexString(hash, 0, 16), auth.SessionLifetime, auth.SessionRevalidationInterval);
    }
}
