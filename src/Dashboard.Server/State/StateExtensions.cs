using Dashboard.Server.Authentication.Sessions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dashboard.Server.State;

/// <summary>The state store (<see cref="IStateStore"/>): chosen by configuration, migrated at start, holding the Data Protection keys.</summary>
public static class StateExtensions
{
    /// <summary>The application name Data Protection isolates keys by: the same on every replica.</summary>
    public const string DataProtectionApplicationName = "endpoint-dashboard";

    /// <summary>
    /// The state settings: <c>ConnectionStrings:Dashboard</c> (the standard place, environment <c>ConnectionStrings__Dashboard</c>)
    /// wins over <c>Dashboard:State:PostgresConnectionString</c>; neither means the SQLite file.
    /// </summary>
    public static DashboardStateOptions ReadStateOptions(IConfiguration configuration)
    {
        var state = configuration.GetSection(DashboardStateOptions.SectionName).Get<DashboardStateOptions>() ?? new DashboardStateOptions();
        if (configuration.GetConnectionString("Dashboard") is { Length: > 0 } connectionString && !string.IsNullOrWhiteSpace(connectionString))
        {
            state.PostgresConnectionString = connectionString;
        }
        return state;
    }

    public static WebApplicationBuilder AddDashboardState(this WebApplicationBuilder builder)
    {
        builder.Services.AddDashboardState(builder.Configuration);
        return builder;
    }

    /// <summary>
    /// Registers the <see cref="IStateStore"/> (PostgreSQL when a connection string is set, else SQLite), the schema
    /// migrations (<see cref="AddStateMigration"/> adds more) applied before anything else reads the store, and the Data
    /// Protection key ring kept in it.
    /// </summary>
    public static IServiceCollection AddDashboardState(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(IStateStore)))
        {
            return services;
        }
        var state = ReadStateOptions(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IStateStore>(sp => string.IsNullOrWhiteSpace(state.PostgresConnectionString)
            ? new SqliteStateStore(state.EffectiveSqlitePath)
            : new PostgresStateStore(NpgsqlDataSource.Create(state.PostgresConnectionString), sp.GetRequiredService<ILogger<PostgresStateStore>>()));
        services.AddStateMigration(StateMigrations.Documents);
        services.AddStateMigration(StateMigrations.DataProtectionKeys);
        services.AddSingleton<StateSchema>();
        services.AddHostedService<StateSchemaInitializer>();

        services.AddDataProtection().SetApplicationName(DataProtectionApplicationName);
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(options =>
            options.XmlRepository = new DataProtectionKeyRepository(sp.GetRequiredService<IStateStore>(), sp.GetRequiredService<StateSchema>())));
        return services;
    }

    /// <summary>Adds a schema step, applied at start (once) before the store is used. For features that keep their own tables.</summary>
    public static IServiceCollection AddStateMigration(this IServiceCollection services, StateMigration migration)
    {
        services.AddSingleton(migration);
        return services;
    }
}

/// <summary>Applies the registered migrations once per process, whoever asks first (the start-up, or the Data Protection key ring).</summary>
public sealed partial class StateSchema(IStateStore store, IEnumerable<StateMigration> migrations, ILogger<StateSchema> logger)
{
    private readonly Lazy<Task> _migrated = new(() => MigrateAsync(store, [.. migrations], logger));

    public Task EnsureMigratedAsync(CancellationToken cancellationToken) => _migrated.Value.WaitAsync(cancellationToken);

    private static async Task MigrateAsync(IStateStore store, IReadOnlyList<StateMigration> migrations, ILogger logger)
    {
        var duplicate = migrations.GroupBy(m => m.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two state migrations share the id '{duplicate.Key}'; give each its own.");
        }
        await store.MigrateAsync(migrations, CancellationToken.None);
        LogReady(logger, store.Description, migrations.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "State store ready: {Store}, {Count} schema steps applied or present")]
    private static partial void LogReady(ILogger logger, string store, int count);
}

/// <summary>Migrates the store at start, so a broken or unreachable database stops start-up with its reason.</summary>
internal sealed class StateSchemaInitializer(StateSchema schema) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => schema.EnsureMigratedAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
