using Dashboard.EndToEnd.Tests.Infrastructure;
using Microsoft.Playwright;
using Dashboard.Testing;

namespace Dashboard.EndToEnd.Tests.Inventory;

/// <summary>
/// One real dashboard process (sandbox mode, Unsecured auth on loopback) and one chromium, shared by the inventory page
/// tests: starting them once keeps the suite fast. Tests open their own browser context and page.
/// </summary>
public sealed class DashboardServerFixture : IAsyncLifetime
{
    public static readonly TimeSpan Timeout = Patience.Slowly;

    private IPlaywright _playwright = null!;

    public DashboardProcess Server { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public Kubectl Kubectl { get; private set; } = null!;

    /// <summary>Where page screenshots go: the test output folder (git-ignored), for a person to look at.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        Server = await DashboardProcess.StartAsync();
        Kubectl = new Kubectl(Server.KubeconfigPath);
        (_playwright, Browser) = await Infrastructure.Browser.LaunchAsync();
    }

    /// <summary>A fresh page at 1440x900 (the README screenshot size), with the test timeout as its default wait.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Server.BaseUri.ToString(),
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
            ColorScheme = ColorScheme.Dark,
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout((float)Timeout.TotalMilliseconds);
        return page;
    }

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

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}

/// <summary>The inventory page tests share one server; they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class DashboardServerCollection : ICollectionFixture<DashboardServerFixture>
{
    public const string Name = "Dashboard server";
}
