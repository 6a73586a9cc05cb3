using static Microsoft.Playwright.Assertions;

namespace Dashboard.EndToEnd.Tests.Inventory;

/// <summary>The Ingresses page in chromium against the real server process: groups, backends and their links.</summary>
[Collection(DashboardServerCollection.Name)]
public sealed class IngressesPageTests(DashboardServerFixture fixture)
{
    [Fact]
    public async Task Shows_the_shared_alb_group_and_backend_links_that_open_the_service()
    {
        var page = await fixture.NewPageAsync();
        await DashboardServerFixture.GotoInteractiveAsync(page, "/ingresses");

        // Two Ingresses in two namespaces share one ALB through alb.ingress.kubernetes.io/group.name: shop.
        var storefront = page.Locator("[role=grid] [data-key='storefront/storefront']");
        var catalog = page.Locator("[role=grid] [data-key^='catalog/']");
        await Expect(storefront).ToContainTextAsync("shop (order 20)");
        await Expect(catalog).ToContainTextAsync("shop");
        await Expect(page.Locator("[role=grid] [data-key='mlops/retail-forecast-alb-ingress']")).ToBeVisibleAsync();
        await DashboardServerFixture.ScreenshotAsync(page, "ingresses");

        var backend = storefront.Locator("a.backend-link[data-backend='storefront-web']");
        await Expect(backend).ToHaveAttributeAsync("href", "services?selected=storefront/storefront-web");
        await backend.ClickAsync();

        await page.WaitForURLAsync("**/services?selected=storefront/storefront-web");
        await Expect(page.Locator(".detail-panel .detail-name")).ToHaveTextAsync("storefront-web");
        await Expect(page.Locator("[role=grid] [data-key='storefront/storefront-web']")).ToHaveAttributeAsync("aria-selected", "true");
        await DashboardServerFixture.ScreenshotAsync(page, "ingresses-backend-opened");
        await page.Context.CloseAsync();
    }
}
