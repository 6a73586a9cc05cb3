using Dashboard.Client.Changes;
using Dashboard.Client.Feed;
using Dashboard.Client.Model;
using Dashboard.Server.Audit;
using Dashboard.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dashboard.Server.Tests.Changes;

/// <summary>
/// The live view of the audit trail (IDashboardFeed.Audit, the endpoint page's Changes section): an append is pushed to
/// subscribers, a restart starts from the stored records, and on PostgreSQL a record one replica appends reaches another.
/// </summary>
public abstract class AuditFeedContract : IAsyncLifetime
{
    private readonly List<AuditFeed> _feeds = [];
    private TestStateStore? _database;

    protected abstract Task<(TestStateStore? Store, string SkipReason)> CreateDatabaseAsync();

    private string SkipReason { get; set; } = "";

    public async Task InitializeAsync() => (_database, SkipReason) = await CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        foreach (var feed in _feeds)
        {
            await feed.StopAsync(CancellationToken.None);
            feed.Dispose();
        }
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    /// <summary>One replica's audit feed on the shared database, started.</summary>
    private async Task<(AuditFeed Feed, bool Shared)> StartReplicaAsync()
    {
        var (state, schema) = _database!.Open();
        var feed = new AuditFeed(new StateAuditStore(state, schema), state, TimeProvider.System, NullLogger<AuditFeed>.Instance);
        _feeds.Add(feed);
        await feed.StartAsync(CancellationToken.None);
        return (feed, state.IsShared);
    }

    private static ChangeRecord Record(string id, string name = "web") => new()
    {
        ChangeId = id,
        PlanId = "p-" + id,
        At = DateTimeOffset.UtcNow,
        User = "alice",
        Action = ChangeActions.Reconfigure,
        Object = new ObjectRef(ObjectKind.Service, "shop", name),
        Outcome = ChangeOutcomes.Applied,
    };

    /// <summary>Reads batches until one holds <paramref name="changeId"/>, within <paramref name="bound"/>; null if none did.</summary>
    private static async Task<ChangeRecord?> NextWithAsync(IAsyncEnumerator<IReadOnlyList<FeedChange<ChangeRecord>>> changes, string changeId, TimeSpan bound)
    {
        using var limit = new CancellationTokenSource(bound);
        try
        {
            while (await changes.MoveNextAsync().AsTask().WaitAsync(limit.Token))
            {
                if (changes.Current.FirstOrDefault(c => c.Key == changeId)?.Item is { } record)
                {
                    return record;
                }
            }
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            // Not within the bound.
        }
        return null;
    }

    [SkippableFact]
    public async Task An_append_is_pushed_to_subscribers_and_a_restart_starts_from_the_stored_records()
    {
        Skip.If(_database is null, SkipReason);
        var (first, _) = await StartReplicaAsync();
        using var stop = new CancellationTokenSource(Patience.Eventually);
        var subscription = first.Records.Subscribe(stop.Token);
        await using var changes = subscription.Changes.GetAsyncEnumerator(stop.Token);

        await first.AppendAsync(Record("c-live"), CancellationToken.None);

        Assert.Equal("c-live", (await NextWithAsync(changes, "c-live", Patience.Eventually))?.ChangeId);
        Assert.Equal("c-live", (await first.FindAsync("c-live", CancellationToken.None))?.ChangeId);

        var (restarted, _) = await StartReplicaAsync();
        await Api.ApiScenarioFixture.WaitUntilAsync(() => Task.FromResult(restarted.Records.Snapshot.Any(r => r.ChangeId == "c-live")), "the restarted feed reads the stored record");
    }

    [SkippableFact]
    public async Task A_record_appended_on_one_replica_reaches_the_live_feed_of_another()
    {
        Skip.If(_database is null, SkipReason);
        var (writer, shared) = await StartReplicaAsync();
        Skip.IfNot(shared, "A SQLite state file belongs to one replica: there is no other to tell.");
        await writer.AppendAsync(Record("c-before"), CancellationToken.None);
        var (reader, _) = await StartReplicaAsync();
        await Api.ApiScenarioFixture.WaitUntilAsync(() => Task.FromResult(reader.Records.Snapshot.Any(r => r.ChangeId == "c-before")), "the second replica's first read");
        using var stop = new CancellationTokenSource(Patience.Eventually);
        var subscription = reader.Records.Subscribe(stop.Token);
        await using var changes = subscription.Changes.GetAsyncEnumerator(stop.Token);

        // Appended after the reader's first read, a record can only arrive through the store's notification. The reader
        // may not be listening yet when the first is written, so each attempt appends a new record and waits for it.
        ChangeRecord? heard = null;
        var deadline = DateTimeOffset.UtcNow + Patience.Eventually;
        for (var attempt = 0; heard is null && DateTimeOffset.UtcNow < deadline; attempt++)
        {
            var id = $"c-after-{attempt}";
            await writer.AppendAsync(Record(id, "web-" + attempt), CancellationToken.None);
            heard = await NextWithAsync(changes, id, Patience.Scale(TimeSpan.FromSeconds(2)));
        }

        Assert.NotNull(heard);
        Assert.Equal("alice", heard.User);
    }
}

public sealed class SqliteAuditFeedTests : AuditFeedContract
{
    protected override Task<(TestStateStore? Store, string SkipReason)> CreateDatabaseAsync() => Task.FromResult<(TestStateStore?, string)>((TestStateStore.Sqlite(), ""));
}

/// <summary>The contract on PostgreSQL (<c>DASHBOARD_TEST_POSTGRES</c>); skipped with the reason without it.</summary>
public sealed class PostgresAuditFeedTests : AuditFeedContract
{
    protected override Task<(TestStateStore? Store, string SkipReason)> CreateDatabaseAsync() => TestStateStore.PostgresAsync();
}
