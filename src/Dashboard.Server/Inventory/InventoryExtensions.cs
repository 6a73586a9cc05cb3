using Dashboard.Server.Feed;
using Dashboard.Server.Kubernetes;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dashboard.Server.Inventory;

/// <summary>The Service/Ingress projection: decoded annotations, lints and counts per object, live from the caches.</summary>
public static class InventoryExtensions
{
    public static WebApplicationBuilder AddDashboardInventory(this WebApplicationBuilder builder)
    {
        builder.Services.AddDashboardInventory();
        return builder;
    }

    /// <summary>Registers the one <see cref="ClusterIndex"/> and <see cref="KubernetesInventory"/> over it, served through the feed.</summary>
    public static IServiceCollection AddDashboardInventory(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        // The one Kubernetes index; it follows the caches first, so the projection and the join read what it holds.
        services.AddSingleton<ClusterIndex>();
        services.AddSingleton<IKubernetesCacheSubscriber>(sp => sp.GetRequiredService<ClusterIndex>());
        services.AddSingleton<KubernetesInventory>();
        services.AddSingleton<IKubernetesCacheSubscriber>(sp => sp.GetRequiredService<KubernetesInventory>());
        services.AddSingleton<IInventoryFeeds>(sp => sp.GetRequiredService<KubernetesInventory>());
        return services;
    }
}
