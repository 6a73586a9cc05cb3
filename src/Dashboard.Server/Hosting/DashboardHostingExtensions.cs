using Dashboard.Client.Components;
using Dashboard.Server.Authentication;
using MudBlazor.Services;

namespace Dashboard.Server.Hosting;

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
        // Static assets are public CSS/JS: the sign-in flow's pages need them before anyone signs in. They are
        // precompressed files with ETags, cheap to serve, so the anonymous rate limit does not count them.
        app.MapStaticAssets().AllowAnonymous().DisableRateLimiting();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode().WithDashboardAuthorization();
        return app;
    }
}
