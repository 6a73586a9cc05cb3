using System.Data.Common;
using Dashboard.Server.State;

namespace Dashboard.Server.SmokeTests;

/// <summary>Who holds an endpoint's smoke-test lock: the run, the replica it runs on, who started it, until when.</summary>
public sealed record SmokeTestLock(string Endpoint, string RunId, string Replica, string RunBy, DateTimeOffset ExpiresAt);

/// <summary>What <see cref="SmokeTestLocks.TryAcquireAsync"/> found: the lock taken, or who holds it, or too many runs.</summary>
public sealed record SmokeTestLockResult(bool Acquired, SmokeTestLock? Holder, int Running);

/// <summary>
/// The one-smoke-test-per-endpoint lock and the cap on runs at once, over every replica that shares the state store
/// (table <c>dashboard_smoke_locks</c>, one row per endpoint under test). The holder renews its row while the run lasts
/// (every <see cref="RenewEvery"/>) and deletes it when the run ends or is stopped; a holder that dies stops renewing,
/// and its row no longer counts once <see cref="TimeToLive"/> has passed, so another replica may test the endpoint then.
/// Taking the lock is one statement (an upsert that only replaces an expired row), so two replicas racing for one
/// endpoint get one lock between them.
/// </summary>
public sealed class SmokeTestLocks(IStateStore store, StateSchema schema, string replica, TimeProvider time)
{
    /// <summary>How long a lock outlives its last renewal: the longest an endpoint stays locked after its holder died.</summary>
    public static readonly TimeSpan TimeToLive = TimeSpan.FromSeconds(15);

    /// <summary>How often the holder renews: three renewals fit in <see cref="TimeToLive"/>, so one slow write loses nothing.</summary>
    public static readonly TimeSpan RenewEvery = TimeToLive / 3;

    public static StateMigration Migration { get; } = new(
        "2026-12-03-06-smoke-test-locks",
        """
        CREATE TABLE IF NOT EXISTS dashboard_smoke_locks (
            endpoint TEXT PRIMARY KEY,
            run_id TEXT NOT NULL,
            replica TEXT NOT NULL,
            run_by TEXT NOT NULL,
            expires_at INTEGER NOT NULL);
        """,
        """
        CREATE TABLE IF NOT EXISTS dashboard_smoke_locks (
            endpoint text PRIMARY KEY,
            run_id text NOT NULL,
            replica text NOT NULL,
            run_by text NOT NULL,
            expires_at bigint NOT NULL);
        """);

    /// <summary>This replica, as the lock records it (the name in the Lease).</summary>
    public string Replica => replica;

    /// <summary>
    /// Takes the endpoint's lock for <paramref name="runId"/> unless a live lock holds it, or <paramref name="maxRunning"/>
    /// live locks exist over all endpoints (then nothing is taken).
    /// </summary>
    public async Task<SmokeTestLockResult> TryAcquireAsync(string endpoint, string runId, string runBy, int maxRunning, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await OpenAsync(cancellationToken);
        if (await HolderAsync(connection, endpoint, now, cancellationToken) is { } holder)
        {
            return new SmokeTestLockResult(false, holder, 0);
        }
        await using (var count = connection.CreateCommand())
        {
            count.CommandText = "SELECT COUNT(*) FROM dashboard_smoke_locks WHERE expires_at > @now;";
            Add(count, "@now", now.ToUnixTimeMilliseconds());
            var running = Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            if (running >= maxRunning)
            {
                return new SmokeTestLockResult(false, null, running);
            }
        }
        await using var take = connection.CreateCommand();
        take.CommandText = """
            INSERT INTO dashboard_smoke_locks (endpoint, run_id, replica, run_by, expires_at) VALUES (@endpoint, @run, @replica, @by, @expires)
            ON CONFLICT (endpoint) DO UPDATE SET run_id = excluded.run_id, replica = excluded.replica, run_by = excluded.run_by,
                expires_at = excluded.expires_at
            WHERE dashboard_smoke_locks.expires_at <= @now;
            """;
        Add(take, "@endpoint", endpoint);
        Add(take, "@run", runId);
        Add(take, "@replica", replica);
        Add(take, "@by", runBy);
        Add(take, "@expires", (now + TimeToLive).ToUnixTimeMilliseconds());
        Add(take, "@now", now.ToUnixTimeMilliseconds());
        if (await take.ExecuteNonQueryAsync(cancellationToken) == 1)
        {
            return new SmokeTestLockResult(true, null, 0);
        }
        // Another replica took it between the look and the upsert.
        return new SmokeTestLockResult(false, await HolderAsync(connection, endpoint, now, cancellationToken), 0);
    }

    /// <summary>Extends the run's lock; false when it is no longer the run's (it expired and another replica took it).</summary>
    public async Task<bool> RenewAsync(string endpoint, string runId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE dashboard_smoke_locks SET expires_at = @expires WHERE endpoint = @endpoint AND run_id = @run;";
        Add(command, "@expires", (time.GetUtcNow() + TimeToLive).ToUnixTimeMilliseconds());
        Add(command, "@endpoint", endpoint);
        Add(command, "@run", runId);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Gives the run's lock up (only its own: a lock another run took after expiry stays).</summary>
    public async Task ReleaseAsync(string endpoint, string runId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM dashboard_smoke_locks WHERE endpoint = @endpoint AND run_id = @run;";
        Add(command, "@endpoint", endpoint);
        Add(command, "@run", runId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The live lock of an endpoint, if any.</summary>
    public async Task<SmokeTestLock?> HolderAsync(string endpoint, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await HolderAsync(connection, endpoint, time.GetUtcNow(), cancellationToken);
    }

    private static async Task<SmokeTestLock?> HolderAsync(DbConnection connection, string endpoint, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT run_id, replica, run_by, expires_at FROM dashboard_smoke_locks WHERE endpoint = @endpoint AND expires_at > @now;";
        Add(command, "@endpoint", endpoint);
        Add(command, "@now", now.ToUnixTimeMilliseconds());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new SmokeTestLock(endpoint, reader.GetString(0), reader.GetString(1), reader.GetString(2), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)))
            : null;
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
