using Dashboard.Client.Localization;
using Microsoft.AspNetCore.Localization;

namespace Dashboard.Server.Localization;

/// <summary>
/// The viewer's language: English or Vietnamese, from the culture cookie (set by the user menu's switch) and otherwise
/// the browser's Accept-Language. A Blazor circuit keeps the culture of the request that opened it, so every page and
/// component renders in it. The HTTP API and the texts computed for everyone stay English (docs/i18n.md).
/// </summary>
public static class LocalizationExtensions
{
    public static WebApplicationBuilder AddDashboardLocalization(this WebApplicationBuilder builder)
    {
        builder.Services.AddLocalization();
        builder.Services.Configure<RequestLocalizationOptions>(options =>
        {
            // A browser asking for plain "vi" (Accept-Language only falls back from child to parent, never the other way)
            // gets Vietnamese too; the query-string provider is left out so the URL never carries the language.
            string[] cultures = [.. DashboardCultures.Supported.Select(c => c.Culture), "vi"];
            options.SetDefaultCulture(DashboardCultures.English).AddSupportedCultures(cultures).AddSupportedUICultures(cultures);
            options.FallBackToParentCultures = true;
            options.FallBackToParentUICultures = true;
            options.RequestCultureProviders =
            [
                new CookieRequestCultureProvider { CookieName = CultureSwitch.CookieName },
                new AcceptLanguageHeaderRequestCultureProvider(),
            ];
        });
        return builder;
    }

    /// <summary>Sets the request's culture, and maps the switch endpoint (<see cref="DashboardCultures.SwitchPath"/>).</summary>
    public static WebApplication UseDashboardLocalization(this WebApplication app)
    {
        app.UseRequestLocalization();
        app.MapGet(DashboardCultures.SwitchPath, CultureSwitch.Handle).AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}
