using Dashboard.EndToEnd.Tests.Infrastructure;
using Microsoft.Playwright;
using Dashboard.Testing;

namespace Dashboard.EndToEnd.Tests.Inventory;

/// <summary>
/// One real dashboard process (sandbox mode, Unsecured auth on loopback) and one chromium, shared by the inventory page
/// tests: starting them once keeps the suite fast. Tests open their own browser context and page.
/// </summary>
public sealed class DashboardServerFixture : ServerAndBrowserFixture
{
    public static readonly TimeSpan Timeout = Patience.Slowly;

    /// <summary>Where page screenshots go: the test output folder (git-ignored), for a person to look at.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <summary>Opens <paramref name="path"/> and waits until the Blazor circuit is up (the page is interactive).</summary>
    public static async Task GotoInteractiveAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        // Rows are prerendered before the circuit connects; the grid's keyboard hook is installed by JS interop after the
        // first interactive render, so it proves the live view is running and will receive changes.
        await page.Locator("[data-list-grid][data-keys-installed]").WaitForAsync();
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png") });
    }

}

/// <summary>The inventory page tests share one server; they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class DashboardServerCollection : ICollectionFixture<DashboardServerFixture>
{
    public const string Name = "Dashboard server";
}
