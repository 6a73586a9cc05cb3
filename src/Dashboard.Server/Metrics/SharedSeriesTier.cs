using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dashboard.Server.State;
using Npgsql;
using NpgsqlTypes;

namespace Dashboard.Server.Metrics;

/// <summary>
/// The second level of <see cref="MetricSeriesCache"/> when several replicas share a PostgreSQL store: a series one
/// replica read from CloudWatch is reused by the others until it expires, and a series being read is claimed, so
/// replicas asked for the same chart at the same moment make one CloudWatch read between them, not one each
/// (charts do not multiply CloudWatch calls by replicas). Absent with SQLite (one replica).
/// </summary>
public interface ISharedSeriesTier
{
    /// <summary>The series still reusable at <paramref name="now"/>, of those asked.</summary>
    Task<IReadOnlyDictionary<SeriesKey, CachedSeries>> ReadAsync(IReadOnlyCollection<SeriesKey> keys, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Claims the series nobody holds or reads now; returns those this replica should read itself.</summary>
    Task<IReadOnlySet<SeriesKey>> ClaimAsync(IReadOnlyCollection<SeriesKey> keys, DateTimeOffset now, TimeSpan hold, CancellationToken cancellationToken);

    /// <summary>Stores what this replica read (and ends its claims).</summary>
    Task WriteAsync(IReadOnlyDictionary<SeriesKey, CachedSeries> series, CancellationToken cancellationToken);

    /// <summary>Gives claims up after a failed read, so another replica (or the next viewer) reads at once.</summary>
    Task ReleaseAsync(IReadOnlyCollection<SeriesKey> keys, CancellationToken cancellationToken);
}

/// <summary>The series tier's table (both dialects, so the schema is one; only PostgreSQL uses it).</summary>
public static class SharedSeriesMigrations
{
    public static StateMigration Series { get; } = new(
        "2026-12-03-11-metric-series",
        """
        CREATE TABLE IF NOT EXISTS dashboard_metric_series (
            key TEXT PRIMARY KEY,
            content TEXT NULL,
            read_at INTEGER NOT NULL,
            reusable_until INTEGER NOT NULL,
            claimed_by TEXT NULL,
            claimed_until INTEGER NULL);
        """,
        """
        CREATE TABLE IF NOT EXISTS dashboard_metric_series (
            key text PRIMARY KEY,
            content text NULL,
            read_at bigint NOT NULL,
            reusable_until bigint NOT NULL,
            claimed_by text NULL,
            claimed_until bigint NULL);
        """);
}

/// <summary>The shared series tier in PostgreSQL (<c>dashboard_metric_series</c>; times in Unix milliseconds).</summary>
public sealed class PostgresSeriesTier(NpgsqlDataSource dataSource, string replica, TimeProvider time) : ISharedSeriesTier
{
    /// <summary>Rows expired this long ago are deleted (at most once per this interval, by whoever writes).</summary>
    private static readonly TimeSpan Sweep = TimeSpan.FromMinutes(10);
    private DateTimeOffset _swept = DateTimeOffset.MinValue;

    internal static string Hash(SeriesKey key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(
        $"{key.Namespace}\n{key.MetricName}\n{key.Stat}\n{key.Dimensions}\n{key.Start.ToUnixTimeSeconds()}\n{key.End.ToUnixTimeSeconds()}\n{key.Period}")));

