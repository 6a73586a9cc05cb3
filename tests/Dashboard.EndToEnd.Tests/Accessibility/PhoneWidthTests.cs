using Dashboard.EndToEnd.Tests.Inventory;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dashboard.EndToEnd.Tests.Accessibility;

/// <summary>
/// Every page at a phone's width (390 CSS pixels) in each theme: the page itself never scrolls sideways (a wide list
/// scrolls inside its own box), the page's heading is on screen, and the navigation is folded away behind the menu
/// button until asked for. A screenshot of each page is kept (bin/…/screenshots/a11y); <see cref="AxeTests"/> keeps the
/// desktop ones.
/// </summary>
[Collection(DashboardServerCollection.Name)]
public sealed class PhoneWidthTests(DashboardServerFixture fixture)
{
    [Theory]
    [InlineData("dark")]
    [InlineData("light")]
    public async Task Every_page_fits_a_phone_with_its_heading_shown_and_the_navigation_folded(string theme)
    {
        var look = new Look(theme, "en-US", Look.Phone);
        var page = await look.NewPageAsync(fixture);
        var problems = new List<string>();
        try
        {
            foreach (var target in PageCatalog.Pages)
            {
                await look.GotoAsync(page, target);
                await Look.ScreenshotAsync(page, $"{target.Name}-{look.FilePart}");
                var overflow = await page.EvaluateAsync<int>(
                    "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - window.innerWidth");
                if (overflow > 0)
                {
                    problems.Add($"{target.Name}: the page is {overflow} px wider than the phone ({await WidestAsync(page)})");
                }
                var heading = page.Locator("main h1").First;
                if (!await heading.IsVisibleAsync() || !await InViewportAsync(heading))
                {
                    problems.Add($"{target.Name}: its heading is not on screen");
                }
                if (target.Interactive)
                {
                    // Folded: the drawer is closed and its links are out of sight until the menu button opens it.
                    await Expect(page.Locator("[data-testid=nav-toggle]")).ToHaveAttributeAsync("aria-expanded", "false");
                    if (await page.Locator("#navigation-drawer a").First.IsVisibleAsync() && await InViewportAsync(page.Locator("#navigation-drawer a").First))
                    {
                        problems.Add($"{target.Name}: the navigation is open on a phone");
                    }
                }
            }
        }
        finally
        {
            await page.Context.CloseAsync();
        }
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public async Task The_menu_button_opens_the_folded_navigation_and_a_link_closes_it()
    {
        var look = new Look("dark", "en-US", Look.Phone);
        var page = await look.NewPageAsync(fixture);
        try
        {
            await look.GotoAsync(page, PageCatalog.Pages.Single(p => p.Name == "services"));
            var toggle = page.Locator("[data-testid=nav-toggle]");
            await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false");
            await toggle.ClickAsync();
            await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "true");
            var ingresses = page.Locator("#navigation-drawer a[href='ingresses']");
            await Expect(ingresses).ToBeInViewportAsync();
            await Look.ScreenshotAsync(page, $"nav-open-{look.FilePart}");
            await ingresses.ClickAsync();
            await Expect(page.Locator("main h1")).ToHaveTextAsync("Ingresses");
            await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    private static Task<bool> InViewportAsync(ILocator locator) =>
        locator.EvaluateAsync<bool>("e => { const r = e.getBoundingClientRect(); return r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth; }");

    /// <summary>The elements that stick out past the right edge, for the failure message.</summary>
    private static Task<string> WidestAsync(IPage page) => page.EvaluateAsync<string>("""
        () => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > innerWidth + 1)
            .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > innerWidth + 1))
            .slice(0, 5)
            .map(e => e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : '')
                + ' right=' + Math.round(e.getBoundingClientRect().right))
            .join(', ')
        """);
}
