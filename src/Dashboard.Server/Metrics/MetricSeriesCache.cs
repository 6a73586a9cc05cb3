using System.Collections.Concurrent;
using System.Collections.Immutable;
using Dashboard.Client.Metrics;
using Dashboard.Server.Aws.CloudWatch;
using Npgsql;

namespace Dashboard.Server.Metrics;

/// <summary>One series of one read: a metric with its dimensions and statistic over [Start, End) at Period.</summary>
public sealed record SeriesKey(string Namespace, string MetricName, string Stat, string Dimensions, DateTimeOffset Start, DateTimeOffset End, int Period)
{
    /// <summary>Dimensions as "Name=Value" joined by '|', in the order CloudWatch is sent them.</summary>
    public static string DimensionText(IEnumerable<Dimension> dimensions) => string.Join('|', dimensions.Select(d => $"{d.Name}={d.Value}"));

    public IReadOnlyList<Dimension> ParseDimensions() =>
        [.. Dimensions.Split('|', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).Select(p => new Dimension(p[0], p[1]))];
}

/// <summary>A series as read, with when and until when it may be reused.</summary>
public sealed record CachedSeries(ImmutableArray<long> Times, ImmutableArray<double> Values, DateTimeOffset ReadAt, DateTimeOffset ReusableUntil);

