using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dashboard.Client.Model;
using Dashboard.Server.State;
using Microsoft.Data.Sqlite;

namespace Dashboard.Server.Incidents;

/// <summary>
/// The incident rows in the state store (<see cref="IncidentMigrations"/>): written by the polling leader, with a
/// notification (<see cref="DocumentKey"/> on PostgreSQL's <c>dashboard_state</c> channel) in the same transaction, read
/// by every replica.
/// </summary>
public sealed class IncidentRepository(IStateStore store)
{
    /// <summary>The key the notification carries (as a published document's would).</summary>
    public const string DocumentKey = "incidents";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Incidents whose row was written at or after <paramref name="since"/> (Unix ms; null: all), with the newest write time seen.</summary>
    public async Task<(IReadOnlyList<EndpointIncident> Incidents, long? LastWrite)> ReadAsync(long? since, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = since is null
            ? "SELECT content, updated_at FROM dashboard_incidents;"
            : $"SELECT content, updated_at FROM dashboard_incidents WHERE updated_at >= {Parameter(0)};";
        if (since is { } s)
        {
            AddParameter(command, 0, s);
        }
        var incidents = new List<EndpointIncident>();
        long? last = null;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (Deserialize(reader.GetString(0)) is { } incident)
            {
                incidents.Add(incident);
            }
            var at = reader.GetInt64(1);
            last = last is null || at > last ? at : last;
        }
        return (incidents, last);
    }

    /// <summary>Writes the incidents and deletes the pruned ids in one transaction, then tells the other replicas.</summary>
    public async Task WriteAsync(IReadOnlyList<EndpointIncident> incidents, IReadOnlyList<string> delete, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (incidents.Count == 0 && delete.Count == 0)
        {
            return;
        }
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var incident in incidents)
        {
            await using var upsert = connection.CreateCommand();
            upsert.Transaction = transaction;
            upsert.CommandText = $"""
                INSERT INTO dashboard_incidents (id, endpoint, started_at, cleared_at, updated_at, content)
                VALUES ({Parameter(0)}, {Parameter(1)}, {Parameter(2)}, {Parameter(3)}, {Parameter(4)}, {Parameter(5)})
                ON CONFLICT (id) DO UPDATE SET cleared_at = excluded.cleared_at, updated_at = excluded.updated_at, content = excluded.content;
                """;
            AddParameter(upsert, 0, incident.Id);
            AddParameter(upsert, 1, incident.Endpoint.Key);
            AddParameter(upsert, 2, incident.StartedAt.ToUnixTimeMilliseconds());
            AddParameter(upsert, 3, incident.ClearedAt?.ToUnixTimeMilliseconds());
            AddParameter(upsert, 4, now.ToUnixTimeMilliseconds());
            AddParameter(upsert, 5, JsonSerializer.Serialize(incident, Json));
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }
        foreach (var id in delete)
        {
            await using var remove = connection.CreateCommand();
            remove.Transaction = transaction;
            remove.CommandText = $"DELETE FROM dashboard_incidents WHERE id = {Parameter(0)};";
            AddParameter(remove, 0, id);
            await remove.ExecuteNonQueryAsync(cancellationToken);
        }
        if (store.Dialect == StateDialect.PostgreSql)
        {
            // Delivered only if the transaction commits, as the published documents' notifications are.
            await using var notify = connection.CreateCommand();
            notify.Transaction = transaction;
            notify.CommandText = $"SELECT pg_notify('{PostgresStateStore.Channel}', '{DocumentKey}');";
            await notify.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    internal static EndpointIncident? Deserialize(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<EndpointIncident>(json, Json);
        }
        catch (JsonException)
        {
            // A row of another version's shape: skipped, not fatal.
            return null;
        }
    }

    private string Parameter(int index) => store.Dialect == StateDialect.PostgreSql ? $"${index + 1}" : $"$p{index}";

    private void AddParameter(DbCommand command, int index, object? value)
    {
        var parameter = command.CreateParameter();
        if (store.Dialect != StateDialect.PostgreSql)
        {
            parameter.ParameterName = $"$p{index}";
        }
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        DbConnection connection = store switch
        {
            PostgresStateStore postgres => postgres.DataSource.CreateConnection(),
            SqliteStateStore sqlite => new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = sqlite.Path, DefaultTimeout = 30, Pooling = true }.ToString()),
            _ => throw new NotSupportedException($"The incident history needs the SQLite or PostgreSQL state store, not {store.GetType().Name}."),
        };
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
