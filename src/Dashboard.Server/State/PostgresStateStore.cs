using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Npgsql;

namespace Dashboard.Server.State;

/// <summary>
/// The state in PostgreSQL (<c>ConnectionStrings:Dashboard</c>), shared by every replica. Writers notify the channel
/// <see cref="Channel"/> in the same transaction as the write, so listeners hear of a document only once it is committed.
/// </summary>
public sealed partial class PostgresStateStore(NpgsqlDataSource dataSource, ILogger<PostgresStateStore> logger) : IStateStore
{
    /// <summary>The <c>LISTEN/NOTIFY</c> channel; the payload is the document's key.</summary>
    public const string Channel = "dashboard_state";

    /// <summary>An arbitrary constant: the advisory lock that serialises migrations of replicas starting together.</summary>
    private const long MigrationLock = 0x656e64706f696e74;

    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);

    public string Description { get; } = DescribeConnection(dataSource.ConnectionString);

    public StateDialect Dialect => StateDialect.PostgreSql;

    public bool IsShared => true;

    public NpgsqlDataSource DataSource => dataSource;

    public async Task MigrateAsync(IReadOnlyList<StateMigration> migrations, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({MigrationLock});", cancellationToken);
        await ExecuteAsync(connection, "CREATE TABLE IF NOT EXISTS dashboard_schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL);", cancellationToken);
        var applied = await AppliedAsync(connection, cancellationToken);
        foreach (var migration in migrations.OrderBy(m => m.Id, StringComparer.Ordinal).Where(m => !applied.Contains(m.Id)))
        {
            await ExecuteAsync(connection, migration.PostgreSql, cancellationToken);
            await using var record = new NpgsqlCommand("INSERT INTO dashboard_schema_migrations (id, applied_at) VALUES ($1, now());", connection);
            record.Parameters.Add(new NpgsqlParameter { Value = migration.Id });
            await record.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<string>> AppliedMigrationsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. (await AppliedAsync(connection, cancellationToken)).Order(StringComparer.Ordinal)];
    }

    public async Task<StoredDocument?> ReadDocumentAsync(string key, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT content, written_at, written_by FROM dashboard_documents WHERE key = $1;");
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        return new StoredDocument(key, reader.GetFieldValue<byte[]>(0), new DateTimeOffset(reader.GetFieldValue<DateTime>(1), TimeSpan.Zero), reader.GetString(2));
    }

    public async Task WriteDocumentAsync(StoredDocument document, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("""
                    INSERT INTO dashboard_documents (key, content, written_at, written_by) VALUES ($1, $2, $3, $4)
                    ON CONFLICT (key) DO UPDATE SET content = excluded.content, written_at = excluded.written_at, written_by = excluded.written_by;
                    """)
                {
                    Parameters =
                    {
                        new NpgsqlParameter { Value = document.Key },
                        new NpgsqlParameter { Value = document.Content },
                        new NpgsqlParameter { Value = document.WrittenAt.UtcDateTime },
                        new NpgsqlParameter { Value = document.WrittenBy },
                    },
                },
                new NpgsqlBatchCommand($"SELECT pg_notify('{Channel}', $1);") { Parameters = { new NpgsqlParameter { Value = document.Key } } },
            },
        };
        // A batch runs as one implicit transaction: the notification is delivered only if the write commits.
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async IAsyncEnumerable<string> ListenAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var keys = System.Threading.Channels.Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var listening = ListenLoopAsync(keys.Writer, stop.Token);
        try
        {
            await foreach (var key in keys.Reader.ReadAllAsync(cancellationToken))
            {
                yield return key;
            }
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await listening;
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
        }
    }

    private async Task ListenLoopAsync(ChannelWriter<string> keys, CancellationToken cancellationToken)
    {
        var reconnecting = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                connection.Notification += (_, e) => keys.TryWrite(e.Payload);
                await ExecuteAsync(connection, $"LISTEN {Channel};", cancellationToken);
                if (reconnecting)
                {
                    // Whatever was written while the connection was down was not heard: ask for a re-read of everything.
                    LogListening(logger);
                    keys.TryWrite(IStateStore.AllDocuments);
                }
                reconnecting = true;
                while (true)
                {
                    await connection.WaitAsync(cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is NpgsqlException or System.Net.Sockets.SocketException or IOException or TimeoutException)
            {
                LogListenFailed(logger, exception.Message, ReconnectDelay);
                reconnecting = true;
                await Task.Delay(ReconnectDelay, cancellationToken);
            }
        }
    }

    public IReadOnlyList<string> ReadDataProtectionKeys()
    {
        using var command = dataSource.CreateCommand("SELECT xml FROM dashboard_data_protection_keys ORDER BY name;");
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
        using var command = dataSource.CreateCommand("INSERT INTO dashboard_data_protection_keys (name, xml) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING;");
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        command.Parameters.Add(new NpgsqlParameter { Value = xml });
        command.ExecuteNonQuery();
    }

    public async Task<System.Data.Common.DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await dataSource.OpenConnectionAsync(cancellationToken);

    /// <summary>Host, port and database only: the connection string's password must never reach a log.</summary>
    internal static string DescribeConnection(string? connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
    }

    private static async Task<HashSet<string>> AppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT id FROM dashboard_schema_migrations;", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }
        return ids;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening to the shared state again; re-reading every published document")]
    private static partial void LogListening(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the shared state's notification connection ({Reason}); reconnecting in {Delay}")]
    private static partial void LogListenFailed(ILogger logger, string reason, TimeSpan delay);
}
