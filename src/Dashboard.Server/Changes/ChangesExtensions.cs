using Dashboard.Client.Changes;
using Dashboard.Server.Audit;
using Dashboard.Server.Authentication.Sessions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dashboard.Server.Changes;

/// <summary>Guided changes (Dashboard:Changes) and their audit trail (in the Dashboard:State database).</summary>
public static class ChangesExtensions
{
    public static WebApplicationBuilder AddDashboardChanges(this WebApplicationBuilder builder)
    {
        builder.Services.AddDashboardChanges(builder.Configuration);
        return builder;
    }

    public static IServiceCollection AddDashboardChanges(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ChangeOptions>().Bind(configuration.GetSection(ChangeOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ChangeOptions>, ValidateChangeOptions>();
        var state = configuration.GetSection(DashboardStateOptions.SectionName).Get<DashboardStateOptions>() ?? new DashboardStateOptions();
        // The same database as the sessions: one store, one place to back up.
        services.AddSingleton<IAuditStore>(_ => string.IsNullOrWhiteSpace(state.PostgresConnectionString)
            ? new SqliteAuditStore(state.EffectiveSqlitePath)
            : new PostgresAuditStore(NpgsqlDataSource.Create(state.PostgresConnectionString)));
        services.AddHostedService<AuditStoreInitializer>();
        services.AddSingleton<ChangeService>();
        services.AddSingleton<IChangeService>(sp => sp.GetRequiredService<ChangeService>());
        return services;
    }

    /// <summary>Maps /api/v1/changes and /api/v1/audit.</summary>
    public static WebApplication MapDashboardChanges(this WebApplication app)
    {
        ChangeEndpoints.Map(app);
        return app;
    }
}

/// <summary>Creates the audit table before the first request, so a broken database stops start-up with its reason.</summary>
internal sealed partial class AuditStoreInitializer(IAuditStore store, ILogger<AuditStoreInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.EnsureCreatedAsync(cancellationToken);
        LogReady(store is SqliteAuditStore sqlite ? $"SQLite {sqlite.Path}" : "PostgreSQL");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "The audit trail of guided changes is kept in {Store}")]
    private partial void LogReady(string store);
}
