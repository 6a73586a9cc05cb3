using Dashboard.Server.Tests.Authentication.Sessions;
using Npgsql;

namespace Dashboard.Server.Tests.Support;

/// <summary>
/// A schema of one test's own on the PostgreSQL server test.sh starts (<c>DASHBOARD_TEST_POSTGRES</c>), dropped with
/// everything in it afterwards; absent (with the reason to skip) when no server is configured or it does not answer.
/// </summary>
internal sealed class PostgresTestSchema : IAsyncDisposable
{
    private readonly string _schema;

    private PostgresTestSchema(string? connectionString, string schema, string skipReason)
    {
        ConnectionString = connectionString;
        _schema = schema;
        SkipReason = skipReason;
    }

    /// <summary>The connection string with the schema as search path, or null when the tests are to be skipped.</summary>
    public string? ConnectionString { get; }

    /// <summary>Why <see cref="ConnectionString"/> is null.</summary>
    public string SkipReason { get; }

    public static async Task<PostgresTestSchema> CreateAsync(string prefix)
    {
        var schema = $"{prefix}_{Guid.NewGuid():N}";
        var connectionString = Environment.GetEnvironmentVariable(PostgresTicketStoreTests.EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return new(null, schema, $"No PostgreSQL server: set {PostgresTicketStoreTests.EnvironmentVariable} (test.sh starts one) to run these tests.");
        }
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Timeout = 5 };
        try
        {
            await using var admin = NpgsqlDataSource.Create(builder.ConnectionString);
            await using var create = admin.CreateCommand($"CREATE SCHEMA {schema};");
            await create.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException exception)
        {
            return new(null, schema, $"The PostgreSQL server of {PostgresTicketStoreTests.EnvironmentVariable} did not answer ({exception.Message}).");
        }
        builder.SearchPath = schema;
        return new(builder.ConnectionString, schema, "");
    }

    public async ValueTask DisposeAsync()
    {
        if (ConnectionString is null)
        {
            return;
        }
        NpgsqlConnection.ClearAllPools();
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString) { SearchPath = null };
        await using var admin = NpgsqlDataSource.Create(builder.ConnectionString);
        await using var drop = admin.CreateCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE;");
        await drop.ExecuteNonQueryAsync();
    }
}
