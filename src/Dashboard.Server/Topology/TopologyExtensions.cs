using Dashboard.Client.Feed;
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

    /// <summary>Needs the Kubernetes caches (<c>AddDashboardKubernetes</c>); uses the AWS pollers' snapshot source when registered.</summary>
    public static IServiceCollection AddDashboardTopology(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<TopologyOptions>().Bind(configuration.GetSection(TopologyOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TopologyOptions>, ValidateTopologyOptions>();
        // Without AWS pollers the topology has no balancers: a hand-filled holder stands in.
        services.TryAddSingleton<AwsSnapshotHolder>();
        services.TryAddSingleton<IAwsSnapshotInput>(sp => sp.GetRequiredService<AwsSnapshotHolder>());
        services.TryAddSingleton<IDnsLookup, DnsLookup>();
        services.AddSingleton<PodLogReader>();
        services.AddSingleton<TopologyFeed>();
        services.AddSingleton<ITopologyFeed>(sp => sp.GetRequiredService<TopologyFeed>());
        services.AddHostedService(sp => sp.GetRequiredService<TopologyFeed>());
        return services;
    }
}
