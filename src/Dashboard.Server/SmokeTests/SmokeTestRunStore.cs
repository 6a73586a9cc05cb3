using System.Data.Common;
using System.Text.Json;
using Dashboard.Client.SmokeTests;
using Dashboard.Server.State;

namespace Dashboard.Server.SmokeTests;

/// <summary>A smoke test as the shared store holds it: its last published figures, who runs it, and any stop request.</summary>
public sealed record StoredSmokeRun(SmokeTestStatus Status, string Replica, DateTimeOffset UpdatedAt, string? StopRequestedBy);

/// <summary>
/// Every smoke test's figures in the shared state store (table <c>dashboard_smoke_runs</c>, one row per run), so any
/// replica can read a run and ask it to stop. The replica running a test writes its figures once a second (and its
/// result when it ends) and, with the same statement, reads whether another replica recorded a stop request; a row
/// still "running" that its replica has not written for <see cref="SmokeTestLocks.TimeToLive"/> belongs to a replica that
/// died or restarted. Rows are kept <see cref="KeepFor"/>, so a run's id answers after a restart too.
/// </summary>
public sealed class SmokeTestRunStore(IStateStore store, StateSchema schema, string replica, TimeProvider time)
{
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web);

    /// <summary>How long a finished run's row is kept.</summary>
    public static readonly TimeSpan KeepFor = TimeSpan.FromDays(30);

    public static StateMigration Migration { get; } = new(
        "2026-12-03-07-smoke-test-runs",
        """
        CREATE TABLE IF NOT EXISTS dashboard_smoke_runs (
            id TEXT PRIMARY KEY,
            endpoint TEXT NOT NULL,
            replica TEXT NOT NULL,
            state TEXT NOT NULL,
            status TEXT NOT NULL,
            updated_at INTEGER NOT NULL,
            stop_requested_by TEXT NULL);
        CREATE INDEX IF NOT EXISTS dashboard_smoke_runs_endpoint ON dashboard_smoke_runs (endpoint, state);
        """,
        """
        CREATE TABLE IF NOT EXISTS dashboard_smoke_runs (
            id text PRIMARY KEY,
            endpoint text NOT NULL,
            replica text NOT NULL,
            state text NOT NULL,
            status text NOT NULL,
            updated_at bigint NOT NULL,
            stop_requested_by text NULL);
        CREATE INDEX IF NOT EXISTS dashboard_smoke_runs_endpoint ON dashboard_smoke_runs (endpoint, state);
        """);

    /// <summary>
    /// Writes a run's figures (this replica runs it) and answers who asked it to stop, if anyone did (from any replica).
    /// </summary>
    public async Task<string?> PublishAsync(SmokeTestStatus status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO dashboard_smoke_runs (id, endpoint, replica, state, status, updated_at) VALUES (@id, @endpoint, @replica, @state, @status, @now)
            ON CONFLICT (id) DO UPDATE SET state = excluded.state, status = excluded.status, updated_at = excluded.updated_at
            RETURNING stop_requested_by;
            """;
        Add(command, "@id", status.Id);
        Add(command, "@endpoint", status.Endpoint.Key);
        Add(command, "@replica", replica);
        Add(command, "@state", status.State);
        Add(command, "@status", JsonSerializer.Serialize(status, _json));
        Add(command, "@now", time.GetUtcNow().ToUnixTimeMilliseconds());
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>
    /// Records a stop request for a run that is running on a live replica; false when there is none (unknown id, ended,
    /// or its replica stopped writing). The first request is kept: it names who stopped the run.
    /// </summary>
    public async Task<bool> RequestStopAsync(string id, string by, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE dashboard_smoke_runs SET stop_requested_by = COALESCE(stop_requested_by, @by)
            WHERE id = @id AND state = 'running' AND updated_at > @fresh;
            """;
        Add(command, "@by", by);
        Add(command, "@id", id);
        Add(command, "@fresh", (time.GetUtcNow() - SmokeTestLocks.TimeToLive).ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>A run by id, as last written by its replica.</summary>
    public async Task<StoredSmokeRun?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT status, replica, updated_at, stop_requested_by FROM dashboard_smoke_runs WHERE id = @id;";
        Add(command, "@id", id);
        return await ReadOneAsync(command, cancellationToken);
    }

    /// <summary>The newest run of an endpoint running on a live replica (one that wrote it within the lock's time to live).</summary>
    public async Task<StoredSmokeRun?> RunningAsync(string endpoint, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT status, replica, updated_at, stop_requested_by FROM dashboard_smoke_runs
            WHERE endpoint = @endpoint AND state = 'running' AND updated_at > @fresh ORDER BY updated_at DESC LIMIT 1;
            """;
        Add(command, "@endpoint", endpoint);
        Add(command, "@fresh", (time.GetUtcNow() - SmokeTestLocks.TimeToLive).ToUnixTimeMilliseconds());
        return await ReadOneAsync(command, cancellationToken);
    }

    /// <summary>Deletes the rows of runs that ended longer than <see cref="KeepFor"/> ago.</summary>
    public async Task PruneAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM dashboard_smoke_runs WHERE updated_at < @before;";
        Add(command, "@before", (time.GetUtcNow() - KeepFor).ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// What a reader should be told about a stored run: its figures, or, for a run whose replica stopped writing it
    /// while it ran, those figures ended as "stopped" with the reason (the replica died or restarted mid-run).
    /// </summary>
    public SmokeTestStatus Describe(StoredSmokeRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Status.State != "running" || time.GetUtcNow() - run.UpdatedAt <= SmokeTestLocks.TimeToLive)
        {
            return run.Status;
        }
        return run.Status with
        {
            State = "stopped",
            EndedAt = run.UpdatedAt,
            StopReason = $"replica {run.Replica} stopped reporting this run at {run.UpdatedAt:u} (it stopped or restarted); figures as of then",
        };
    }

    private static async Task<StoredSmokeRun?> ReadOneAsync(DbCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        var status = JsonSerializer.Deserialize<SmokeTestStatus>(reader.GetString(0), _json);
        return status is null
            ? null
            : new StoredSmokeRun(status, reader.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)), reader.IsDBNull(3) ? null : reader.GetString(3));
    }

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
}
