using Dashboard.Client.Model;
using Dashboard.Client.SmokeTests;
using Dashboard.Client.Verify;
using Dashboard.Server.SmokeTests;
using Dashboard.Server.State;
using Dashboard.Server.Tests.Changes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Dashboard.Server.Tests.SmokeTests;

/// <summary>
/// Smoke-test figures and stop requests over replicas: two replicas (each its own store object and connections) on one
/// database, the clock faked so a replica that stopped writing is exact.
/// </summary>
public abstract class SmokeTestRunStoreContract : IAsyncLifetime
{
    private static readonly ObjectRef Endpoint = new(ObjectKind.Ingress, "mlops", "retail-forecast-alb-ingress");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));
    private TestStateStore? _database;
    private string _skipReason = string.Empty;

    protected abstract Task<(TestStateStore? Store, string SkipReason)> CreateDatabaseAsync();

    public async Task InitializeAsync() => (_database, _skipReason) = await CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    private SmokeTestRunStore Replica(string name)
    {
        var (store, _) = _database!.Open();
        var schema = new StateSchema(store, [.. TestStateStore.Migrations, SmokeTestRunStore.Migration], NullLogger<StateSchema>.Instance);
        return new SmokeTestRunStore(store, schema, name, _time);
    }

    private SmokeTestStatus Run(string id, string state, long requests) => new()
    {
        Id = id,
        Endpoint = Endpoint,
        Target = new VerifyTarget
        {
            Id = "alb|80|forecast.example.com", LoadBalancer = "alb", Scheme = "http", Host = "forecast.example.com", Port = 80,
            Listener = "HTTP:80", DefaultPath = "/", BalancerScheme = "internet-facing",
        },
        Url = "http://forecast.example.com/",
        Settings = new SmokeTestSettings(5, 30, 2, "GET", "/", 200),
        State = state,
        StartedAt = _time.GetUtcNow(),
        RunBy = "olivia",
        Requests = requests,
        LatencyMs = new LatencyFigures(1, 2, 3, 4),
    };

    [SkippableFact]
    public async Task Figures_written_by_one_replica_are_read_by_another_and_a_stop_request_reaches_the_writer()
    {
        Skip.If(_database is null, _skipReason);
        var (a, b) = (Replica("replica-a"), Replica("replica-b"));

        Assert.Null(await a.PublishAsync(Run("st-1", "running", 0), CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await a.PublishAsync(Run("st-1", "running", 5), CancellationToken.None));
        var seen = await b.GetAsync("st-1", CancellationToken.None);
        Assert.Equal((5L, "replica-a", "running"), (seen!.Status.Requests, seen.Replica, b.Describe(seen).State));
        Assert.Equal("st-1", (await b.RunningAsync(Endpoint.Key, CancellationToken.None))?.Status.Id);

        // The first stop request is kept (it names who stopped the run); the writer reads it with its next write.
        Assert.True(await b.RequestStopAsync("st-1", "oscar", CancellationToken.None));
        Assert.True(await b.RequestStopAsync("st-1", "peter", CancellationToken.None));
        Assert.Equal("oscar", await a.PublishAsync(Run("st-1", "running", 6), CancellationToken.None));

        // Ended: no stop request counts any more, the result stays readable, and it is no longer the endpoint's running test.
        Assert.Equal("oscar", await a.PublishAsync(Run("st-1", "stopped", 6) with { StopReason = "stopped by oscar" }, CancellationToken.None));
        Assert.False(await b.RequestStopAsync("st-1", "oscar", CancellationToken.None));
        Assert.Equal("stopped by oscar", (await b.GetAsync("st-1", CancellationToken.None))!.Status.StopReason);
        Assert.Null(await b.RunningAsync(Endpoint.Key, CancellationToken.None));
        Assert.False(await b.RequestStopAsync("st-unknown", "oscar", CancellationToken.None));
        Assert.Null(await b.GetAsync("st-unknown", CancellationToken.None));
    }

    [SkippableFact]
    public async Task A_run_whose_replica_stopped_writing_reads_as_stopped_with_the_reason_and_cannot_be_stopped()
    {
        Skip.If(_database is null, _skipReason);
        var (a, b) = (Replica("replica-a"), Replica("replica-b"));
        await a.PublishAsync(Run("st-2", "running", 40), CancellationToken.None);
        var writtenAt = _time.GetUtcNow();

        // Within the lock's time to live it is running; after it (replica-a died or restarted mid-run), it is not.
        _time.Advance(SmokeTestLocks.TimeToLive);
        Assert.Equal("running", b.Describe((await b.GetAsync("st-2", CancellationToken.None))!).State);
        _time.Advance(TimeSpan.FromSeconds(1));
        var described = b.Describe((await b.GetAsync("st-2", CancellationToken.None))!);
        Assert.Equal(("stopped", writtenAt, 40L), (described.State, described.EndedAt, described.Requests));
        Assert.Contains("replica replica-a stopped reporting this run", described.StopReason, StringComparison.Ordinal);
        Assert.False(described.Passed);
        Assert.False(await b.RequestStopAsync("st-2", "oscar", CancellationToken.None));
        Assert.Null(await b.RunningAsync(Endpoint.Key, CancellationToken.None));
    }

    [SkippableFact]
    public async Task Rows_of_runs_older_than_the_keep_period_are_pruned()
    {
        Skip.If(_database is null, _skipReason);
        var a = Replica("replica-a");
        await a.PublishAsync(Run("st-old", "done", 10), CancellationToken.None);
        _time.Advance(SmokeTestRunStore.KeepFor + TimeSpan.FromMinutes(1));
        await a.PublishAsync(Run("st-new", "done", 10), CancellationToken.None);

        await a.PruneAsync(CancellationToken.None);

        Assert.Null(await a.GetAsync("st-old", CancellationToken.None));
        Assert.NotNull(await a.GetAsync("st-new", CancellationToken.None));
    }
}

/// <summary>The contract on a SQLite file two store objects share (as two processes on one file would).</summary>
public sealed class SqliteSmokeTestRunStoreTests : SmokeTestRunStoreContract
{
    protected override Task<(TestStateStore? Store, string SkipReason)> CreateDatabaseAsync() => Task.FromResult<(TestStateStore?, string)>((TestStateStore.Sqlite(), ""));
}

/// <summary>The contract on PostgreSQL (<c>DASHBOARD_TEST_POSTGRES</c>; skipped without it).</summary>
public sealed class PostgresSmokeTestRunStoreTests : SmokeTestRunStoreContract
{
    protected override Task<(TestStateStore? Store, string SkipReason)> CreateDatabaseAsync() => TestStateStore.PostgresAsync();
}
