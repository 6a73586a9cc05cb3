using Dashboard.Server.Feed;
using Dashboard.Server.Kubernetes;

namespace Dashboard.Server.Inventory;

/// <summary>The Service/Ingress projection: decoded annotations, lints and counts per object, live from the caches.</summary>
public static class InventoryExtensions
{
    public static WebApplicationBuilder AddDashboardInventory(this WebApplicationBuilder builder)
    {
        builder.Services.AddDashboardInventory();
        return builder;
    }

    /// <summary>Registers <see cref="KubernetesInventory"/>: fed by the Kubernetes caches, served through the feed.</summary>
    public static IServiceCollection AddDashboardInventory(this IServiceCollection services)
    {
        services.AddSingleton<KubernetesInventory>();
        services.AddSingleton<IKubernetesCacheSubscriber>(sp => sp.GetRequiredService<KubernetesInventory>());
        services.AddSingleton<IInventoryFeeds>(sp => sp.GetRequiredService<KubernetesInventory>());
        return services;
    }
}
