using Dashboard.Server.Feed;
using Dashboard.Server.State;

namespace Dashboard.Server.Incidents;

/// <summary>The incident history (<c>Dashboard:Incidents</c>): the recorder, its table, its API.</summary>
public static class IncidentExtensions
{
    /// <summary>Call after <c>AddDashboardScaleOut</c> and <c>AddDashboardTopology</c>.</summary>
    public static WebApplicationBuilder AddDashboardIncidents(this WebApplicationBuilder builder)
    {
        builder.Services.AddDashboardIncidents(builder.Configuration);
        return builder;
    }

    public static IServiceCollection AddDashboardIncidents(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<IncidentOptions>().Bind(configuration.GetSection(IncidentOptions.SectionName));
        services.AddStateMigration(IncidentMigrations.Incidents);
        services.AddSingleton<IncidentRecorder>();
        services.AddSingleton<IIncidentFeed>(sp => sp.GetRequiredService<IncidentRecorder>());
        services.AddHostedService(sp => sp.GetRequiredService<IncidentRecorder>());
        return services;
    }

    /// <summary>Maps <c>/api/v1/incidents</c> and an endpoint's <c>/incidents</c>. Beside <c>MapDashboardApi</c> (its fallback yields to these routes).</summary>
    public static WebApplication MapDashboardIncidents(this WebApplication app)
    {
        IncidentEndpoints.Map(app);
        return app;
    }
}
