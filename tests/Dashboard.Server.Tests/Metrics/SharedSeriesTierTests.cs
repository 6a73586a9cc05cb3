using Dashboard.Server.Aws.CloudWatch;
using Dashboard.Server.Metrics;
using Dashboard.Server.State;
using Dashboard.Server.Tests.Authentication.Sessions;
using Dashboard.Server.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Dashboard.Server.Tests.Metrics;

/// <summary>
/// Two replicas' chart caches over one PostgreSQL (a schema of this test's own; skipped without
/// <c>DASHBOARD_TEST_POSTGRES</c>): a series one replica read is served to the other from the store, and two replicas
/// asked for the same chart at once make one CloudWatch read between them.
/// </summary>
public sealed class SharedSeriesTierTests : IAsyncLifetime
{
    private static readonly DateTimeOffset End = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 60 * 60);
    private PostgresTestSchema? _schema;
    private NpgsqlDataSource? _a;
    private NpgsqlDataSource? _b;
    private string? _connectionString;

    public async Task InitializeAsync()
    {
        _schema = await PostgresTestSchema.CreateAsync("dashboard_series");
        _connectionString = _schema.ConnectionString;
        if (_connectionString is null)
        {
            return;
        }
        _a = NpgsqlDataSource.Create(_connectionString);
        _b = NpgsqlDataSource.Create(_connectionString);
        var store = new PostgresStateStore(_a, NullLogger<PostgresStateStore>.Instance);
        await new StateSchema(store, [SharedSeriesMigrations.Series], NullLogger<StateSchema>.Instance).EnsureMigratedAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_connectionString is null)
        {
            return;
        }
        await _a!.DisposeAsync();
        await _b!.DisposeAsync();
        await _schema!.DisposeAsync();
    }

    /// <summary>A CloudWatch shared by the replicas (as AWS is): counts calls, answers when released.</summary>
    private sealed class CountingCloudWatch : ICloudWatchClient
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<MetricDataResponse> GetMetricDataAsync(IReadOnlyList<MetricDataQuery> queries, DateTimeOffset startTime, DateTimeOffset endTime,
            ScanBy? scanBy = null, int? maxDatapoints = null, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            await Release.Task;
            return new MetricDataResponse
            {
                MetricDataResults = [.. queries.Select((q, i) => new MetricDataResult
                {
                    Id = q.Id,
                    Timestamps = [startTime, startTime.AddSeconds(q.MetricStat!.Period)],
                    Values = [i * 10, (i * 10) + 1],
                })],
            };
        }
    }

    private static List<SeriesKey> Chart() =>
    [
        .. Enumerable.Range(0, 6).Select(i => new SeriesKey("AWS/ApplicationELB", "Metric" + i, "Sum", "LoadBalancer=app/web/0123456789abcdef", End.AddHours(-1), End, 60)),
    ];

    private (MetricSeriesCache A, MetricSeriesCache B) Replicas(ICloudWatchClient cloudWatch) =>
        (new MetricSeriesCache(cloudWatch, TimeProvider.System, new PostgresSeriesTier(_a!, "replica-a", TimeProvider.System)),
         new MetricSeriesCache(cloudWatch, TimeProvider.System, new PostgresSeriesTier(_b!, "replica-b", TimeProvider.System)));

    [SkippableFact]
    public async Task A_series_one_replica_read_is_served_to_the_other_from_the_store()
    {
        Skip.If(_connectionString is null, $"No PostgreSQL server: set {PostgresTicketStoreTests.EnvironmentVariable} (test.sh starts one).");
        var cloudWatch = new CountingCloudWatch();
        cloudWatch.Release.SetResult();
        var (a, b) = Replicas(cloudWatch);
        var keys = Chart();

        var first = await a.GetAsync(keys, CancellationToken.None);
        var second = await b.GetAsync(keys, CancellationToken.None);

        Assert.Equal(1, cloudWatch.Calls);
        Assert.Equal(keys.Count, b.SharedHits);
        Assert.All(keys, key => Assert.Equal(first[key].Values.ToArray(), second[key].Values.ToArray()));
        Assert.All(keys, key => Assert.Equal(first[key].ReusableUntil.ToUnixTimeMilliseconds(), second[key].ReusableUntil.ToUnixTimeMilliseconds()));
        Assert.Equal(0, a.SharedFailures + b.SharedFailures);
    }

    [SkippableFact]
    public async Task Two_replicas_asked_for_the_same_chart_at_once_make_one_CloudWatch_read()
    {
        Skip.If(_connectionString is null, $"No PostgreSQL server: set {PostgresTicketStoreTests.EnvironmentVariable} (test.sh starts one).");
        var cloudWatch = new CountingCloudWatch();
        var (a, b) = Replicas(cloudWatch);
        var keys = Chart();

        var readingA = a.GetAsync(keys, CancellationToken.None);
        await Dashboard.Server.Tests.ScaleOut.Until.TrueAsync(() => cloudWatch.Calls == 1, "replica a asks CloudWatch");
        var readingB = b.GetAsync(keys, CancellationToken.None);
        cloudWatch.Release.SetResult();
        var (fromA, fromB) = (await readingA, await readingB);

        Assert.Equal(1, cloudWatch.Calls);
        Assert.All(keys, key => Assert.Equal(fromA[key].Values.ToArray(), fromB[key].Values.ToArray()));
        Assert.Equal(keys.Count, b.SharedHits);
    }
}
