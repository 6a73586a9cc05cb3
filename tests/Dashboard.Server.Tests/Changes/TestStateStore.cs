using Dashboard.Server.Audit;
using Dashboard.Server.Changes;
using Dashboard.Server.State;
using Dashboard.Server.Tests.Authentication.Sessions;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Dashboard.Server.Tests.Changes;

/// <summary>
/// A state store for the guided-change tests, as the server registers it (the same migrations): a SQLite file of the
/// test's own, or PostgreSQL (<c>DASHBOARD_TEST_POSTGRES</c>, a schema of the test's own dropped afterwards). Several
/// <see cref="Open"/>ed instances on one database play several replicas.
/// </summary>
public sealed class TestStateStore : IAsyncDisposable
{
    private readonly List<NpgsqlDataSource> _dataSources = [];
    private readonly string? _postgres;
    private readonly string? _sqlitePath;
    private readonly string? _schema;

    private TestStateStore(string? sqlitePath, string? postgres, string? schema)
    {
        _sqlitePath = sqlitePath;
        _postgres = postgres;
        _schema = schema;
    }

    public static StateMigration[] Migrations => [StateMigrations.Documents, StateMigrations.DataProtectionKeys, AuditMigrations.AuditTable, PlanStore.Migration];

    public static TestStateStore Sqlite(string? path = null) =>
        new(path ?? Path.Combine(Path.GetTempPath(), "dashboard-tests", $"changes-{Guid.NewGuid():N}.db"), null, null);

    /// <summary>PostgreSQL, or null with the reason the tests are skipped.</summary>
    public static async Task<(TestStateStore? Store, string SkipReason)> PostgresAsync()
    {
        var connectionString = Environment.GetEnvironmentVariable(PostgresTicketStoreTests.EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return (null, $"No PostgreSQL server: set {PostgresTicketStoreTests.EnvironmentVariable} (test.sh starts one) to run these tests.");
        }
        var schema = $"dashboard_changes_test_{Guid.NewGuid():N}";
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString) { Timeout = 5 };
            await using (var admin = NpgsqlDataSource.Create(builder.ConnectionString))
            await using (var create = admin.CreateCommand($"CREATE SCHEMA {schema};"))
            {
                await create.ExecuteNonQueryAsync();
            }
            builder.SearchPath = schema;
            return (new TestStateStore(null, builder.ConnectionString, schema), "");
        }
        catch (NpgsqlException exception)
        {
            return (null, $"The PostgreSQL server of {PostgresTicketStoreTests.EnvironmentVariable} did not answer ({exception.Message}).");
        }
    }

    /// <summary>One replica's view: its own store object (own connections) on the shared database, and its schema step runner.</summary>
    public (IStateStore Store, StateSchema Schema) Open()
    {
        IStateStore store;
        if (_postgres is not null)
        {
            var dataSource = NpgsqlDataSource.Create(_postgres);
            _dataSources.Add(dataSource);
            store = new PostgresStateStore(dataSource, NullLogger<PostgresStateStore>.Instance);
        }
        else
        {
            store = new SqliteStateStore(_sqlitePath!);
        }
        return (store, new StateSchema(store, Migrations, NullLogger<StateSchema>.Instance));
    }

    /// <summary>The audit trail of a server's SQLite state file, read by a store of its own.</summary>
    public static IAuditStore SqliteAudit(string path)
    {
        var store = new SqliteStateStore(path);
        return new StateAuditStore(store, new StateSchema(store, Migrations, NullLogger<StateSchema>.Instance));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var dataSource in _dataSources)
        {
            await dataSource.DisposeAsync();
        }
        if (_postgres is not null)
        {
            NpgsqlConnection.ClearAllPools();
            var builder = new NpgsqlConnectionStringBuilder(_postgres) { SearchPath = null };
            await using var admin = NpgsqlDataSource.Create(builder.ConnectionString);
            await using var drop = admin.CreateCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE;");
            await drop.ExecuteNonQueryAsync();
        }
        if (_sqlitePath is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { _sqlitePath, _sqlitePath + "-wal", _sqlitePath + "-shm" })
            {
                File.Delete(file);
            }
        }
    }
}