    public async Task<IReadOnlyDictionary<SeriesKey, CachedSeries>> ReadAsync(IReadOnlyCollection<SeriesKey> keys, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var byHash = keys.Distinct().ToDictionary(Hash, k => k, StringComparer.Ordinal);
        await using var command = dataSource.CreateCommand(
            "SELECT key, content, read_at, reusable_until FROM dashboard_metric_series WHERE key = ANY($1) AND content IS NOT NULL AND reusable_until > $2;");
        command.Parameters.Add(new NpgsqlParameter { Value = byHash.Keys.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = now.ToUnixTimeMilliseconds() });
        var found = new Dictionary<SeriesKey, CachedSeries>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var points = JsonSerializer.Deserialize<StoredPoints>(reader.GetString(1));
            if (points is null || !byHash.TryGetValue(reader.GetString(0), out var key))
            {
                continue;
            }
            found[key] = new CachedSeries([.. points.T], [.. points.V],
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)));
        }
        return found;
    }

    public async Task<IReadOnlySet<SeriesKey>> ClaimAsync(IReadOnlyCollection<SeriesKey> keys, DateTimeOffset now, TimeSpan hold, CancellationToken cancellationToken)
    {
        var byHash = keys.Distinct().ToDictionary(Hash, k => k, StringComparer.Ordinal);
        // One statement: a key nobody has is inserted as claimed; one that expired and is not being read is re-claimed;
        // one fresh or claimed by another replica is left alone (and not returned).
        await using var command = dataSource.CreateCommand("""
            INSERT INTO dashboard_metric_series (key, content, read_at, reusable_until, claimed_by, claimed_until)
            SELECT k, NULL, 0, 0, $2, $3 FROM unnest($1::text[]) AS k
            ON CONFLICT (key) DO UPDATE SET claimed_by = excluded.claimed_by, claimed_until = excluded.claimed_until
            WHERE dashboard_metric_series.reusable_until <= $4
              AND (dashboard_metric_series.claimed_until IS NULL OR dashboard_metric_series.claimed_until <= $4)
            RETURNING key;
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = byHash.Keys.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = replica });
        command.Parameters.Add(new NpgsqlParameter { Value = (now + hold).ToUnixTimeMilliseconds() });
        command.Parameters.Add(new NpgsqlParameter { Value = now.ToUnixTimeMilliseconds() });
        var mine = new HashSet<SeriesKey>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            mine.Add(byHash[reader.GetString(0)]);
        }
        return mine;
    }

    public async Task WriteAsync(IReadOnlyDictionary<SeriesKey, CachedSeries> series, CancellationToken cancellationToken)
    {
        if (series.Count == 0)
        {
            return;
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var (key, value) in series)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("""
                INSERT INTO dashboard_metric_series (key, content, read_at, reusable_until, claimed_by, claimed_until) VALUES ($1, $2, $3, $4, NULL, NULL)
                ON CONFLICT (key) DO UPDATE SET content = excluded.content, read_at = excluded.read_at, reusable_until = excluded.reusable_until,
                    claimed_by = NULL, claimed_until = NULL;
                """)
            {
                Parameters =
                {
                    new NpgsqlParameter { Value = Hash(key) },
                    new NpgsqlParameter { Value = JsonSerializer.Serialize(new StoredPoints([.. value.Times], [.. value.Values])) },
                    new NpgsqlParameter { Value = value.ReadAt.ToUnixTimeMilliseconds() },
                    new NpgsqlParameter { Value = value.ReusableUntil.ToUnixTimeMilliseconds() },
                },
            });
        }
        var now = time.GetUtcNow();
        if (now - _swept >= Sweep)
        {
            _swept = now;
            batch.BatchCommands.Add(new NpgsqlBatchCommand("DELETE FROM dashboard_metric_series WHERE reusable_until < $1 AND (claimed_until IS NULL OR claimed_until < $1);")
            {
                Parameters = { new NpgsqlParameter { Value = (now - Sweep).ToUnixTimeMilliseconds() } },
            });
        }
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task ReleaseAsync(IReadOnlyCollection<SeriesKey> keys, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE dashboard_metric_series SET claimed_by = NULL, claimed_until = NULL WHERE key = ANY($1) AND claimed_by = $2;");
        command.Parameters.Add(new NpgsqlParameter { Value = keys.Select(Hash).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = replica });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private sealed record StoredPoints(long[] T, double[] V);
}
