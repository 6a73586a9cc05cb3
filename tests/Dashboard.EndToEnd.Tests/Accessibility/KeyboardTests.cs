using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Dashboard.EndToEnd.Tests.Inventory;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dashboard.EndToEnd.Tests.Accessibility;

/// <summary>
/// The dashboard with the keyboard alone, in chromium: the skip link is the first tab stop and takes focus past the app
/// bar and navigation to the page; a list is walked with the arrow keys, announced through the grid's active row, opened
/// with Enter and closed with Esc, with the focus visible all along.
/// </summary>
[Collection(DashboardServerCollection.Name)]
public sealed partial class KeyboardTests(DashboardServerFixture fixture)
{
    private static readonly Look Look = new("dark", "en-US", Look.Desktop);

    [Fact]
    public async Task The_skip_link_is_the_first_tab_stop_and_moves_focus_into_the_main_content()
    {
        var page = await Look.NewPageAsync(fixture);
        try
        {
            await Look.GotoAsync(page, PageCatalog.Pages.Single(p => p.Name == "services"));
            // On arrival Blazor puts focus on the page's heading; walk back from there to the start of the tab order.
            var skip = page.Locator("[data-testid=skip-link]");
            for (var i = 0; i < 40 && !await IsFocusedAsync(skip); i++)
            {
                await page.Keyboard.PressAsync("Shift+Tab");
            }
            await Expect(skip).ToBeFocusedAsync();
            await Expect(skip).ToBeInViewportAsync();
            await Expect(skip).ToHaveTextAsync("Skip to main content");

            // Nothing comes before it.
            await page.Keyboard.PressAsync("Shift+Tab");
            Assert.False(await page.EvaluateAsync<bool>("() => !!document.activeElement && document.activeElement !== document.body"),
                "Something before the skip link takes focus: " + await ActiveAsync(page));

            await page.Keyboard.PressAsync("Tab");
            await Expect(skip).ToBeFocusedAsync();
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.Locator("#main-content")).ToBeFocusedAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/services$"));

            // The next stop is a control of the page, not the app bar or the navigation.
            await page.Keyboard.PressAsync("Tab");
            Assert.True(await page.EvaluateAsync<bool>("() => document.getElementById('main-content').contains(document.activeElement)"),
                "After the skip link, Tab went to " + await ActiveAsync(page));
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task A_list_is_walked_announced_opened_and_closed_by_keyboard()
    {
        var page = await Look.NewPageAsync(fixture);
        try
        {
            await Look.GotoAsync(page, PageCatalog.Pages.Single(p => p.Name == "services"));
            var grid = page.Locator("[data-list-grid]");
            await Expect(grid).ToHaveAttributeAsync("role", "grid");
            await Expect(grid).Not.ToHaveAttributeAsync("aria-activedescendant", new Regex("."));

            // "/" goes to the search box, ArrowDown from there to the list.
            await page.Keyboard.PressAsync("/");
            await Expect(page.Locator("#list-search")).ToBeFocusedAsync();
            await page.Keyboard.PressAsync("ArrowDown");
            await Expect(grid).ToBeFocusedAsync();
            Assert.NotEqual("none", await grid.EvaluateAsync<string>("e => getComputedStyle(e).outlineStyle"));

            await page.Keyboard.PressAsync("ArrowDown");
            var first = page.Locator(".grid-row.row-cursor");
            await Expect(first).ToHaveCountAsync(1);
            await Expect(first).ToHaveAttributeAsync("aria-rowindex", "2");
            await Expect(grid).ToHaveAttributeAsync("aria-activedescendant", (await first.GetAttributeAsync("id"))!);

            await page.Keyboard.PressAsync("j");
            var second = page.Locator(".grid-row.row-cursor");
            await Expect(second).ToHaveAttributeAsync("aria-rowindex", "3");
            var secondId = (await second.GetAttributeAsync("id"))!;
            await Expect(grid).ToHaveAttributeAsync("aria-activedescendant", secondId);
            var key = (await second.GetAttributeAsync("data-key"))!;

            await page.Keyboard.PressAsync("Enter");
            await Expect(page).ToHaveURLAsync(new Regex("selected=" + Regex.Escape(Uri.EscapeDataString(key)).Replace("%2F", "(/|%2F)", StringComparison.Ordinal)));
            await Expect(page.Locator(".detail-pane")).ToBeVisibleAsync();
            await Expect(page.Locator($"#{secondId}")).ToHaveAttributeAsync("aria-selected", "true");

            // The state a keyboard user is in now (cursor, open details) is as clean for axe as the page at rest.
            var result = await page.RunAxe();
            Assert.Empty(result.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id}: {v.Help}"));

            await grid.FocusAsync();
            await page.Keyboard.PressAsync("Escape");
            await Expect(page.Locator(".detail-pane")).ToHaveCountAsync(0);
            await Expect(page).Not.ToHaveURLAsync(new Regex("selected="));
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    private static Task<bool> IsFocusedAsync(ILocator locator) =>
        locator.EvaluateAsync<bool>("e => document.activeElement === e");

    private static Task<string> ActiveAsync(IPage page) =>
        page.EvaluateAsync<string>("() => document.activeElement ? document.activeElement.outerHTML.slice(0, 160) : 'nothing'");
}
