using Dashboard.Client.Changes;
using Dashboard.Server.Audit;
using Dashboard.Server.State;
using Microsoft.Extensions.Options;

namespace Dashboard.Server.Changes;

/// <summary>Guided changes (Dashboard:Changes): plans and the audit trail in the one state store (Dashboard:State).</summary>
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
        // The same database as the sessions and the shared snapshot: one store, one migration path, one place to back up.
        services.AddDashboardState(configuration);
        services.AddStateMigration(AuditMigrations.AuditTable);
        services.AddStateMigration(PlanStore.Migration);
        services.AddSingleton<StateAuditStore>();
        // The audit trail's latest records, live on every page (IDashboardFeed.Audit), across replicas.
        services.AddSingleton<AuditFeed>();
        services.AddSingleton<IAuditStore>(sp => sp.GetRequiredService<AuditFeed>());
        services.AddSingleton<IAuditFeed>(sp => sp.GetRequiredService<AuditFeed>());
        services.AddHostedService(sp => sp.GetRequiredService<AuditFeed>());
        services.AddSingleton<PlanStore>();
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
