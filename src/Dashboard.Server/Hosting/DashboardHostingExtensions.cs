using Dashboard.Client.Components;
using Dashboard.Server.Authentication;
using MudBlazor.Services;

namespace Dashboard.Server.Hosting;

/// <summary>Registrations shared by every part of the host: Blazor, MudBlazor, static assets.</summary>
public static class DashboardHostingExtensions
{
    public static WebApplicationBuilder AddDashboardCore(this WebApplicationBuilder builder)
    {
        // A build that was not published keeps the libraries' static files (MudBlazor's CSS and JS, the client's) where
        // the build found them, listed in the runtime manifest; ASP.NET Core reads that manifest only in Development,
        // so `ASPNETCORE_ENVIRONMENT=Production dotnet run` answered every such file as an empty 200. Read it in every
        // environment when it is there (a published build has no such manifest and serves its own wwwroot).
        var manifest = Path.Combine(AppContext.BaseDirectory, $"{builder.Environment.ApplicationName}.staticwebassets.runtime.json");
        if (!builder.Environment.IsDevelopment() && File.Exists(manifest))
        {
            builder.WebHost.UseStaticWebAssets();
        }
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        // MudBlazor's own labels (clear, tab scrolling) in the viewer's language.
        builder.Services.AddTransient<MudBlazor.MudLocalizer, Dashboard.Client.Localization.DashboardMudLocalizer>();
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
