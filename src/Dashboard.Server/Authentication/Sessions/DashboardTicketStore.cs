using System.Security.Claims;
using System.Security.Cryptography;
using Dashboard.Client.Authorization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;

namespace Dashboard.Server.Authentication.Sessions;

/// <summary>
/// The cookie handler's session store: the cookie holds only a random session key, the ticket stays in the state
/// database (protected with Data Protection). A session ends, for every replica, when it is removed: on sign-out, when it
/// expires, when the same user signs in with other roles, and when the role mapping changed since it began.
/// </summary>
internal sealed partial class DashboardTicketStore(
    ISessionStore store,
    IDataProtectionProvider dataProtection,
    SessionRevocations revocations,
    SessionSettings settings,
    TimeProvider time,
    ILogger<DashboardTicketStore> logger) : ITicketStore
{
    /// <summary>The claim that carries the session key in the signed-in principal (circuits watch it).</summary>
    public const string SessionClaim = "dashboard_session";

    private readonly IDataProtector _protector = dataProtection.CreateProtector("Dashboard.Sessions.Ticket");
    private readonly TicketSerializer _serializer = TicketSerializer.Default;

    public Task<string> StoreAsync(AuthenticationTicket ticket) => StoreAsync(ticket, CancellationToken.None);

    public Task<string> StoreAsync(AuthenticationTicket ticket, HttpContext httpContext, CancellationToken cancellationToken) => StoreAsync(ticket, cancellationToken);

    public async Task<string> StoreAsync(AuthenticationTicket ticket, CancellationToken cancellationToken)
    {
        var key = Base64UrlKey();
        SetSessionClaim(ticket, key);
        var session = Record(key, ticket);

        // A role change ends the user's other sessions: they were granted what the user no longer has (or lacked what they now have).
        foreach (var revoked in await store.DeleteWithOtherRolesAsync(session.Subject, session.Roles, cancellationToken))
        {
            LogRoleChange(LogValue.Sanitize(session.Subject));
            revocations.Revoked(revoked);
        }
        foreach (var expired in await store.DeleteExpiredAsync(time.GetUtcNow(), cancellationToken))
        {
            revocations.Revoked(expired);
        }
        await store.SaveAsync(session, cancellationToken);
        return key;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket) => RenewAsync(key, ticket, CancellationToken.None);

    public Task RenewAsync(string key, AuthenticationTicket ticket, HttpContext httpContext, CancellationToken cancellationToken) => RenewAsync(key, ticket, cancellationToken);

    public async Task RenewAsync(string key, AuthenticationTicket ticket, CancellationToken cancellationToken)
    {
        // The cookie handler renews in two cases: a sliding refresh of a session it just read (the principal carries
        // this key), and a sign-in on a request that still carried an old session cookie (a fresh principal). A
        // refresh of a session that was revoked meanwhile must not bring it back.
        var isRefresh = ticket.Principal.FindFirst(SessionClaim)?.Value == key;
        if (isRefresh && await store.FindAsync(key, cancellationToken) is null)
        {
            return;
        }
        SetSessionClaim(ticket, key);
        var session = Record(key, ticket);
        if (!isRefresh)
        {
            foreach (var revoked in await store.DeleteWithOtherRolesAsync(session.Subject, session.Roles, cancellationToken))
            {
                revocations.Revoked(revoked);
            }
        }
        await store.SaveAsync(session, cancellationToken);
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key) => RetrieveAsync(key, CancellationToken.None);

    public Task<AuthenticationTicket?> RetrieveAsync(string key, HttpContext httpContext, CancellationToken cancellationToken) => RetrieveAsync(key, cancellationToken);

    public async Task<AuthenticationTicket?> RetrieveAsync(string key, CancellationToken cancellationToken)
    {
        var session = await FindLiveAsync(key, cancellationToken);
        if (session is null)
        {
            return null;
        }
        try
        {
            return _serializer.Deserialize(_protector.Unprotect(session.Ticket));
        }
        catch (CryptographicException)
        {
            // Protected with a key this replica does not have (key ring not shared): treat as signed out.
            LogUnreadable();
            return null;
        }
    }

    public Task RemoveAsync(string key) => RemoveAsync(key, CancellationToken.None);

    public Task RemoveAsync(string key, HttpContext httpContext, CancellationToken cancellationToken) => RemoveAsync(key, cancellationToken);

    public async Task RemoveAsync(string key, CancellationToken cancellationToken)
    {
        await store.DeleteAsync(key, cancellationToken);
        revocations.Revoked(key);
    }

    /// <summary>The session when it is still valid: present, not expired, begun under the current role mapping.</summary>
    public async Task<SessionRecord?> FindLiveAsync(string key, CancellationToken cancellationToken)
    {
        var session = await store.FindAsync(key, cancellationToken);
        if (session is null)
        {
            return null;
        }
        if (session.ExpiresUtc <= time.GetUtcNow() || session.RoleMapping != settings.Fingerprint)
        {
            await store.DeleteAsync(key, cancellationToken);
            revocations.Revoked(key);
            return null;
        }
        return session;
    }

    private SessionRecord Record(string key, AuthenticationTicket ticket)
    {
        var principal = ticket.Principal;
        var roles = string.Join(',', DashboardUser.RolesOf(principal));
        var expires = ticket.Properties.ExpiresUtc ?? time.GetUtcNow() + settings.SessionLifetime;
        return new SessionRecord(key, SubjectOf(principal), roles, settings.Fingerprint, _protector.Protect(_serializer.Serialize(ticket)), expires);
    }

    /// <summary>Who the session belongs to: the provider's stable subject, else the name.</summary>
    internal static string SubjectOf(ClaimsPrincipal principal) =>
        principal.FindFirst("sub")?.Value
        ?? principal.FindFirst("oid")?.Value
        ?? principal.FindFirst(ClaimTypes.NameIdentifier)?.Value
        ?? principal.Identity?.Name
        ?? string.Empty;

    private static void SetSessionClaim(AuthenticationTicket ticket, string key)
    {
        if (ticket.Principal.Identity is not ClaimsIdentity identity)
        {
            return;
        }
        foreach (var claim in identity.FindAll(SessionClaim).ToList())
        {
            identity.RemoveClaim(claim);
        }
        identity.AddClaim(new Claim(SessionClaim, key));
    }

    private static string Base64UrlKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [LoggerMessage(Level = LogLevel.Information, Message = "Ended the other sessions of {Subject}: signed in with other roles")]
    private partial void LogRoleChange(string subject);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A session's ticket could not be unprotected (is the Data Protection key ring shared by every replica?); the user must sign in again")]
    private partial void LogUnreadable();
}
