using Npgsql;

namespace Dashboard.Server.Authentication.Sessions;

/// <summary>The sessions in PostgreSQL (several replicas, <c>Dashboard:State:PostgresConnectionString</c>).</summary>
public sealed class PostgresSessionStore(NpgsqlDataSource dataSource) : ISessionStore
{
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
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
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task SaveAsync(SessionRecord session, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO dashboard_sessions (session_key, subject, roles, role_mapping, ticket, expires_utc)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (session_key) DO UPDATE SET
                subject = excluded.subject, roles = excluded.roles, role_mapping = excluded.role_mapping,
                ticket = excluded.ticket, expires_utc = excluded.expires_utc;
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = session.Key });
        command.Parameters.Add(new NpgsqlParameter { Value = session.Subject });
        command.Parameters.Add(new NpgsqlParameter { Value = session.Roles });
        command.Parameters.Add(new NpgsqlParameter { Value = session.RoleMapping });
        command.Parameters.Add(new NpgsqlParameter { Value = session.Ticket });
        command.Parameters.Add(new NpgsqlParameter { Value = session.ExpiresUtc.UtcDateTime });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<SessionRecord?> FindAsync(string key, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT subject, roles, role_mapping, ticket, expires_utc FROM dashboard_sessions WHERE session_key = $1;");
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        return new SessionRecord(
            key,
            reader.GetString(0),
            reader.GetString(1),
            reader.GetString(2),
            reader.GetFieldValue<byte[]>(3),
            new DateTimeOffset(reader.GetFieldValue<DateTime>(4), TimeSpan.Zero));
    }

    public async Task<bool> DeleteAsync(string key, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM dashboard_sessions WHERE session_key = $1;");
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<IReadOnlyList<string>> DeleteWithOtherRolesAsync(string subject, string roles, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM dashboard_sessions WHERE subject = $1 AND roles <> $2 RETURNING session_key;");
        command.Parameters.Add(new NpgsqlParameter { Value = subject });
        command.Parameters.Add(new NpgsqlParameter { Value = roles });
        return await SessionRows.ReadKeysAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<string>> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM dashboard_sessions WHERE expires_utc <= $1 RETURNING session_key;");
        command.Parameters.Add(new NpgsqlParameter { Value = now.UtcDateTime });
        return await SessionRows.ReadKeysAsync(command, cancellationToken);
    }
}
