using Dashboard.Client.Changes;
using Microsoft.Data.Sqlite;

namespace Dashboard.Server.Audit;

/// <summary>The audit trail in the state SQLite file (<c>Dashboard:State:SqlitePath</c>), table <c>dashboard_audit</c>.</summary>
public sealed class SqliteAuditStore(string path) : IAuditStore
{
    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
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
            CREATE TABLE IF NOT EXISTS dashboard_audit (
                change_id TEXT PRIMARY KEY,
                at_utc INTEGER NOT NULL,
                user_name TEXT NOT NULL,
                namespace TEXT NOT NULL,
                object TEXT NOT NULL,
                record TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS dashboard_audit_at ON dashboard_audit (at_utc);
            """;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task AppendAsync(ChangeRecord record, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // INSERT only: a record is never replaced.
        command.CommandText = "INSERT INTO dashboard_audit (change_id, at_utc, user_name, namespace, object, record) VALUES ($id, $at, $user, $ns, $object, $record);";
        command.Parameters.AddWithValue("$id", record.ChangeId);
        command.Parameters.AddWithValue("$at", record.At.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$user", record.User);
        command.Parameters.AddWithValue("$ns", record.Object.Namespace);
        command.Parameters.AddWithValue("$object", record.Object.ToString());
        command.Parameters.AddWithValue("$record", AuditJson.Write(record));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<ChangeRecord?> FindAsync(string changeId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT record FROM dashboard_audit WHERE change_id = $id;";
        command.Parameters.AddWithValue("$id", changeId);
        return await command.ExecuteScalarAsync(cancellationToken) is string json ? AuditJson.Read(json) : null;
    }

    public async Task<IReadOnlyList<ChangeRecord>> ListAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT record FROM dashboard_audit
            WHERE ($ns IS NULL OR namespace = $ns) AND ($user IS NULL OR user_name = $user)
              AND ($object IS NULL OR object = $object) AND ($since IS NULL OR at_utc >= $since)
            ORDER BY at_utc DESC, change_id DESC LIMIT $limit;
            """;
        command.Parameters.AddWithValue("$ns", (object?)query.Namespace ?? DBNull.Value);
        command.Parameters.AddWithValue("$user", (object?)query.User ?? DBNull.Value);
        command.Parameters.AddWithValue("$object", (object?)query.Object ?? DBNull.Value);
        command.Parameters.AddWithValue("$since", (object?)query.Since?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        command.Parameters.AddWithValue("$limit", query.Limit);
        var records = new List<ChangeRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(AuditJson.Read(reader.GetString(0)));
        }
        return records;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
