using Dashboard.Client.Changes;
using Npgsql;
using NpgsqlTypes;

namespace Dashboard.Server.Audit;

/// <summary>The audit trail in PostgreSQL (<c>Dashboard:State:PostgresConnectionString</c>), table <c>dashboard_audit</c>.</summary>
public sealed class PostgresAuditStore(NpgsqlDataSource dataSource) : IAuditStore
{
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            CREATE TABLE IF NOT EXISTS dashboard_audit (
                change_id text PRIMARY KEY,
                at_utc timestamptz NOT NULL,
                user_name text NOT NULL,
                namespace text NOT NULL,
                object text NOT NULL,
                record jsonb NOT NULL);
            CREATE INDEX IF NOT EXISTS dashboard_audit_at ON dashboard_audit (at_utc);
            """);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task AppendAsync(ChangeRecord record, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO dashboard_audit (change_id, at_utc, user_name, namespace, object, record) VALUES ($1, $2, $3, $4, $5, $6);");
        command.Parameters.Add(new NpgsqlParameter { Value = record.ChangeId });
        command.Parameters.Add(new NpgsqlParameter { Value = record.At.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter { Value = record.User });
        command.Parameters.Add(new NpgsqlParameter { Value = record.Object.Namespace });
        command.Parameters.Add(new NpgsqlParameter { Value = record.Object.ToString() });
        command.Parameters.Add(new NpgsqlParameter { Value = AuditJson.Write(record), NpgsqlDbType = NpgsqlDbType.Jsonb });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<ChangeRecord?> FindAsync(string changeId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT record::text FROM dashboard_audit WHERE change_id = $1;");
        command.Parameters.Add(new NpgsqlParameter { Value = changeId });
        return await command.ExecuteScalarAsync(cancellationToken) is string json ? AuditJson.Read(json) : null;
    }

    public async Task<IReadOnlyList<ChangeRecord>> ListAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT record::text FROM dashboard_audit
            WHERE ($1::text IS NULL OR namespace = $1) AND ($2::text IS NULL OR user_name = $2)
              AND ($3::text IS NULL OR object = $3) AND ($4::timestamptz IS NULL OR at_utc >= $4)
            ORDER BY at_utc DESC, change_id DESC LIMIT $5;
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.Namespace ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.User ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.Object ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.Since?.UtcDateTime ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = query.Limit });
        var records = new List<ChangeRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(AuditJson.Read(reader.GetString(0)));
        }
        return records;
    }
}
