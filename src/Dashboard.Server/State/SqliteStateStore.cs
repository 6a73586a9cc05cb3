using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Dashboard.Server.State;

/// <summary>The state in a SQLite file: the single-replica default (<c>Dashboard:State:SqlitePath</c>).</summary>
public sealed class SqliteStateStore : IStateStore
{
    private readonly string _connectionString;

    public SqliteStateStore(string path)
    {
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            // Waits for another connection's lock instead of failing with SQLITE_BUSY.
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    public string Description => $"SQLite {Path}";

    public StateDialect Dialect => StateDialect.Sqlite;

    public bool IsShared => false;

    public async Task MigrateAsync(IReadOnlyList<StateMigration> migrations, CancellationToken cancellationToken)
    {
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS dashboard_schema_migrations (id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL);
            """, cancellationToken);
        // BEGIN IMMEDIATE takes the write lock first, so two processes on one file apply each step once.
        await using var transaction = connection.BeginTransaction(deferred: false);
        var applied = await AppliedAsync(connection, transaction, cancellationToken);
        foreach (var migration in migrations.OrderBy(m => m.Id, StringComparer.Ordinal).Where(m => !applied.Contains(m.Id)))
        {
            await ExecuteAsync(connection, transaction, migration.Sqlite, cancellationToken);
            await using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO dashboard_schema_migrations (id, applied_at) VALUES ($id, $at);";
            record.Parameters.AddWithValue("$id", migration.Id);
            record.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            await record.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<string>> AppliedMigrationsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return [.. (await AppliedAsync(connection, null, cancellationToken)).Order(StringComparer.Ordinal)];
    }

    public async Task<StoredDocument?> ReadDocumentAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT content, written_at, written_by FROM dashboard_documents WHERE key = $key;";
        command.Parameters.AddWithValue("$key", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        return new StoredDocument(key, (byte[])reader.GetValue(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), reader.GetString(2));
    }

    public async Task WriteDocumentAsync(StoredDocument document, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO dashboard_documents (key, content, written_at, written_by) VALUES ($key, $content, $at, $by)
            ON CONFLICT (key) DO UPDATE SET content = excluded.content, written_at = excluded.written_at, written_by = excluded.written_by;
            """;
        command.Parameters.AddWithValue("$key", document.Key);
        command.Parameters.AddWithValue("$content", document.Content);
        command.Parameters.AddWithValue("$at", document.WrittenAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$by", document.WrittenBy);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async IAsyncEnumerable<string> ListenAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // One replica owns the file: nobody else writes, so there is nothing to hear.
        await Task.CompletedTask;
        yield break;
    }

    public IReadOnlyList<string> ReadDataProtectionKeys()
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT xml FROM dashboard_data_protection_keys ORDER BY name;";
        using var reader = command.ExecuteReader();
        var keys = new List<string>();
        while (reader.Read())
        {
            keys.Add(reader.GetString(0));
        }
        return keys;
    }

    public void StoreDataProtectionKey(string name, string xml)
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO dashboard_data_protection_keys (name, xml) VALUES ($name, $xml) ON CONFLICT (name) DO NOTHING;";
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$xml", xml);
        command.ExecuteNonQuery();
    }

    public async Task<System.Data.Common.DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) => await OpenAsync(cancellationToken);

    private static async Task<HashSet<string>> AppliedAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT id FROM dashboard_schema_migrations;";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }
        return ids;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
