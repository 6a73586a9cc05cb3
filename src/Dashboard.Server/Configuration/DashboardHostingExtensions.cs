using Dashboard.Client.Components;
using MudBlazor.Services;

namespace Dashboard.Server.Configuration;

/// <summary>Registrations shared by every part of the host: Blazor, MudBlazor, static assets.</summary>
public static class DashboardHostingExtensions
{
    public static WebApplicationBuilder AddDashboardCore(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        return builder;
    }

    public static WebApplication UseDashboardCore(this WebApplication app)
    {
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapDashboard(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
