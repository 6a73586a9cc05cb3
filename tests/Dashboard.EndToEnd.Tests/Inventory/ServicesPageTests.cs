using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dashboard.EndToEnd.Tests.Inventory;

/// <summary>
/// The Services page in chromium against the real server process and its sandbox, changed with the real kubectl:
/// what a user sees, live, without reloading.
/// </summary>
[Collection(DashboardServerCollection.Name)]
public sealed class ServicesPageTests(DashboardServerFixture fixture)
{
    private static readonly string[] SeededMlopsServices = ["retail-forecast-service", "retail-forecast-loadbalancer", "retail-forecast-nlb"];

    [Fact]
    public async Task Opens_with_the_seeded_mlops_services_and_their_decoded_load_balancers()
    {
        var page = await fixture.NewPageAsync();
        await DashboardServerFixture.GotoInteractiveAsync(page, "/services");

        foreach (var name in SeededMlopsServices)
        {
            await Expect(Row(page, "mlops", name)).ToBeVisibleAsync();
        }
        // The NLB is decoded from its annotations, not just listed.
        await Expect(Row(page, "mlops", "retail-forecast-nlb").Locator(".lb-facts")).ToContainTextAsync("nlb", new() { IgnoreCase = true });
        await Expect(page.Locator("[data-source=kubernetes]")).ToHaveAttributeAsync("data-state", "Live");
        await DashboardServerFixture.ScreenshotAsync(page, "services");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_service_created_with_kubectl_appears_in_the_open_page_and_its_row_goes_when_deleted()
    {
        var page = await fixture.NewPageAsync();
        await DashboardServerFixture.GotoInteractiveAsync(page, "/services");
        // A marker that a reload or a navigation would wipe.
        await page.EvaluateAsync("() => window.__e2eNoReload = true");
        var row = Row(page, "default", "e2e-created");
        await Expect(row).ToHaveCountAsync(0);

        await fixture.Kubectl.CreateAsync("""
            apiVersion: v1
            kind: Service
            metadata:
              name: e2e-created
              namespace: default
              annotations:
                service.beta.kubernetes.io/aws-load-balancer-type: external
                service.beta.kubernetes.io/aws-load-balancer-scheme: internal
                service.beta.kubernetes.io/aws-load-balancer-nlb-target-type: ip
            spec:
              type: LoadBalancer
              selector:
                app: e2e-created
              ports:
              - name: http
                port: 80
                targetPort: 8080
            """);

        await Expect(row).ToBeVisibleAsync();
        await Expect(row).ToContainTextAsync("LoadBalancer");
        await Expect(row.Locator(".lb-facts")).ToContainTextAsync("internal");
        Assert.True(await page.EvaluateAsync<bool>("() => window.__e2eNoReload === true"), "The page reloaded to show the change.");
        await DashboardServerFixture.ScreenshotAsync(page, "services-after-create");

        await fixture.Kubectl.RunAsync("delete", "service", "e2e-created", "--namespace", "default");

        await Expect(row).ToHaveCountAsync(0);
        Assert.True(await page.EvaluateAsync<bool>("() => window.__e2eNoReload === true"), "The page reloaded to show the deletion.");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_namespace_in_the_url_shows_only_that_namespace()
    {
        var page = await fixture.NewPageAsync();
        await DashboardServerFixture.GotoInteractiveAsync(page, "/services?ns=mlops");

        foreach (var name in SeededMlopsServices)
        {
            await Expect(Row(page, "mlops", name)).ToBeVisibleAsync();
        }
        var namespaces = await page.Locator("[role=grid] [data-key]").EvaluateAllAsync<string[]>(
            "rows => rows.map(r => r.getAttribute('data-key').split('/')[0])");
        Assert.NotEmpty(namespaces);
        Assert.All(namespaces, ns => Assert.Equal("mlops", ns));
        // The seeded services of other namespaces exist, and are filtered out.
        await Expect(page.Locator("[data-key^='kube-system/'], [data-key^='payments/'], [data-key^='storefront/']")).ToHaveCountAsync(0);
        await DashboardServerFixture.ScreenshotAsync(page, "services-ns-mlops");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_annotation_added_with_kubectl_shows_in_the_open_detail_panel()
    {
        const string Annotation = "alb.ingress.kubernetes.io/healthcheck-interval-seconds";
        var page = await fixture.NewPageAsync();
        await DashboardServerFixture.GotoInteractiveAsync(page, "/services?selected=mlops/retail-forecast-service");
        var panel = page.Locator(".detail-panel");
        await Expect(panel.Locator(".detail-name")).ToHaveTextAsync("retail-forecast-service");
        var decoded = panel.Locator($"[data-annotation='{Annotation}']");
        await Expect(decoded).ToHaveCountAsync(0);

        await fixture.Kubectl.RunAsync("annotate", "service", "retail-forecast-service", "--namespace", "mlops", $"{Annotation}=15");

        await Expect(decoded).ToBeVisibleAsync();
        await Expect(decoded).ToContainTextAsync("15");
        await DashboardServerFixture.ScreenshotAsync(page, "services-detail-annotated");

        await fixture.Kubectl.RunAsync("annotate", "service", "retail-forecast-service", "--namespace", "mlops", $"{Annotation}-");
        await Expect(decoded).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_invalid_scheme_is_an_error_finding_that_quotes_the_controllers_own_event()
    {
        await fixture.Kubectl.CreateAsync("""
            apiVersion: v1
            kind: Service
            metadata:
              name: e2e-sideways
              namespace: default
              annotations:
                service.beta.kubernetes.io/aws-load-balancer-scheme: sideways
                service.beta.kubernetes.io/aws-load-balancer-nlb-target-type: ip
            spec:
              type: LoadBalancer
              loadBalancerClass: service.k8s.aws/nlb
              selector:
                app: e2e-sideways
              ports:
              - name: http
                port: 80
                targetPort: 8080
            """);
        var page = await fixture.NewPageAsync();
        await DashboardServerFixture.GotoInteractiveAsync(page, "/services?selected=default/e2e-sideways");
        var panel = page.Locator(".detail-panel");

        var finding = panel.Locator(".lint-item[data-lint='invalid-annotation-value']");
        await Expect(finding).ToContainTextAsync("Invalid service.beta.kubernetes.io/aws-load-balancer-scheme: \"sideways\"");
        await Expect(finding).ToContainTextAsync("FailedBuildModel \"Failed build model due to unknown scheme: sideways\"");
        await Expect(finding).ToContainTextAsync("internal or internet-facing");
        // The sandbox's controller refuses it with the text the finding quotes.
        // Details (events) are read when asked for: reload them until the event has reached the server's cache.
        await panel.GetByRole(AriaRole.Tab, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Events") }).ClickAsync();
        var refused = panel.GetByText("Failed build model due to unknown scheme: sideways");
        var deadline = DateTimeOffset.UtcNow + Dashboard.Testing.Patience.Eventually;
        while (true)
        {
            try
            {
                await refused.First.WaitForAsync(new() { Timeout = 2000 });
                break;
            }
            catch (TimeoutException) when (DateTimeOffset.UtcNow < deadline)
            {
                await panel.GetByLabel("Reload details").ClickAsync();
            }
        }
        await DashboardServerFixture.ScreenshotAsync(page, "services-invalid-scheme");

        await fixture.Kubectl.RunAsync("delete", "service", "e2e-sideways", "--namespace", "default");
        await page.Context.CloseAsync();
    }

    private static ILocator Row(IPage page, string @namespace, string name) =>
        page.Locator($"[role=grid] [data-key='{@namespace}/{name}']");
}
