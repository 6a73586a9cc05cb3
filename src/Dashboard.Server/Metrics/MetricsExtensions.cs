using Dashboard.Client.Metrics;

namespace Dashboard.Server.Metrics;

/// <summary>Registers the metrics stage: the shared series cache and the service behind the charts and <c>/api/v1/metrics</c>.</summary>
public static class MetricsExtensions
{
    /// <summary>Call after <c>AddDashboardAws</c> and <c>AddDashboardLoadBalancers</c> (it reads their client and snapshot).</summary>
    public static WebApplicationBuilder AddDashboardMetrics(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<MetricsFreshness>();
        builder.Services.AddSingleton<MetricSeriesCache>();
        builder.Services.AddSingleton<TimelineMarkerSource>();
        builder.Services.AddSingleton<MetricsService>();
        builder.Services.AddSingleton<IMetricsReader>(sp => sp.GetRequiredService<MetricsService>());
        builder.Services.AddSingleton<ISparklineReader>(sp => sp.GetRequiredService<MetricsService>());
        return builder;
    }
}
