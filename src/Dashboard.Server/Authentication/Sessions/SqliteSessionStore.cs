using Microsoft.Data.Sqlite;

namespace Dashboard.Server.Authentication.Sessions;

/// <summary>The sessions in a SQLite file (the single-replica default, <c>Dashboard:State:SqlitePath</c>).</summary>
public sealed class SqliteSessionStore(string path) : ISessionStore
{
    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        // Waits this long for another connection's lock instead of failing with SQLITE_BUSY.
        DefaultTimeout = 30,
    }.ToString();

    public string Path { get; } = path;

    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS dashboard_sessions (
                session_key TEXT PRIMARY KEY,
                subject TEXT NOT NULL,
                roles TEXT NOT NULL,
                role_mapping TEXT NOT NULL,
                ticket BLOB NOT NULL,
                expires_utc INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS dashboard_sessions_subject ON dashboard_sessions (subject);
            CREATE INDEX IF NOT EXISTS dashboard_sessions_expires ON dashboard_sessions (expires_utc);
            """;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task SaveAsync(SessionRecord session, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO dashboard_sessions (session_key, subject, roles, role_mapping, ticket, expires_utc)
            VALUES ($key, $subject, $roles, $mapping, $ticket, $expires)
            ON CONFLICT (session_key) DO UPDATE SET
                subject = excluded.subject, roles = excluded.roles, role_mapping = excluded.role_mapping,
                ticket = excluded.ticket, expires_utc = excluded.expires_utc;
            """;
        command.Parameters.AddWithValue("$key", session.Key);
        command.Parameters.AddWithValue("$subject", session.Subject);
        command.Parameters.AddWithValue("$roles", session.Roles);
        command.Parameters.AddWithValue("$mapping", session.RoleMapping);
        command.Parameters.AddWithValue("$ticket", session.Ticket);
        command.Parameters.AddWithValue("$expires", session.ExpiresUtc.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<SessionRecord?> FindAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT subject, roles, role_mapping, ticket, expires_utc FROM dashboard_sessions WHERE session_key = $key;";
        command.Parameters.AddWithValue("$key", key);
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
            (byte[])reader.GetValue(3),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)));
    }

    public async Task<bool> DeleteAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM dashboard_sessions WHERE session_key = $key;";
        command.Parameters.AddWithValue("$key", key);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<IReadOnlyList<string>> DeleteWithOtherRolesAsync(string subject, string roles, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM dashboard_sessions WHERE subject = $subject AND roles <> $roles RETURNING session_key;";
        command.Parameters.AddWithValue("$subject", subject);
        command.Parameters.AddWithValue("$roles", roles);
        return await SessionRows.ReadKeysAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<string>> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM dashboard_sessions WHERE expires_utc <= $now RETURNING session_key;";
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        return await SessionRows.ReadKeysAsync(command, cancellationToken);
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
