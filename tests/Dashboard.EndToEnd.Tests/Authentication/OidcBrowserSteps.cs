using Dashboard.Testing;
using Microsoft.Playwright;

namespace Dashboard.EndToEnd.Tests.Authentication;

/// <summary>What a person does in chromium to sign in at the test provider and to sign out of the dashboard.</summary>
internal static class OidcBrowserSteps
{
    /// <summary>The suite's bound for work that starts processes or browsers (a fixed 30 s failed at load 60).</summary>
    public static readonly TimeSpan Timeout = Patience.Slowly;

    /// <summary>The provider-and-chromium test classes run one after the other: each starts a browser, a provider and a dashboard.</summary>
    public const string Collection = "OIDC in chromium";

    /// <summary>Opens <paramref name="path"/>, signs in as <paramref name="userName"/> on the provider's form, waits to be back.</summary>
    public static async Task SignInAsync(IPage page, TestIdentityProvider provider, Uri dashboard, string path, string userName)
    {
        await page.GotoAsync(path);
        await SubmitLoginFormAsync(page, provider, userName);
        await page.WaitForURLAsync(new Uri(dashboard, path).ToString());
    }

    /// <summary>On the provider's login form (waits for it), signs in as <paramref name="userName"/>.</summary>
    public static async Task SubmitLoginFormAsync(IPage page, TestIdentityProvider provider, string userName)
    {
        await page.WaitForURLAsync(url => url.StartsWith(provider.Authority.ToString(), StringComparison.Ordinal));
        await page.Locator("#username").FillAsync(userName);
        await page.Locator("#sign-in").ClickAsync();
    }

    /// <summary>Signs out through the user menu and waits for the signed-out page.</summary>
    public static async Task SignOutAsync(IPage page)
    {
        // The user menu is interactive: a click before the circuit has attached does nothing, so click until it opens.
        var signOut = page.GetByTestId("sign-out");
        var deadline = DateTime.UtcNow + Timeout;
        while (!await signOut.IsVisibleAsync())
        {
            if (DateTime.UtcNow > deadline)
            {
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "user-menu-never-opened.png") });
                Assert.Fail("The user menu never opened (screenshot user-menu-never-opened.png in the temp folder).");
            }
            await page.GetByTestId("user-menu").Locator("button").First.ClickAsync();
            try
            {
                await signOut.WaitForAsync(new LocatorWaitForOptions { Timeout = 1000 });
            }
            catch (TimeoutException)
            {
                // Not interactive yet: click again.
            }
        }
        // The menu's popover keeps re-positioning while live batches re-render the page, and on a busy machine Playwright
        // can wait minutes for the button to be "stable" before a mouse click. The button is visible (waited for above):
        // a click event on it submits the sign-out form just as a user's click does.
        // The menu can also close again between "visible" and the click (a live batch re-renders the layout on a loaded
        // machine): then open it again and retry, within the same deadline, instead of waiting on a detached button.
        while (true)
        {
            try
            {
                await signOut.DispatchEventAsync("click", null, new LocatorDispatchEventOptions { Timeout = 2000 });
                break;
            }
            catch (TimeoutException) when (DateTime.UtcNow < deadline)
            {
                if (!await signOut.IsVisibleAsync())
                {
                    await page.GetByTestId("user-menu").Locator("button").First.ClickAsync();
                    try
                    {
                        await signOut.WaitForAsync(new LocatorWaitForOptions { Timeout = 1000 });
                    }
                    catch (TimeoutException)
                    {
                        // Not open yet: the next round clicks again.
                    }
                }
            }
        }
        await page.WaitForURLAsync(url => url.EndsWith("/authentication/signed-out", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("You are signed out");
    }
}