/// <summary>
/// The one shared series cache (docs/metrics.md): keyed by (series, range, period); an entry is reused until a new period
/// can exist in its range (live ranges) or for <see cref="HistoricalLifetime"/> (ranges whose data is final). A read of
/// several series fetches every missing one in ONE GetMetricData call (the client splits at 500 queries and follows
/// NextToken); a series another read is already fetching is awaited, not fetched again, so any number of viewers of the
/// same charts cost the calls of one. Bounded by size, not count (a 1-day series of 1-minute points weighs 1,440 times a
/// 1-point one): past <see cref="MaxPoints"/> datapoints (<see cref="MetricsOptions.CachePoints"/>) the least recently used
/// series go first, down to 90 % of the bound.
/// With several replicas on one PostgreSQL store, a second level (<see cref="ISharedSeriesTier"/>) is asked before
/// CloudWatch: a series another replica read (or is reading) is taken from the store, so the replicas together cost the
/// calls of one; if the store fails, the read goes to CloudWatch directly.
/// </summary>
public sealed class MetricSeriesCache(ICloudWatchClient cloudWatch, TimeProvider time, ISharedSeriesTier? shared = null, MetricsFreshness? freshness = null,
    Microsoft.Extensions.Options.IOptions<MetricsOptions>? options = null)
{
    /// <summary>How long a replica's claim on a series it reads holds; another replica waits at most this long for it.</summary>
    public static readonly TimeSpan SharedClaimHold = TimeSpan.FromSeconds(10);

    /// <summary>How often a replica waiting for another's read looks for it in the store.</summary>
    private static readonly TimeSpan SharedPoll = TimeSpan.FromMilliseconds(100);

    /// <summary>What a series weighs beyond its points (its key, the task, the bookkeeping: about 256 bytes), so empty series count too.</summary>
    public const int EntryOverheadPoints = 16;

    /// <summary>The bound in datapoints (<see cref="MetricsOptions.CachePoints"/>).</summary>
    public long MaxPoints { get; } = Math.Max(options?.Value.CachePoints ?? new MetricsOptions().CachePoints, 1);

    /// <summary>How long a range that ended more than <see cref="SettleTime"/> ago is reused: its data no longer changes.</summary>
    public static readonly TimeSpan HistoricalLifetime = TimeSpan.FromMinutes(30);

    /// <summary>How long after a minute its ELB data may still change (real CloudWatch publishes 1–3 minutes late).</summary>
    public static readonly TimeSpan SettleTime = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<SeriesKey, Entry> _entries = new();
    private readonly Lock _weights = new();
    private long _calls;
    private long _points;
    private long _uses;
    private long _evicted;

    /// <summary>Datapoints held (with <see cref="EntryOverheadPoints"/> per series), at most <see cref="MaxPoints"/> once a read settles.</summary>
    public long Points => Interlocked.Read(ref _points);

    /// <summary>Series dropped to stay within <see cref="MaxPoints"/>.</summary>
    public long Evicted => Interlocked.Read(ref _evicted);

    /// <summary>Whether the series is held (read or being read), without counting as a use.</summary>
    public bool Contains(SeriesKey key) => _entries.ContainsKey(key);

    /// <summary>GetMetricData reads this cache has made (each may be several HTTP requests when paged or over 500 queries).</summary>
    public long Reads => Interlocked.Read(ref _calls);

    public int Count => _entries.Count;

    private long _sharedHits;
    private long _sharedFailures;

    /// <summary>Series taken from the shared tier (read by another replica) instead of CloudWatch.</summary>
    public long SharedHits => Interlocked.Read(ref _sharedHits);

    /// <summary>Reads where the shared tier failed and CloudWatch was asked directly.</summary>
    public long SharedFailures => Interlocked.Read(ref _sharedFailures);

    /// <summary>
    /// The series for every key, from the cache where reusable, the rest in one read. A failed read fails every waiter
    /// and leaves nothing cached, so the next viewer retries.
    /// </summary>
    public async Task<IReadOnlyDictionary<SeriesKey, CachedSeries>> GetAsync(IReadOnlyCollection<SeriesKey> keys, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var waits = new Dictionary<SeriesKey, Task<CachedSeries>>();
        var mine = new Dictionary<SeriesKey, TaskCompletionSource<CachedSeries>>();
        var added = new List<Entry>();
        foreach (var key in keys.Distinct())
        {
            while (true)
            {
                if (_entries.TryGetValue(key, out var existing))
                {
                    var task = existing.Task;
                    if (!task.IsCompleted || (task.IsCompletedSuccessfully && task.Result.ReusableUntil > now))
                    {
                        existing.LastUse = Interlocked.Increment(ref _uses);
                        waits[key] = task;
                        break;
                    }
                    Remove(key, existing);
                    continue;
                }
                var source = new TaskCompletionSource<CachedSeries>(TaskCreationOptions.RunContinuationsAsynchronously);
                var entry = new Entry(source.Task) { LastUse = Interlocked.Increment(ref _uses) };
                if (_entries.TryAdd(key, entry))
                {
                    mine[key] = source;
                    waits[key] = source.Task;
                    added.Add(entry);
                    _ = WeighAsync(entry);
                    break;
                }
            }
        }
        if (mine.Count > 0)
        {
            // The read runs to completion for everyone waiting on it, even if this caller goes away.
            _ = FetchAsync(mine, now);
        }
        var result = new Dictionary<SeriesKey, CachedSeries>();
        foreach (var (key, task) in waits)
        {
            result[key] = await task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        // The series this call added are weighed before it returns (the continuation may not have run yet), so the bound
        // holds when a read is answered.
        foreach (var entry in added)
        {
            Weigh(entry);
        }
        if (added.Count > 0 && Interlocked.Read(ref _points) > MaxPoints)
        {
            Trim();
        }
        return result;
    }

    /// <summary>Until when a series of [start, end) read at <paramref name="readAt"/> may be reused.</summary>
    public static DateTimeOffset ReusableUntil(DateTimeOffset start, DateTimeOffset end, int period, DateTimeOffset readAt) =>
        end + SettleTime < readAt
            ? readAt + HistoricalLifetime
            // Live: until the next period boundary, when a new datapoint can exist (at least 15 s, so a burst of viewers shares it).
            : Max(MetricPeriods.AlignDown(readAt, period).AddSeconds(period), readAt.AddSeconds(15));

    private async Task FetchAsync(Dictionary<SeriesKey, TaskCompletionSource<CachedSeries>> all, DateTimeOffset now)
    {
        var mine = shared is null ? all : await FromSharedAsync(all, now).ConfigureAwait(false);
        if (mine.Count == 0)
        {
            return;
        }
        var fetched = new Dictionary<SeriesKey, CachedSeries>();
        try
        {
            // One call per (start, end): GetMetricData has one time range per request. A page asks for one range.
            foreach (var group in mine.GroupBy(p => (p.Key.Start, p.Key.End)))
            {
                var list = group.ToList();
                var queries = list.Select((p, i) => new MetricDataQuery
                {
                    Id = "q" + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    MetricStat = new MetricStat
                    {
                        Metric = new Metric { Namespace = p.Key.Namespace, MetricName = p.Key.MetricName, Dimensions = p.Key.ParseDimensions() },
                        Period = p.Key.Period,
                        Stat = p.Key.Stat,
                    },
                    ReturnData = true,
                }).ToList();
                Interlocked.Increment(ref _calls);
                var response = await cloudWatch.GetMetricDataAsync(queries, group.Key.Start, group.Key.End, ScanBy.TimestampAscending).ConfigureAwait(false);
                var readAt = time.GetUtcNow();
                var byId = response.MetricDataResults.ToDictionary(r => r.Id, StringComparer.Ordinal);
                RecordFreshness(list.Select((p, i) => (p.Key, byId.GetValueOrDefault(queries[i].Id))), readAt);
                for (var i = 0; i < list.Count; i++)
                {
                    var (key, source) = list[i];
                    var points = byId.TryGetValue(queries[i].Id, out var r)
                        ? r.Timestamps.Zip(r.Values).OrderBy(p => p.First).ToList()
                        : [];
                    var series = new CachedSeries(
                        [.. points.Select(p => p.First.ToUnixTimeSeconds())], [.. points.Select(p => p.Second)],
                        readAt, ReusableUntil(key.Start, key.End, key.Period, readAt));
                    fetched[key] = series;
                    source.TrySetResult(series);
                }
            }
            if (shared is not null)
            {
                await SharedAsync(() => shared.WriteAsync(fetched, CancellationToken.None)).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            if (shared is not null)
            {
                await SharedAsync(() => shared.ReleaseAsync([.. mine.Keys], CancellationToken.None)).ConfigureAwait(false);
            }
            foreach (var (key, source) in mine.Where(p => !p.Value.Task.IsCompleted))
            {
                if (_entries.TryGetValue(key, out var entry) && entry.Task == source.Task)
                {
                    Remove(key, entry);
                }
                source.TrySetException(ex);
            }
        }
    }

    /// <summary>
    /// Completes from the shared tier what another replica read, claims the rest, waits (bounded) for what another replica
    /// is reading now; returns what this replica must read from CloudWatch. A failing store sends everything to CloudWatch.
    /// </summary>
    private async Task<Dictionary<SeriesKey, TaskCompletionSource<CachedSeries>>> FromSharedAsync(
        Dictionary<SeriesKey, TaskCompletionSource<CachedSeries>> all, DateTimeOffset now)
    {
        var open = new HashSet<SeriesKey>(all.Keys);
        void Complete(IReadOnlyDictionary<SeriesKey, CachedSeries> found)
        {
            foreach (var (key, series) in found)
            {
                if (open.Remove(key))
                {
                    all[key].TrySetResult(series);
                    Interlocked.Increment(ref _sharedHits);
                }
            }
        }
        try
        {
            Complete(await shared!.ReadAsync(all.Keys, now, CancellationToken.None).ConfigureAwait(false));
            if (open.Count == 0)
            {
                return [];
            }
            var claimed = new HashSet<SeriesKey>(await shared.ClaimAsync(open, now, SharedClaimHold, CancellationToken.None).ConfigureAwait(false));
            var deadline = time.GetUtcNow() + SharedClaimHold;
            while (open.Count > claimed.Count && time.GetUtcNow() < deadline)
            {
                // Another replica is reading these right now: its answer lands in the store within a CloudWatch round trip.
                await Task.Delay(SharedPoll, time).ConfigureAwait(false);
                Complete(await shared.ReadAsync([.. open.Where(k => !claimed.Contains(k))], time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false));
            }
            // Whatever is still open (ours, or the other replica gave up) is read here.
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException or System.Net.Sockets.SocketException or IOException)
        {
            Interlocked.Increment(ref _sharedFailures);
        }
        return all.Where(p => open.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value);
    }

    private async Task SharedAsync(Func<Task> write)
    {
        try
        {
            await write().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException or System.Net.Sockets.SocketException or IOException)
        {
            // The series is in this replica's cache; the others read it themselves this time.
            Interlocked.Increment(ref _sharedFailures);
        }
    }

    /// <summary>A live read tells whether each balancer it covered still publishes (the checklist's "Monitoring present").</summary>
    private void RecordFreshness(IEnumerable<(SeriesKey Key, MetricDataResult? Result)> results, DateTimeOffset readAt)
    {
        if (freshness is null)
        {
            return;
        }
        foreach (var balancer in results.Where(r => r.Key.End + SettleTime >= readAt)
                     .GroupBy(r => r.Key.ParseDimensions().FirstOrDefault(d => d.Name == "LoadBalancer")?.Value)
                     .Where(g => g.Key is not null))
        {
            var newest = balancer.SelectMany(r => r.Result?.Timestamps ?? []).DefaultIfEmpty().Max();
            freshness.Record(balancer.Key!, newest == default ? null : newest, readAt);
        }
    }

    /// <summary>Counts a series' points once it is read, then keeps the cache within <see cref="MaxPoints"/>.</summary>
    private async Task WeighAsync(Entry entry)
    {
        try
        {
            await entry.Task.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // A failed read is removed where it failed; it weighed nothing.
            return;
        }
        if (Weigh(entry) > 0 && Interlocked.Read(ref _points) > MaxPoints)
        {
            Trim();
        }
    }

    /// <summary>Counts a read series' points once (whoever comes first: the reader or the continuation); 0 if already counted or dropped.</summary>
    private long Weigh(Entry entry)
    {
        if (!entry.Task.IsCompletedSuccessfully)
        {
            return 0;
        }
        lock (_weights)
        {
            if (entry.Removed || entry.Weight > 0)
            {
                return 0;
            }
            entry.Weight = entry.Task.Result.Times.Length + EntryOverheadPoints;
            _points += entry.Weight;
            return entry.Weight;
        }
    }

    private bool Remove(SeriesKey key, Entry entry)
    {
        if (!_entries.TryRemove(new KeyValuePair<SeriesKey, Entry>(key, entry)))
        {
            return false;
        }
        lock (_weights)
        {
            entry.Removed = true;
            _points -= entry.Weight;
        }
        return true;
    }

    /// <summary>Drops the least recently used read series until the cache holds at most 90 % of <see cref="MaxPoints"/>.</summary>
    private void Trim()
    {
        lock (_trim)
        {
            var target = MaxPoints - (MaxPoints / 10);
            if (Interlocked.Read(ref _points) <= MaxPoints)
            {
                return;
            }
            // Sorting every held series is O(n log n) but runs only when the bound is crossed, and then frees 10 % at once.
            foreach (var (key, entry) in _entries.Where(e => e.Value.Weight > 0).OrderBy(e => e.Value.LastUse).ToList())
            {
                if (Interlocked.Read(ref _points) <= target)
                {
                    break;
                }
                if (Remove(key, entry))
                {
                    Interlocked.Increment(ref _evicted);
                }
            }
        }
    }

    private readonly Lock _trim = new();

    /// <summary>A held series: its read (running or done), when it was last asked for, and what it weighs once read.</summary>
    private sealed class Entry(Task<CachedSeries> task)
    {
        public Task<CachedSeries> Task { get; } = task;

        public long LastUse { get; set; }

        /// <summary>Points + overhead once read (0 while reading); guarded by the cache's weight lock.</summary>
        public long Weight { get; set; }

        public bool Removed { get; set; }
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
