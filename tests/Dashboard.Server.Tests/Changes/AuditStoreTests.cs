using System.Data.Common;
using Dashboard.Client.Changes;
using Dashboard.Client.Model;
using Dashboard.Server.Audit;
using Dashboard.Server.State;

namespace Dashboard.Server.Tests.Changes;

/// <summary>
/// What the audit trail must do in either database of the state store: keep each record whole, find it, filter and order
/// the list, refuse to overwrite, and keep the records written before it moved into the state store's migrations.
/// </summary>
public abstract class AuditStoreContract : IAsyncLifetime
{
    private TestStateStore? _database;
    private IStateStore? _state;
    private IAuditStore? _store;

    protected abstract Task<(TestStateStore? Store, string SkipReason)> CreateDatabaseAsync();

    private string SkipReason { get; set; } = "";

    public async Task InitializeAsync()
    {
        (_database, SkipReason) = await CreateDatabaseAsync();
        if (_database is not null)
        {
            var (state, schema) = _database.Open();
            _state = state;
            // Nothing migrated yet: the first call of the store applies the steps (the legacy test writes before that).
            _store = new StateAuditStore(state, schema);
        }
    }

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private static ChangeRecord Record(string id, DateTimeOffset at, string user, string ns, string outcome = ChangeOutcomes.Applied) => new()
    {
        ChangeId = id,
        PlanId = "p-" + id,
        At = at,
        User = user,
        Roles = ["Viewer", "Operator"],
        Action = ChangeActions.Reconfigure,
        Object = new ObjectRef(ObjectKind.Service, ns, "web"),
        Objects = [new ObjectRef(ObjectKind.Service, ns, "web")],
        Outcome = outcome,
        Error = outcome == ChangeOutcomes.Applied ? null : "409: conflict",
        Diff = "-    path: /a\n+    path: /b\n",
        DryRun = "service/x/web: ok",
        RequestId = "req-" + id,
        ClientAddress = "10.0.0.1",
        Request = new ChangeRequest { Action = ChangeActions.Reconfigure, HealthCheck = new HealthCheckRequest { Path = "/b" } },
        Previous = "{\"request\":{}}",
    };

    [SkippableFact]
    public async Task A_record_comes_back_whole()
    {
        Skip.If(_store is null, SkipReason);
        var record = Record("c-1", T0, "alice", "shop");
        await _store!.AppendAsync(record, CancellationToken.None);

        var found = await _store.FindAsync("c-1", CancellationToken.None);

        Assert.NotNull(found);
        Assert.Equal(record.Diff, found.Diff);
        Assert.Equal(record.Object, found.Object);
        Assert.Equal(["Viewer", "Operator"], found.Roles.ToArray());
        Assert.Equal("/b", found.Request?.HealthCheck?.Path);
        Assert.Equal(record.At, found.At);
        Assert.Null(await _store.FindAsync("c-missing", CancellationToken.None));
    }

    [SkippableFact]
    public async Task The_list_is_newest_first_and_filters_by_namespace_user_object_and_time()
    {
        Skip.If(_store is null, SkipReason);
        await _store!.AppendAsync(Record("c-a", T0, "alice", "shop"), CancellationToken.None);
        await _store.AppendAsync(Record("c-b", T0.AddMinutes(1), "bob", "shop", ChangeOutcomes.Conflicted), CancellationToken.None);
        await _store.AppendAsync(Record("c-c", T0.AddMinutes(2), "alice", "payments"), CancellationToken.None);

        Assert.Equal(["c-c", "c-b", "c-a"], (await _store.ListAsync(new AuditQuery(), CancellationToken.None)).Select(r => r.ChangeId));
        Assert.Equal(["c-b", "c-a"], (await _store.ListAsync(new AuditQuery { Namespace = "shop" }, CancellationToken.None)).Select(r => r.ChangeId));
        Assert.Equal(["c-c", "c-a"], (await _store.ListAsync(new AuditQuery { User = "alice" }, CancellationToken.None)).Select(r => r.ChangeId));
        Assert.Equal(["c-c"], (await _store.ListAsync(new AuditQuery { Object = "service/payments/web" }, CancellationToken.None)).Select(r => r.ChangeId));
        Assert.Equal(["c-c", "c-b"], (await _store.ListAsync(new AuditQuery { Since = T0.AddSeconds(30) }, CancellationToken.None)).Select(r => r.ChangeId));
        Assert.Equal(["c-c"], (await _store.ListAsync(new AuditQuery { Limit = 1 }, CancellationToken.None)).Select(r => r.ChangeId));
    }

