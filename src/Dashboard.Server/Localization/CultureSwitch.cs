using Dashboard.Client.Localization;
using Microsoft.AspNetCore.Localization;

namespace Dashboard.Server.Localization;

/// <summary>
/// GET /culture?c=vi-VN&amp;redirect=/triage: remembers the language in the culture cookie and sends the browser back to
/// the page it came from, so the URL stays the page's own. Only a supported culture is accepted and only a local path is
/// followed (an absolute or protocol-relative redirect would make the switch an open redirect).
/// </summary>
internal static class CultureSwitch
{
    /// <summary>The cookie ASP.NET Core's cookie provider reads by default: ".AspNetCore.Culture".</summary>
    public static readonly string CookieName = CookieRequestCultureProvider.DefaultCookieName;

    public static IResult Handle(HttpContext context, string? c, string? redirect)
    {
        var culture = DashboardCultures.Supported.Select(s => s.Culture).FirstOrDefault(s => string.Equals(s, c, StringComparison.OrdinalIgnoreCase));
        if (culture is null)
        {
            var known = string.Join(", ", DashboardCultures.Supported.Select(s => s.Culture));
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown culture",
                detail: $"Query parameter 'c' must be one of {known}; it was '{c}'.");
        }
        context.Response.Cookies.Append(CookieName, CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)), new CookieOptions
        {
            MaxAge = TimeSpan.FromDays(365),
            HttpOnly = true,
            IsEssential = true,
            SameSite = SameSiteMode.Lax,
            Secure = context.Request.IsHttps,
            Path = "/",
        });
        return Results.LocalRedirect(IsLocal(redirect) ? redirect! : "/");
    }

    /// <summary>A path on this site: starts with one "/" (not "//" nor "/\"), or is "~/…".</summary>
    internal static bool IsLocal(string? path) =>
        !string.IsNullOrEmpty(path)
        && ((path[0] == '/' && (path.Length == 1 || (path[1] != '/' && path[1] != '\\')))
            || (path.Length > 1 && path[0] == '~' && path[1] == '/'))
        && !path.Any(char.IsControl);
}
