using System.Text.Json;
using Dashboard.Client.Changes;

namespace Dashboard.Server.Audit;

/// <summary>
/// The audit trail of guided changes: append and read, never edit or delete. Kept in the dashboard's one state
/// database (<see cref="State.IStateStore"/>: a SQLite file by default, PostgreSQL when <c>ConnectionStrings:Dashboard</c>
/// is set), table <c>dashboard_audit</c>, created by <see cref="AuditMigrations"/>.
/// </summary>
public interface IAuditStore
{
    Task AppendAsync(ChangeRecord record, CancellationToken cancellationToken);

    Task<ChangeRecord?> FindAsync(string changeId, CancellationToken cancellationToken);

    /// <summary>Newest first, filtered by <paramref name="query"/>.</summary>
    Task<IReadOnlyList<ChangeRecord>> ListAsync(AuditQuery query, CancellationToken cancellationToken);
}

/// <summary>The one JSON form of a record in either database.</summary>
internal static class AuditJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Write(ChangeRecord record) => JsonSerializer.Serialize(record, Options);

    public static ChangeRecord Read(string json) => JsonSerializer.Deserialize<ChangeRecord>(json, Options)!;
}
