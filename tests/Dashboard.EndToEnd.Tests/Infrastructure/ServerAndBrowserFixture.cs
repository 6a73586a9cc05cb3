using Dashboard.EndToEnd.Tests.Inventory;
using Dashboard.Testing;
using Microsoft.Playwright;

namespace Dashboard.EndToEnd.Tests.Infrastructure;

/// <summary>
/// What every browser-test fixture holds: one real dashboard process (sandbox mode, Unsecured auth on loopback) started
/// with the fixture's <see cref="Settings"/>, kubectl on its sandbox, and one chromium; tests open their own context
/// and page with <see cref="NewPageAsync"/>. Starting them once per fixture keeps the suite fast.
/// </summary>
public abstract class ServerAndBrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public DashboardProcess Server { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public Kubectl Kubectl { get; private set; } = null!;

    /// <summary>Environment for the server process (configuration overrides), or null for the defaults.</summary>
    protected virtual IDictionary<string, string>? Settings => null;

    /// <summary>The viewport of <see cref="NewPageAsync"/>'s pages (1440x900 is the README screenshot size).</summary>
    protected virtual ViewportSize Viewport => new() { Width = 1440, Height = 900 };

    /// <summary>The default wait of <see cref="NewPageAsync"/>'s pages.</summary>
    protected virtual TimeSpan PageTimeout => Patience.Slowly;

    /// <summary>Runs after the server is up and before the browser starts (e.g. to create objects with kubectl).</summary>
    protected virtual Task ServerStartedAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        Server = await DashboardProcess.StartAsync(Settings);
        Kubectl = new Kubectl(Server.KubeconfigPath);
        await ServerStartedAsync();
        (_playwright, Browser) = await Infrastructure.Browser.LaunchAsync();
    }

    /// <summary>A fresh page in its own context, dark scheme, <see cref="Viewport"/>, <see cref="PageTimeout"/> as its default wait.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Server.BaseUri.ToString(),
            ViewportSize = Viewport,
            ColorScheme = ColorScheme.Dark,
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout((float)PageTimeout.TotalMilliseconds);
        return page;
    }

    public virtual async Task DisposeAsync()
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
