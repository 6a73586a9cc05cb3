using Dashboard.Server.LoadBalancers;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Dashboard.Server.Topology;

/// <summary>The topology join's feed, DNS checks and pod log tails (<c>Dashboard:Topology:*</c>).</summary>
public static class TopologyExtensions
{
    public static WebApplicationBuilder AddDashboardTopology(this WebApplicationBuilder builder)
    {
        builder.Services.AddDashboardTopology(builder.Configuration);
        return builder;
    }

    /// <summary>Needs the Kubernetes caches (<c>AddDashboardKubernetes</c>); reads AWS from <see cref="IAwsSnapshotSource"/> (<c>AddDashboardAws</c>).</summary>
    public static IServiceCollection AddDashboardTopology(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<TopologyOptions>().Bind(configuration.GetSection(TopologyOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TopologyOptions>, ValidateTopologyOptions>();
        // The AWS pollers register the snapshot source; without them an empty store stands in (no balancers).
        services.TryAddSingleton<AwsSnapshotStore>();
        services.TryAddSingleton<IAwsSnapshotSource>(sp => sp.GetRequiredService<AwsSnapshotStore>());
        services.TryAddSingleton<IDnsLookup, DnsLookup>();
        services.AddSingleton<PodLogReader>();
        services.AddSingleton<TopologyFeed>();
        services.AddSingleton<Feed.ITopologyFeeds>(sp => sp.GetRequiredService<TopologyFeed>());
        services.AddHostedService(sp => sp.GetRequiredService<TopologyFeed>());
        return services;
    }
}
