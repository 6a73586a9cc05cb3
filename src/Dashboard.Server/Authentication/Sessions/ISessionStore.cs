namespace Dashboard.Server.Authentication.Sessions;

/// <summary>
/// Where signed-in sessions live, shared by every replica: the dashboard's state store (<see cref="State.IStateStore"/>:
/// SQLite by default, PostgreSQL when <c>ConnectionStrings:Dashboard</c> is set), implemented by <see cref="StateSessionStore"/>.
/// A session that is not here is over.
/// </summary>
public interface ISessionStore
{
    /// <summary>Applies the state store's migrations (the sessions table among them) if this process has not yet.</summary>
    Task EnsureCreatedAsync(CancellationToken cancellationToken);

    /// <summary>Adds the session, or replaces the one with the same key.</summary>
    Task SaveAsync(SessionRecord session, CancellationToken cancellationToken);

    Task<SessionRecord?> FindAsync(string key, CancellationToken cancellationToken);

    /// <summary>Deletes the session; false when there was none.</summary>
    Task<bool> DeleteAsync(string key, CancellationToken cancellationToken);

    /// <summary>Deletes the sessions of <paramref name="subject"/> whose roles are not <paramref name="roles"/>; returns their keys.</summary>
    Task<IReadOnlyList<string>> DeleteWithOtherRolesAsync(string subject, string roles, CancellationToken cancellationToken);

    /// <summary>Deletes the sessions that expired before <paramref name="now"/>; returns their keys.</summary>
    Task<IReadOnlyList<string>> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>
/// One signed-in session: its key (what the cookie holds), whose it is, the dashboard roles it grants, the role mapping
/// in force when it began, the protected authentication ticket and when it ends.
/// </summary>
public sealed record SessionRecord(string Key, string Subject, string Roles, string RoleMapping, byte[] Ticket, DateTimeOffset ExpiresUtc);
