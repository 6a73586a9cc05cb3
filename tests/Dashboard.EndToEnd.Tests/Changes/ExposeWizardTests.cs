using Dashboard.EndToEnd.Tests.Infrastructure;
using Dashboard.EndToEnd.Tests.Inventory;
using Dashboard.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dashboard.EndToEnd.Tests.Changes;

/// <summary>
/// The guided change in chromium against the real server process and its sandbox: a user exposes the seed's Deployment
/// through an NLB — form pre-filled from the readinessProbe, preview with the server's dry run and diff, apply, progress
/// until the address arrives — and finds the change on the Audit page and in kubectl describe.
/// </summary>
public sealed class ExposeWizardTests : IAsyncLifetime
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "dashboard-e2e", $"changes-{Guid.NewGuid():N}.db");
    private DashboardProcess _server = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _server = await DashboardProcess.StartAsync(new Dictionary<string, string>
        {
            ["Dashboard__State__SqlitePath"] = _state,
            ["Sandbox__ProvisioningDelay"] = "00:00:01",
        });
        (_playwright, _browser) = await Browser.LaunchAsync();
    }

    [Fact]
    public async Task A_user_exposes_a_deployment_through_an_nlb_and_finds_it_in_the_audit()
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = _server.BaseUri.ToString(),
            ViewportSize = new ViewportSize { Width = 1440, Height = 1000 },
            ColorScheme = ColorScheme.Dark,
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(Patience.SlowlyMs);

        await page.GotoAsync("changes/new?action=expose&namespace=mlops&kind=Deployment&name=retail-forecast-api");
        await page.Locator("[data-testid=change-page][data-interactive=true]").WaitForAsync();
        // Pre-filled: the health check from the Deployment's readinessProbe, the name from the workload.
        await Expect(Input(page, "f-hc-path")).ToHaveValueAsync("/healthz");
        await Expect(Input(page, "f-name")).ToHaveValueAsync("retail-forecast-api-public");
        await Expect(page.Locator("[data-testid=balancer-choice]")).ToContainTextAsync("NLB");
        await Input(page, "f-name").FillAsync("forecast-e2e");
        await Input(page, "f-name").BlurAsync();
        await DashboardServerFixture.ScreenshotAsync(page, "changes-expose-form");

        await page.Locator("[data-testid=preview]").ClickAsync();
        var plan = page.Locator("[data-testid=plan]");
        await Expect(plan.Locator("[data-testid=dry-run]")).ToContainTextAsync("passed");
        await Expect(plan.Locator("[data-testid=diff] .diff-added", new() { HasText = "loadBalancerClass: service.k8s.aws/nlb" })).ToHaveCountAsync(1);
        await DashboardServerFixture.ScreenshotAsync(page, "changes-expose-preview");

        await page.Locator("[data-testid=apply]").ClickAsync();
        var progress = page.Locator("[data-testid=progress]");
        await Expect(progress).ToContainTextAsync("applied");
        await Expect(progress.Locator("[data-testid=step]", new() { HasText = "Address assigned" })).ToHaveAttributeAsync("data-state", "done");
        // Progress until it works: the sandbox's controller registers the pods and their health checks pass.
        await Expect(progress.Locator("[data-testid=step]", new() { HasText = "Targets healthy" })).ToHaveAttributeAsync("data-state", "done");
        await Expect(progress.Locator("[data-testid=progress-done]")).ToBeVisibleAsync();
        await DashboardServerFixture.ScreenshotAsync(page, "changes-expose-progress");

        await page.GotoAsync("audit?namespace=mlops");
        var row = page.Locator("[data-testid=audit-row]", new() { HasText = "service/mlops/forecast-e2e" });
        await Expect(row).ToHaveAttributeAsync("data-outcome", "applied");
        await Expect(row).ToContainTextAsync("local-user");
        await DashboardServerFixture.ScreenshotAsync(page, "changes-audit");

        // The endpoint page: the change in its Changes section, and (an Operator with no scope limit) Reconfigure and Unexpose offered.
        await page.GotoAsync("endpoints/service/mlops/forecast-e2e");
        var section = page.Locator("[data-testid=endpoint-changes]");
        await Expect(section.Locator("[data-testid=endpoint-change][data-outcome=applied]")).ToContainTextAsync("local-user");
        await Expect(section).ToContainTextAsync("GET /api/v1/audit?object=service%2Fmlops%2Fforecast-e2e");
        await Expect(page.Locator("[data-testid=reconfigure]")).ToBeVisibleAsync();
        await section.ScrollIntoViewIfNeededAsync();
        await DashboardServerFixture.ScreenshotAsync(page, "changes-endpoint-section");

        // Unexpose from there: the plan deletes the Service and names the NLB that goes away (previewed only).
        await page.Locator("[data-testid=unexpose]").ClickAsync();
        await Expect(page.Locator("[data-testid=plan] [data-testid=plan-warning][data-code=deletes-load-balancer]")).ToBeVisibleAsync();
        await DashboardServerFixture.ScreenshotAsync(page, "changes-unexpose-preview");

        var describe = await new Kubectl(_server.KubeconfigPath).RunAsync("describe", "service", "forecast-e2e", "-n", "mlops");
        Assert.Contains("ChangedByEndpointDashboard", describe, StringComparison.Ordinal);
        Assert.Contains("local-user", describe, StringComparison.Ordinal);
        await context.CloseAsync();
    }

    private static ILocator Input(IPage page, string testId) =>
        page.Locator($"input[data-testid={testId}], [data-testid={testId}] input").First;

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
        foreach (var file in new[] { _state, _state + "-wal", _state + "-shm" })
        {
            File.Delete(file);
        }
    }
}
