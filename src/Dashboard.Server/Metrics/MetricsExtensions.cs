using Dashboard.Client.Metrics;

namespace Dashboard.Server.Metrics;

/// <summary>Registers the metrics stage: the shared series cache and the service behind the charts and <c>/api/v1/metrics</c>.</summary>
public static class MetricsExtensions
{
    /// <summary>Call after <c>AddDashboardAws</c> and <c>AddDashboardLoadBalancers</c> (it reads their client and snapshot).</summary>
    public static WebApplicationBuilder AddDashboardMetrics(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MetricsOptions>().Bind(builder.Configuration.GetSection(MetricsOptions.SectionName))
            .Validate(o => o.CachePoints >= MetricsOptions.MinimumCachePoints,
                $"{MetricsOptions.SectionName}:CachePoints must be at least {MetricsOptions.MinimumCachePoints:N0} (datapoints; the default 5000000 is about 80 MB).")
            .ValidateOnStart();
        builder.Services.AddSingleton<MetricsFreshness>();
        builder.Services.AddSingleton<LiveSections>();
        builder.Services.AddSingleton<MetricSeriesCache>();
        builder.Services.AddSingleton<TimelineMarkerSource>();
        builder.Services.AddSingleton<MetricsService>();
        builder.Services.AddSingleton<IMetricsReader>(sp => sp.GetRequiredService<MetricsService>());
        builder.Services.AddSingleton<ISparklineReader>(sp => sp.GetRequiredService<MetricsService>());
        return builder;
    }
}
