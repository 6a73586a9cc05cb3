using Dashboard.Server.Aws;
using Dashboard.Server.Feed;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Dashboard.Server.LoadBalancers;

/// <summary>The AWS pollers (Dashboard:Aws:Polling) and the snapshot they keep: <see cref="IAwsSnapshotSource"/>.</summary>
public static class LoadBalancersExtensions
{
    public static WebApplicationBuilder AddDashboardLoadBalancers(this WebApplicationBuilder builder)
    {
        builder.Services.AddDashboardLoadBalancers(builder.Configuration);
        return builder;
    }

    /// <summary>
    /// Registers <see cref="IAwsSnapshotSource"/>, the poller and its hosted loop, the Kubernetes hints that move target
    /// health reads forward, the call statistics (and their metering handler on every AWS client), and the single-replica
    /// <see cref="IPollingLeadership"/>. Needs the AWS clients (<c>AddDashboardAws</c>); uses the Kubernetes caches when
    /// they are registered.
    /// </summary>
    public static IServiceCollection AddDashboardLoadBalancers(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SourceStatusRegistry>();
        services.AddMetrics();
        services.AddOptions<AwsPollingOptions>().Bind(configuration.GetSection(AwsPollingOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AwsPollingOptions>, ValidateAwsPollingOptions>());

        services.AddAwsCallMetering();
        services.TryAddSingleton<AwsSnapshotStore>();
        services.TryAddSingleton<IAwsSnapshotSource>(sp => sp.GetRequiredService<AwsSnapshotStore>());
        services.TryAddSingleton<IPollingLeadership, AlwaysPollingLeader>();
        services.TryAddSingleton<Security.AwsSecurityReader>();
        services.TryAddSingleton<AwsPoller>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISourceScope, AwsRegionScope>(sp => new AwsRegionScope(sp.GetService<IAwsEndpointResolver>())));
        services.AddHostedService<KubernetesHealthHints>();
        services.AddHostedService<AwsPollingHostedService>();
        return services;
    }

    /// <summary>
    /// Counts every request the AWS clients send (and the units AWS bills) into <see cref="AwsCallStatistics"/>. Safe to call
    /// more than once: the metering handler is added to the clients only the first time.
    /// </summary>
    public static IServiceCollection AddAwsCallMetering(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(AwsCallStatistics)))
        {
            return services;
        }
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<AwsCallStatistics>();
        foreach (var service in AwsService.All)
        {
            services.AddHttpClient(AwsTransport.HttpClientName(service))
                .AddHttpMessageHandler(sp => new AwsCallMeteringHandler(sp.GetRequiredService<AwsCallStatistics>(), service.Name));
        }
        return services;
    }
}