    [SkippableFact]
    public async Task A_record_is_never_replaced()
    {
        Skip.If(_store is null, SkipReason);
        await _store!.AppendAsync(Record("c-once", T0, "alice", "shop"), CancellationToken.None);

        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => _store.AppendAsync(Record("c-once", T0, "mallory", "shop"), CancellationToken.None));
        Assert.Equal("alice", (await _store.FindAsync("c-once", CancellationToken.None))?.User);
    }

    [SkippableFact]
    public async Task Records_written_by_the_audit_store_before_the_state_store_migrations_stay_readable()
    {
        Skip.If(_store is null, SkipReason);
        // The table and a row exactly as the audit trail's own boilerplate created them before (no migration row).
        var legacy = Record("c-legacy", T0, "olga", "shop");
        await using (var connection = await _state!.OpenConnectionAsync(CancellationToken.None))
        {
            var postgres = _state.Dialect == StateDialect.PostgreSql;
            await Execute(connection, postgres
                ? "CREATE TABLE dashboard_audit (change_id text PRIMARY KEY, at_utc timestamptz NOT NULL, user_name text NOT NULL, namespace text NOT NULL, object text NOT NULL, record jsonb NOT NULL);"
                : "CREATE TABLE dashboard_audit (change_id TEXT PRIMARY KEY, at_utc INTEGER NOT NULL, user_name TEXT NOT NULL, namespace TEXT NOT NULL, object TEXT NOT NULL, record TEXT NOT NULL);");
            await Execute(connection, postgres
                ? "INSERT INTO dashboard_audit VALUES ('c-legacy', '2026-12-01T10:00:00Z', 'olga', 'shop', 'service/shop/web', CAST(@record AS jsonb));"
                : $"INSERT INTO dashboard_audit VALUES ('c-legacy', {T0.ToUnixTimeMilliseconds()}, 'olga', 'shop', 'service/shop/web', @record);",
                AuditJson.Write(legacy));
        }

        var found = await _store!.FindAsync("c-legacy", CancellationToken.None);
        await _store.AppendAsync(Record("c-new", T0.AddMinutes(1), "alice", "shop"), CancellationToken.None);

        Assert.Equal("olga", found?.User);
        Assert.Equal(legacy.Diff, found?.Diff);
        Assert.Equal(["c-new", "c-legacy"], (await _store.ListAsync(new AuditQuery { Namespace = "shop" }, CancellationToken.None)).Select(r => r.ChangeId));
        Assert.Contains(AuditMigrations.AuditTable.Id, await _state.AppliedMigrationsAsync(CancellationToken.None));
    }

    private static async Task Execute(DbConnection connection, string sql, string? record = null)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (record is not null)
        {
            StateAuditStore.Add(command, "@record", record);
        }
        await command.ExecuteNonQueryAsync();
    }
}

public sealed class SqliteAuditStoreTests : AuditStoreContract
{
    protected override Task<(TestStateStore? Store, string SkipReason)> CreateDatabaseAsync() => Task.FromResult<(TestStateStore?, string)>((TestStateStore.Sqlite(), ""));
}

/// <summary>The contract on PostgreSQL (<c>DASHBOARD_TEST_POSTGRES</c>, a schema of its own dropped afterwards); skipped with the reason without it.</summary>
public sealed class PostgresAuditStoreTests : AuditStoreContract
{
    protected override Task<(TestStateStore? Store, string SkipReason)> CreateDatabaseAsync() => TestStateStore.PostgresAsync();
}
