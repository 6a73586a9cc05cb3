using System.Collections.Concurrent;
using Dashboard.EndToEnd.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Dashboard.EndToEnd.Tests.Authentication;

/// <summary>
/// Issue 17 through chromium and a real OpenID Connect provider: a hostile return URL never takes the browser off the
/// site after sign-in, and sign-out ends the session everywhere (a copied cookie, a tab opened before).
/// </summary>
[Collection(OidcBrowserSteps.Collection)]
public sealed class OidcSessionSecurityTests : IAsyncLifetime
{
    /// <summary>Raw query values, as an attacker would put them in a link.</summary>
    public static readonly string[] HostileReturnUrls =
    [
        "/%09/evil.example/phish",
        "%2F%09%2Fevil.example%2Fphish",
        "/%0A/evil.example/phish",
        "/%0D%0A/evil.example/phish",
        "/%E3%80%80/evil.example/phish",
        "%2F%2Fevil.example%2Fphish",
        "/%5Cevil.example/phish",
        "%5C%5Cevil.example/phish",
        "%09%2F%2Fevil.example/phish",
        "https%3A%2F%2Fevil.example%2Fphish",
        "javascript:alert(document.domain)",
        "/%252F%252Fevil.example/phish",
    ];

    private readonly CapturingLoggerProvider _logs = new();
    private readonly ConcurrentBag<string> _secrets = [];
    private readonly ConcurrentQueue<string> _offSite = new();
    private TestIdentityProvider _provider = null!;
    private OidcDashboardHost _dashboard = null!;
    private Uri _dashboardUri = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        using var cancellation = new CancellationTokenSource(OidcBrowserSteps.Timeout);
        _provider = await TestIdentityProvider.StartAsync(cancellation.Token);
        var settings = OidcDashboardHost.OidcSettings(_provider);
        // One sign-in per hostile URL from one address: above the default sign-in limit.
        settings["Dashboard:RateLimiting:SignInPermitsPerMinute"] = "100";
        settings["Dashboard:RateLimiting:AnonymousPermitsPerMinute"] = "500";
        _dashboard = new OidcDashboardHost(settings, _logs, _secrets);
        _dashboard.StartServer();
        _dashboardUri = _dashboard.Address;
        _provider.DashboardAddress = _dashboardUri;
        (_playwright, _browser) = await Browser.LaunchAsync();
    }

    [Fact]
    public async Task After_sign_in_the_browser_never_leaves_the_site_whatever_the_return_url()
    {
        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout((float)OidcBrowserSteps.Timeout.TotalMilliseconds);
        var dashboardOrigin = _dashboardUri.GetLeftPart(UriPartial.Authority);
        var landings = new List<string>();

        foreach (var returnUrl in HostileReturnUrls)
        {
            await page.GotoAsync("authentication/sign-in?returnUrl=" + returnUrl);
            await OidcBrowserSteps.SubmitLoginFormAsync(page, _provider, "vera");
            // Back from the provider: anywhere but its pages and the callback.
            await page.WaitForURLAsync(url => !url.StartsWith(_provider.Authority.ToString(), StringComparison.Ordinal) && !url.Contains("/signin-oidc", StringComparison.Ordinal));
            await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
            landings.Add(page.Url);
            Assert.True(page.Url.StartsWith(dashboardOrigin + "/", StringComparison.Ordinal), $"returnUrl={returnUrl} took the browser to {page.Url}");
            await Assertions.Expect(page.Locator("h1")).Not.ToHaveTextAsync("Access denied");
        }

        Assert.Empty(_offSite);
        // Every hostile value fell back to the home page (which shows the Services list).
        await page.GotoAsync("/");
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        var home = page.Url;
        Assert.All(landings, landing => Assert.Equal(home, landing));
    }

    [Fact]
    public async Task Sign_out_ends_the_session_for_a_copied_cookie_and_for_a_tab_opened_before()
    {
        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout((float)OidcBrowserSteps.Timeout.TotalMilliseconds);
        await OidcBrowserSteps.SignInAsync(page, _provider, _dashboardUri, "/services", "vera");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Services");

        // A second tab with a live circuit of the same session.
        var other = await context.NewPageAsync();
        other.SetDefaultTimeout((float)OidcBrowserSteps.Timeout.TotalMilliseconds);
        await other.GotoAsync("/services");
        await Assertions.Expect(other.Locator("h1")).ToHaveTextAsync("Services");
        await WaitUntilInteractiveAsync(other);
        var copied = await context.CookiesAsync([_dashboardUri.ToString()]);
        Assert.Contains(copied, cookie => cookie.Name == "__Host-dashboard");

        await OidcBrowserSteps.SignOutAsync(page);

        // The other tab loses its user (and with it the page and its live feed) without a reload.
        await Assertions.Expect(other.Locator("h1")).ToHaveTextAsync("Access denied");
        await Assertions.Expect(other.GetByText("You are not signed in.")).ToBeVisibleAsync();

        // The cookie copied before sign-out, in another browser, opens nothing: back to the provider.
        await using var thief = await NewContextAsync();
        await thief.AddCookiesAsync(copied.Select(cookie => new Cookie
        {
            Name = cookie.Name, Value = cookie.Value, Domain = cookie.Domain, Path = cookie.Path,
            Secure = cookie.Secure, HttpOnly = cookie.HttpOnly, SameSite = cookie.SameSite,
        }));
        var stolen = await thief.NewPageAsync();
        stolen.SetDefaultTimeout((float)OidcBrowserSteps.Timeout.TotalMilliseconds);
        await stolen.GotoAsync("/services");
        await stolen.WaitForURLAsync(url => url.StartsWith(_provider.Authority.ToString(), StringComparison.Ordinal));
    }

    /// <summary>The user menu opens only once the circuit is attached: then the page receives live changes.</summary>
    private static async Task WaitUntilInteractiveAsync(IPage page)
    {
        var menuContent = page.GetByTestId("user-roles");
        var deadline = DateTime.UtcNow + OidcBrowserSteps.Timeout;
        while (!await menuContent.IsVisibleAsync())
        {
            Assert.True(DateTime.UtcNow < deadline, "The page never became interactive.");
            await page.GetByTestId("user-menu").Locator("button").First.ClickAsync();
            try
            {
                await menuContent.WaitForAsync(new LocatorWaitForOptions { Timeout = 1000 });
            }
            catch (TimeoutException)
            {
                // Not interactive yet: click again.
            }
        }
        await page.Keyboard.PressAsync("Escape");
    }

    /// <summary>A browser context that records and refuses every request to a host other than the dashboard and the provider.</summary>
    private async Task<IBrowserContext> NewContextAsync()
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _dashboardUri.ToString() });
        var allowed = new[] { _dashboardUri.Authority, _provider.Authority.Authority };
        await context.RouteAsync("**/*", async route =>
        {
            var url = new Uri(route.Request.Url);
            if (allowed.Contains(url.Authority, StringComparer.OrdinalIgnoreCase))
            {
                await route.ContinueAsync();
                return;
            }
            _offSite.Enqueue(route.Request.Url);
            await route.AbortAsync();
        });
        return context;
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _dashboard.DisposeAsync();
        await _provider.DisposeAsync();
    }
}
