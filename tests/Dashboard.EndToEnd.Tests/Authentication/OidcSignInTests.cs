using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Dashboard.Testing;

namespace Dashboard.EndToEnd.Tests.Authentication;

/// <summary>
/// A full OpenID Connect sign-in in chromium against a real provider started by the test: a Viewer sees the dashboard
/// and is denied cost, a CostReader sees cost, both sign out; the dashboard's logs of the whole session hold no token,
/// cookie, client secret or AWS credential.
/// </summary>
[Collection(OidcBrowserSteps.Collection)]
public sealed class OidcSignInTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = Patience.Slowly;

    private readonly CapturingLoggerProvider _logs = new();
    private readonly ConcurrentBag<string> _secrets = [];
    private TestIdentityProvider _provider = null!;
    private OidcDashboardHost _dashboard = null!;
    private Uri _dashboardUri = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        using var cancellation = new CancellationTokenSource(Timeout);
        _provider = await TestIdentityProvider.StartAsync(cancellation.Token);
        _secrets.Add(TestIdentityProvider.ClientSecret);
        var settings = OidcDashboardHost.OidcSettings(_provider);
        // Credentials the dashboard holds must never reach its logs either.
        // Everything, including Microsoft.AspNetCore at Trace (appsettings.json keeps it at Warning).
        settings["Logging:LogLevel:Default"] = "Trace";
        settings["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace";
        settings["AWS:AccessKeyId"] = "AKIAE2ETESTKEY000001";
        settings["AWS:SecretAccessKey"] = "e2eSecretAccessKey/notReal/0123456789abcdef";
        _dashboard = new OidcDashboardHost(settings, _logs, _secrets);
        _secrets.Add("AKIAE2ETESTKEY000001");
        _secrets.Add("e2eSecretAccessKey/notReal/0123456789abcdef");
        _dashboard.StartServer();
        _dashboardUri = _dashboard.Address;
        _provider.DashboardAddress = _dashboardUri;

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    [Fact]
    public async Task Viewer_sees_the_dashboard_and_is_denied_cost_then_a_cost_reader_sees_cost_and_both_sign_out()
    {
        // Viewer.
        await using (var viewer = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _dashboardUri.ToString() }))
        {
            var page = await viewer.NewPageAsync();
            page.SetDefaultTimeout((float)Timeout.TotalMilliseconds);
            await SignInAsync(page, "/services", "vera");
            await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Services");
            await Assertions.Expect(page.GetByTestId("user-menu")).ToContainTextAsync("Vera Viewer");

            var cost = await page.GotoAsync("/cost");
            Assert.Equal((int)HttpStatusCode.Forbidden, cost!.Status);
            await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Access denied");
            // The provider's own "dashboard_role: Operator" claim was dropped: only the mapped role counts.
            await Assertions.Expect(page.GetByTestId("access-denied-roles")).ToHaveTextAsync("Your roles: Viewer");

            await CollectCookiesAsync(viewer);
            await AssertSessionCookieIsProtectedAsync(viewer);
            await page.GotoAsync("/services");
            await SignOutAsync(page);
        }

        // CostReader.
        await using (var costReader = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _dashboardUri.ToString() }))
        {
            var page = await costReader.NewPageAsync();
            page.SetDefaultTimeout((float)Timeout.TotalMilliseconds);
            await SignInAsync(page, "/cost", "carl");
            await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Cost");
            Assert.Equal(_dashboardUri.GetLeftPart(UriPartial.Authority) + "/cost", page.Url);
            var reload = await page.ReloadAsync();
            Assert.Equal((int)HttpStatusCode.OK, reload!.Status);
            await Assertions.Expect(page.GetByTestId("user-menu")).ToContainTextAsync("Carl CostReader");
            await CollectCookiesAsync(costReader);
            await SignOutAsync(page);

            // Signed out for real: the next page goes back to the provider's login form.
            await page.GotoAsync("/cost");
            await page.WaitForURLAsync(url => url.StartsWith(_provider.Authority.ToString(), StringComparison.Ordinal));
        }

        AssertLogsHoldNoSecrets();
    }

    private Task SignInAsync(IPage page, string path, string userName) => OidcBrowserSteps.SignInAsync(page, _provider, _dashboardUri, path, userName);

    private static Task SignOutAsync(IPage page) => OidcBrowserSteps.SignOutAsync(page);

    private async Task CollectCookiesAsync(IBrowserContext context)
    {
        foreach (var cookie in await context.CookiesAsync())
        {
            if (cookie.Value.Length >= 16)
            {
                _secrets.Add(cookie.Value);
            }
        }
    }

    private async Task AssertSessionCookieIsProtectedAsync(IBrowserContext context)
    {
        var cookies = await context.CookiesAsync([_dashboardUri.ToString()]);
        var session = Assert.Single(cookies, cookie => cookie.Name.StartsWith("__Host-dashboard", StringComparison.Ordinal));
        Assert.True(session.HttpOnly);
        Assert.True(session.Secure);
        Assert.Equal(SameSiteAttribute.Lax, session.SameSite);
    }

    private void AssertLogsHoldNoSecrets()
    {
        var lines = _logs.Lines.ToList();
        Assert.Contains(lines, line => line.Contains("Microsoft.AspNetCore.Authentication", StringComparison.Ordinal));
        Assert.True(_secrets.Count >= 6, $"too few secrets collected ({_secrets.Count}): the scan would prove little");
        foreach (var secret in _secrets.Distinct())
        {
            var leak = lines.FirstOrDefault(line => line.Contains(secret, StringComparison.Ordinal));
            Assert.True(leak is null, $"A secret ({secret[..4]}…) appears in the logs: {leak}");
        }
        var awsKey = new Regex("(AKIA|ASIA)[0-9A-Z]{16}", RegexOptions.None, TimeSpan.FromSeconds(1));
        Assert.DoesNotContain(lines, line => awsKey.IsMatch(line));
        var jwt = new Regex(@"eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.", RegexOptions.None, TimeSpan.FromSeconds(1));
        Assert.DoesNotContain(lines, line => jwt.IsMatch(line));
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _dashboard.DisposeAsync();
        await _provider.DisposeAsync();
    }
}
