using System.Data.Common;
using Dashboard.Client.Changes;
using Dashboard.Server.State;

namespace Dashboard.Server.Audit;

/// <summary>
/// The audit trail in the state store (<see cref="IStateStore"/>), table <c>dashboard_audit</c>: INSERT and SELECT only,
/// so a record is never replaced. Time is kept as the dialect's native type (SQLite: Unix milliseconds; PostgreSQL:
/// timestamptz), the record as JSON (PostgreSQL: jsonb).
/// </summary>
public sealed class StateAuditStore(IStateStore store, StateSchema schema) : IAuditStore
{
    private bool Postgres => store.Dialect == StateDialect.PostgreSql;

    public async Task AppendAsync(ChangeRecord record, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = Postgres
            ? "INSERT INTO dashboard_audit (change_id, at_utc, user_name, namespace, object, record) VALUES (@id, @at, @user, @ns, @object, CAST(@record AS jsonb));"
            : "INSERT INTO dashboard_audit (change_id, at_utc, user_name, namespace, object, record) VALUES (@id, @at, @user, @ns, @object, @record);";
        Add(command, "@id", record.ChangeId);
        Add(command, "@at", Time(record.At));
        Add(command, "@user", record.User);
        Add(command, "@ns", record.Object.Namespace);
        Add(command, "@object", record.Object.ToString());
        Add(command, "@record", AuditJson.Write(record));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<ChangeRecord?> FindAsync(string changeId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {RecordColumn} FROM dashboard_audit WHERE change_id = @id;";
        Add(command, "@id", changeId);
        return await command.ExecuteScalarAsync(cancellationToken) is string json ? AuditJson.Read(json) : null;
    }

    public async Task<IReadOnlyList<ChangeRecord>> ListAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // PostgreSQL must be told the type of a parameter that may be NULL; SQLite has no such casts.
        var (text, time) = Postgres ? ("::text", "::timestamptz") : ("", "");
        command.CommandText = $"""
            SELECT {RecordColumn} FROM dashboard_audit
            WHERE (@ns{text} IS NULL OR namespace = @ns) AND (@user{text} IS NULL OR user_name = @user)
              AND (@object{text} IS NULL OR object = @object) AND (@since{time} IS NULL OR at_utc >= @since)
            ORDER BY at_utc DESC, change_id DESC LIMIT @limit;
            """;
        Add(command, "@ns", query.Namespace);
        Add(command, "@user", query.User);
        Add(command, "@object", query.Object);
        Add(command, "@since", query.Since is { } since ? Time(since) : null);
        Add(command, "@limit", query.Limit);
        var records = new List<ChangeRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(AuditJson.Read(reader.GetString(0)));
        }
        return records;
    }

    private string RecordColumn => Postgres ? "record::text" : "record";

    private object Time(DateTimeOffset at) => Postgres ? at.UtcDateTime : at.ToUnixTimeMilliseconds();

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await schema.EnsureMigratedAsync(cancellationToken);
        return await store.OpenConnectionAsync(cancellationToken);
    }

    internal static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
