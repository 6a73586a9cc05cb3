using Dashboard.Server.SmokeTests;
using Dashboard.Server.State;
using Dashboard.Server.Tests.Changes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Dashboard.Server.Tests.SmokeTests;

/// <summary>
/// The one-smoke-test-per-endpoint lock over replicas: two replicas (each its own store object and connections) on one
/// database, the clock faked so expiry is exact.
/// </summary>
public abstract class SmokeTestLockContract : IAsyncLifetime
{
    private const string Endpoint = "Service/mlops/retail-forecast-nlb";
    private const string OtherEndpoint = "Ingress/mlops/retail-forecast-alb-ingress";
    private const string ThirdEndpoint = "Ingress/mlops/retail-forecast-alb-advanced";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));
    private TestStateStore? _database;
    private string _skipReason = string.Empty;

    /// <summary>The shared database; null with the reason when it is not reachable.</summary>
    protected abstract Task<(TestStateStore? Store, string SkipReason)> CreateDatabaseAsync();

    public async Task InitializeAsync() => (_database, _skipReason) = await CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    private SmokeTestLocks Replica(string name)
    {
        var (store, _) = _database!.Open();
        var schema = new StateSchema(store, [.. TestStateStore.Migrations, SmokeTestLocks.Migration], NullLogger<StateSchema>.Instance);
        return new SmokeTestLocks(store, schema, name, _time);
    }

    [SkippableFact]
    public async Task A_second_replica_is_refused_the_endpoint_while_the_first_runs_and_gets_it_once_released()
    {
        Skip.If(_database is null, _skipReason);
        var a = Replica("replica-a");
        var b = Replica("replica-b");

        var first = await a.TryAcquireAsync(Endpoint, "st-a1", "olivia", maxRunning: 2, CancellationToken.None);
        var second = await b.TryAcquireAsync(Endpoint, "st-b1", "oscar", maxRunning: 2, CancellationToken.None);

        Assert.True(first.Acquired);
        Assert.False(second.Acquired);
        Assert.Equal(("st-a1", "replica-a", "olivia"), (second.Holder!.RunId, second.Holder.Replica, second.Holder.RunBy));

        await a.ReleaseAsync(Endpoint, "st-a1", CancellationToken.None);
        Assert.True((await b.TryAcquireAsync(Endpoint, "st-b2", "oscar", 2, CancellationToken.None)).Acquired);
        Assert.Equal("replica-b", (await a.HolderAsync(Endpoint, CancellationToken.None))?.Replica);
    }

    [SkippableFact]
    public async Task The_cap_on_runs_at_once_counts_every_replica()
    {
        Skip.If(_database is null, _skipReason);
        var a = Replica("replica-a");
        var b = Replica("replica-b");

        Assert.True((await a.TryAcquireAsync(Endpoint, "st-a1", "olivia", 2, CancellationToken.None)).Acquired);
        Assert.True((await b.TryAcquireAsync(OtherEndpoint, "st-b1", "oscar", 2, CancellationToken.None)).Acquired);
        var third = await a.TryAcquireAsync(ThirdEndpoint, "st-a2", "olivia", 2, CancellationToken.None);

        Assert.False(third.Acquired);
        Assert.Null(third.Holder);
        Assert.Equal(2, third.Running);
        Assert.Null(await b.HolderAsync(ThirdEndpoint, CancellationToken.None));
    }

    [SkippableFact]
    public async Task Replicas_racing_for_one_endpoint_get_one_lock_between_them()
    {
        Skip.If(_database is null, _skipReason);
        var replicas = Enumerable.Range(0, 6).Select(i => Replica($"replica-{i}")).ToList();
        await replicas[0].HolderAsync(Endpoint, CancellationToken.None);

        var results = await Task.WhenAll(replicas.Select((r, i) => r.TryAcquireAsync(Endpoint, $"st-{i}", "olivia", 10, CancellationToken.None)));

        var winner = Assert.Single(results, r => r.Acquired);
        var holder = await replicas[0].HolderAsync(Endpoint, CancellationToken.None);
        Assert.NotNull(holder);
        Assert.All(results.Where(r => !r.Acquired), r => Assert.True(r.Holder is null || r.Holder.RunId == holder.RunId));
        Assert.Same(winner, results[int.Parse(holder.RunId[3..], System.Globalization.CultureInfo.InvariantCulture)]);
    }

    [SkippableFact]
    public async Task A_lock_its_holder_stops_renewing_expires_and_the_old_holder_cannot_renew_or_release_the_new_one()
    {
        Skip.If(_database is null, _skipReason);
        var a = Replica("replica-a");
        var b = Replica("replica-b");
        Assert.True((await a.TryAcquireAsync(Endpoint, "st-a1", "olivia", 2, CancellationToken.None)).Acquired);

        // Renewed while it runs: still held a whole time-to-live after it began.
        _time.Advance(SmokeTestLocks.TimeToLive - TimeSpan.FromSeconds(1));
        Assert.True(await a.RenewAsync(Endpoint, "st-a1", CancellationToken.None));
        _time.Advance(SmokeTestLocks.TimeToLive - TimeSpan.FromSeconds(1));
        Assert.False((await b.TryAcquireAsync(Endpoint, "st-b1", "oscar", 2, CancellationToken.None)).Acquired);

        // The holder died (no more renewals): once the time to live passed, the other replica takes the endpoint.
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await b.TryAcquireAsync(Endpoint, "st-b1", "oscar", 2, CancellationToken.None)).Acquired);
        Assert.False(await a.RenewAsync(Endpoint, "st-a1", CancellationToken.None));
        await a.ReleaseAsync(Endpoint, "st-a1", CancellationToken.None);
        Assert.Equal("st-b1", (await b.HolderAsync(Endpoint, CancellationToken.None))?.RunId);
    }
}

/// <summary>The contract on a SQLite file two store objects share (as two processes on one file would).</summary>
public sealed class SqliteSmokeTestLockTests : SmokeTestLockContract
{
    protected override Task<(TestStateStore? Store, string SkipReason)> CreateDatabaseAsync() => Task.FromResult<(TestStateStore?, string)>((TestStateStore.Sqlite(), ""));
}

/// <summary>The contract on PostgreSQL (<c>DASHBOARD_TEST_POSTGRES</c>; skipped without it).</summary>
public sealed class PostgresSmokeTestLockTests : SmokeTestLockContract
{
    protected override Task<(TestStateStore? Store, string SkipReason)> CreateDatabaseAsync() => TestStateStore.PostgresAsync();
}
