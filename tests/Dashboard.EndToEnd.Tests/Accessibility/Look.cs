using Dashboard.EndToEnd.Tests.Inventory;
using Microsoft.Playwright;

namespace Dashboard.EndToEnd.Tests.Accessibility;

/// <summary>How a person sees the dashboard: a theme, a language and a window width.</summary>
/// <param name="Theme">"dark" or "light", as the theme toggle remembers it (the <c>endpoint-dashboard.theme</c> cookie).</param>
/// <param name="Culture">A culture name, as the language switch remembers it (ASP.NET Core's culture cookie).</param>
/// <param name="Width">The viewport width in CSS pixels.</param>
public sealed record Look(string Theme, string Culture, int Width)
{
    /// <summary>The width of a common phone (iPhone 12–15) in portrait.</summary>
    public const int Phone = 390;

    /// <summary>A laptop-sized window.</summary>
    public const int Desktop = 1600;

    public string FilePart => $"{Theme}-{Culture}-{Width}";

    public override string ToString() => FilePart;

    /// <summary>
    /// A fresh browser context of this look on the shared server and chromium: the theme and culture are set the way the
    /// product remembers a user's choice (cookies), so the server's first render already has them.
    /// </summary>
    public async Task<IPage> NewPageAsync(DashboardServerFixture fixture)
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.Server.BaseUri.ToString(),
            ViewportSize = new ViewportSize { Width = Width, Height = Width <= Phone ? 844 : 900 },
            IsMobile = Width <= Phone,
            HasTouch = Width <= Phone,
            ColorScheme = Theme == "dark" ? ColorScheme.Dark : ColorScheme.Light,
            Locale = Culture,
        });
        var url = fixture.Server.BaseUri.ToString();
        await context.AddCookiesAsync(
        [
            new Cookie { Name = "endpoint-dashboard.theme", Value = Theme, Url = url },
            // CookieRequestCultureProvider's format, URL-encoded as ASP.NET Core writes it: c=vi-VN|uic=vi-VN.
            new Cookie { Name = ".AspNetCore.Culture", Value = Uri.EscapeDataString($"c={Culture}|uic={Culture}"), Url = url },
        ]);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout((float)DashboardServerFixture.Timeout.TotalMilliseconds);
        return page;
    }

    /// <summary>
    /// Opens <paramref name="target"/> and waits until it is live (the circuit's first render is done, in this look's
    /// theme) and shows its data.
    /// </summary>
    public async Task GotoAsync(IPage page, CatalogPage target)
    {
        await page.GotoAsync(target.Path);
        await page.Locator($"[data-theme={Theme}]").First.WaitForAsync();
        if (target.Interactive)
        {
            await page.Locator("[data-interactive=true]").First.WaitForAsync(new() { State = WaitForSelectorState.Attached });
        }
        await page.Locator(target.Ready).First.WaitForAsync(new() { State = WaitForSelectorState.Attached });
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(DashboardServerFixture.ScreenshotDirectory);
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(DashboardServerFixture.ScreenshotDirectory, "a11y", name + ".png"),
        });
    }
}
