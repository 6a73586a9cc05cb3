using Dashboard.Client.Changes;
using Dashboard.Client.Model;
using Dashboard.Server.Audit;
using Dashboard.Server.Tests.Authentication.Sessions;
using Npgsql;

namespace Dashboard.Server.Tests.Changes;

/// <summary>What every audit store must do: keep each record whole, find it, filter and order the list, refuse to overwrite.</summary>
public abstract class AuditStoreContract : IAsyncLifetime
{
    private IAuditStore? _store;

    protected abstract Task<IAuditStore?> CreateStoreAsync();

    protected virtual string SkipReason => string.Empty;

    public async Task InitializeAsync()
    {
        _store = await CreateStoreAsync();
        if (_store is not null)
        {
            await _store.EnsureCreatedAsync(CancellationToken.None);
            // Start-up runs it on every start: a second call must leave the table as it is.
            await _store.EnsureCreatedAsync(CancellationToken.None);
        }
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;

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
}

public sealed class SqliteAuditStoreTests : AuditStoreContract
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "dashboard-tests", $"audit-{Guid.NewGuid():N}.db");

    protected override Task<IAuditStore?> CreateStoreAsync() => Task.FromResult<IAuditStore?>(new SqliteAuditStore(_path));

    public override Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
        return Task.CompletedTask;
    }
}

/// <summary>The contract on PostgreSQL (<c>DASHBOARD_TEST_POSTGRES</c>, a schema of its own dropped afterwards); skipped with the reason without it.</summary>
public sealed class PostgresAuditStoreTests : AuditStoreContract
{
    private readonly string _schema = $"dashboard_audit_test_{Guid.NewGuid():N}";
    private NpgsqlDataSource? _dataSource;
    private string _skipReason = $"No PostgreSQL server: set {PostgresTicketStoreTests.EnvironmentVariable} to a connection string to run these tests.";

    protected override string SkipReason => _skipReason;

    protected override async Task<IAuditStore?> CreateStoreAsync()
    {
        var connectionString = Environment.GetEnvironmentVariable(PostgresTicketStoreTests.EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return null;
        }
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString) { Timeout = 5 };
            await using (var admin = NpgsqlDataSource.Create(builder.ConnectionString))
            await using (var create = admin.CreateCommand($"CREATE SCHEMA {_schema};"))
            {
                await create.ExecuteNonQueryAsync();
            }
            builder.SearchPath = _schema;
            _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
            return new PostgresAuditStore(_dataSource);
        }
        catch (NpgsqlException exception)
        {
            _skipReason = $"The PostgreSQL server of {PostgresTicketStoreTests.EnvironmentVariable} did not answer ({exception.Message}).";
            return null;
        }
    }

    public override async Task DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await using (var drop = _dataSource.CreateCommand($"DROP SCHEMA {_schema} CASCADE;"))
            {
                await drop.ExecuteNonQueryAsync();
            }
            await _dataSource.DisposeAsync();
        }
    }
}
