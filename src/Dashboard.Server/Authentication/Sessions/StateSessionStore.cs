using System.Data.Common;
using Dashboard.Server.State;

namespace Dashboard.Server.Authentication.Sessions;

/// <summary>
/// The sessions in the dashboard's one state store (<see cref="IStateStore"/>: SQLite for one replica, PostgreSQL shared by
/// several), table <c>dashboard_sessions</c> created by <see cref="Migration"/> like every other table of the store. Time
/// is kept in the dialect's native type (SQLite: Unix milliseconds; PostgreSQL: timestamptz), as the tables made by the
/// earlier session stores were, so an existing database keeps its sessions.
/// </summary>
public sealed class StateSessionStore(IStateStore store, StateSchema schema) : ISessionStore
{
    /// <summary>
    /// The sessions table. <c>IF NOT EXISTS</c>: databases of earlier versions already have it (their session store made
    /// it itself, with the same columns), and keep it with its sessions.
    /// </summary>
    public static StateMigration Migration { get; } = new(
        "2026-12-03-05-sessions",
        """
        CREATE TABLE IF NOT EXISTS dashboard_sessions (
            session_key TEXT PRIMARY KEY,
            subject TEXT NOT NULL,
            roles TEXT NOT NULL,
            role_mapping TEXT NOT NULL,
            ticket BLOB NOT NULL,
            expires_utc INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS dashboard_sessions_subject ON dashboard_sessions (subject);
        CREATE INDEX IF NOT EXISTS dashboard_sessions_expires ON dashboard_sessions (expires_utc);
        """,
        """
        CREATE TABLE IF NOT EXISTS dashboard_sessions (
            session_key text PRIMARY KEY,
            subject text NOT NULL,
            roles text NOT NULL,
            role_mapping text NOT NULL,
            ticket bytea NOT NULL,
            expires_utc timestamptz NOT NULL);
        CREATE INDEX IF NOT EXISTS dashboard_sessions_subject ON dashboard_sessions (subject);
        CREATE INDEX IF NOT EXISTS dashboard_sessions_expires ON dashboard_sessions (expires_utc);
        """);

    private bool Postgres => store.Dialect == StateDialect.PostgreSql;

    public string Description => store.Description;

    public Task EnsureCreatedAsync(CancellationToken cancellationToken) => schema.EnsureMigratedAsync(cancellationToken);

    public async Task SaveAsync(SessionRecord session, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO dashboard_sessions (session_key, subject, roles, role_mapping, ticket, expires_utc)
            VALUES (@key, @subject, @roles, @mapping, @ticket, @expires)
            ON CONFLICT (session_key) DO UPDATE SET
                subject = excluded.subject, roles = excluded.roles, role_mapping = excluded.role_mapping,
                ticket = excluded.ticket, expires_utc = excluded.expires_utc;
            """;
        Add(command, "@key", session.Key);
        Add(command, "@subject", session.Subject);
        Add(command, "@roles", session.Roles);
        Add(command, "@mapping", session.RoleMapping);
        Add(command, "@ticket", session.Ticket);
        Add(command, "@expires", Time(session.ExpiresUtc));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<SessionRecord?> FindAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT subject, roles, role_mapping, ticket, expires_utc FROM dashboard_sessions WHERE session_key = @key;";
        Add(command, "@key", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        var expires = Postgres
            ? new DateTimeOffset(reader.GetFieldValue<DateTime>(4), TimeSpan.Zero)
            : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4));
        return new SessionRecord(key, reader.GetString(0), reader.GetString(1), reader.GetString(2), (byte[])reader.GetValue(3), expires);
    }

    public async Task<bool> DeleteAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM dashboard_sessions WHERE session_key = @key;";
        Add(command, "@key", key);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<IReadOnlyList<string>> DeleteWithOtherRolesAsync(string subject, string roles, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM dashboard_sessions WHERE subject = @subject AND roles <> @roles RETURNING session_key;";
        Add(command, "@subject", subject);
        Add(command, "@roles", roles);
        return await ReadKeysAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<string>> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM dashboard_sessions WHERE expires_utc <= @now RETURNING session_key;";
        Add(command, "@now", Time(now));
        return await ReadKeysAsync(command, cancellationToken);
    }

    private object Time(DateTimeOffset at) => Postgres ? at.UtcDateTime : at.ToUnixTimeMilliseconds();

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await schema.EnsureMigratedAsync(cancellationToken);
        return await store.OpenConnectionAsync(cancellationToken);
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    /// <summary>The session keys a command returns in its first column (<c>… RETURNING session_key</c>).</summary>
    private static async Task<IReadOnlyList<string>> ReadKeysAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(reader.GetString(0));
        }
        return keys;
    }
}
