using Dashboard.Testing;
using Microsoft.Playwright;

namespace Dashboard.EndToEnd.Tests.Infrastructure;

/// <summary>Debian's chromium driven by Playwright. Never downloads a browser.</summary>
public static class Browser
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: run ./test.sh, which installs Debian's chromium.");
        }
        // Every Expect(…) without a timeout of its own waits this long: 5 s (Playwright's default) is too short for a
        // 2-core machine running every test project at once.
        Assertions.SetDefaultExpectTimeout(Patience.EventuallyMs);
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        });
        return (playwright, browser);
    }
}
