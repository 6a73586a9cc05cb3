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

    [Fact]
    public async Task The_https_only_seed_ingress_shows_its_real_listener_and_that_its_ssl_redirect_does_nothing()
    {
        var page = await fixture.NewPageAsync();
        await DashboardServerFixture.GotoInteractiveAsync(page, "/ingresses?selected=mlops/retail-forecast-alb-ingress");
        var panel = page.Locator(".detail-panel");

        // certificate-arn without listen-ports: the controller makes HTTPS:443 only, not HTTP:80.
        await Expect(panel).ToContainTextAsync("HTTPS:443 (default with certificate-arn)");
        await Expect(panel).Not.ToContainTextAsync("HTTP 80 (default)");
        await Expect(panel.Locator(".lint-item[data-lint='ssl-redirect-without-http']")).ToContainTextAsync("no HTTP listener");
        // A WAF ACL is attached: the finding does not suggest attaching one.
        var open = panel.Locator(".lint-item[data-lint='open-source-ranges']");
        await Expect(open).ToContainTextAsync("WAF ACL");
        await Expect(open).Not.ToContainTextAsync("attach a WAF ACL");
        await DashboardServerFixture.ScreenshotAsync(page, "ingresses-https-only");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_ingress_whose_class_does_not_exist_is_an_error_not_an_open_alb()
    {
        await fixture.Kubectl.CreateAsync("""
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: e2e-no-class
              namespace: default
              annotations:
                alb.ingress.kubernetes.io/scheme: internet-facing
            spec:
              ingressClassName: e2e-missing
              rules:
              - host: e2e.example.com
                http:
                  paths:
                  - path: /
                    pathType: Prefix
                    backend:
                      service:
                        name: e2e-web
                        port:
                          number: 80
            """);
        var page = await fixture.NewPageAsync();
        await DashboardServerFixture.GotoInteractiveAsync(page, "/ingresses?selected=default/e2e-no-class");
        var panel = page.Locator(".detail-panel");

        await Expect(panel.Locator(".lint-item[data-lint='ingress-class-not-found']")).ToContainTextAsync("IngressClass e2e-missing does not exist");
        await Expect(panel.Locator(".lint-item[data-lint='open-source-ranges']")).ToHaveCountAsync(0);

        await fixture.Kubectl.RunAsync("delete", "ingress", "e2e-no-class", "--namespace", "default");
        await page.Context.CloseAsync();
    }
}
