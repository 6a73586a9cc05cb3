using Dashboard.Server.Authentication.Sessions;
using Dashboard.Server.State;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Dashboard.Server.Tests.Authentication.Sessions;

/// <summary>
/// The contract on PostgreSQL, in a schema of its own that is dropped afterwards. The server comes from
/// <c>DASHBOARD_TEST_POSTGRES</c> (a connection string); without it, or when the server does not answer, every test is
/// skipped and says why.
/// </summary>
public sealed class PostgresTicketStoreTests : TicketStoreContract
{
    public const string EnvironmentVariable = "DASHBOARD_TEST_POSTGRES";

    private readonly string _schema = $"dashboard_test_{Guid.NewGuid():N}";
    private NpgsqlDataSource? _dataSource;
    private string _skipReason = $"No PostgreSQL server: set {EnvironmentVariable} to a connection string (e.g. Host=127.0.0.1;Username=postgres;Password=…) to run these tests.";

    protected override string SkipReason => _skipReason;

    protected override async Task<ISessionStore?> CreateStoreAsync()
    {
        var connectionString = Environment.GetEnvironmentVariable(EnvironmentVariable);
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
            return Sessions(new PostgresStateStore(_dataSource, NullLogger<PostgresStateStore>.Instance));
        }
        catch (NpgsqlException exception)
        {
            _skipReason = $"The PostgreSQL server of {EnvironmentVariable} did not answer ({exception.Message}).";
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
