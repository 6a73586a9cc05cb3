using Dashboard.Client.Feed;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dashboard.Server.Feed;

/// <summary>The one feed the pages and the read API consume, and the registry every source reports its state to.</summary>
public static class FeedExtensions
{
    public static WebApplicationBuilder AddDashboardFeed(this WebApplicationBuilder builder)
    {
        builder.Services.AddDashboardFeed();
        return builder;
    }

    /// <summary>Registers <see cref="DashboardFeed"/> as <see cref="IDashboardFeed"/>; needs the inventory (<c>AddDashboardInventory</c>).</summary>
    public static IServiceCollection AddDashboardFeed(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SourceStatusRegistry>();
        services.AddSingleton<DashboardFeed>();
        services.AddSingleton<IDashboardFeed>(sp => sp.GetRequiredService<DashboardFeed>());
        return services;
    }
}
