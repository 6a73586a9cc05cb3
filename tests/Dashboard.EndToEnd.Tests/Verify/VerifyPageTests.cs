using System.Text.RegularExpressions;
using Dashboard.EndToEnd.Tests.Triage;
using Microsoft.Playwright;

namespace Dashboard.EndToEnd.Tests.Verify;

/// <summary>
/// In chromium on the sandbox: Verify sends one request through the retail-forecast NLB's data plane and shows the answer
/// and its timing; a smoke test is confirmed (naming the URL and the balancer's scheme), runs live, and its result turns
/// the checklist's "smoke test passed" row green.
/// </summary>
[Collection(TriageServerCollection.Name)]
public sealed class VerifyPageTests(TriageServerFixture fixture)
{
    [Fact]
    public async Task Verify_shows_the_answer_and_a_confirmed_smoke_test_runs_live_and_passes_the_checklist_row()
    {
        await fixture.ReadyPodsAsync(TriageServerFixture.Namespace, TriageServerFixture.PodSelector, expected: 3);
        var page = await fixture.NewPageAsync();
        try
        {
            await TriageServerFixture.GotoLiveAsync(page, $"/endpoints/service/{TriageServerFixture.Namespace}/{TriageServerFixture.ServiceName}");
            var timeout = new LocatorAssertionsToBeVisibleOptions { Timeout = (float)TriageServerFixture.HealthTimeout.TotalMilliseconds };
            var verify = page.Locator("[data-testid=verify-panel]");
            await Assertions.Expect(verify.Locator("[data-testid=verify-send]")).ToBeVisibleAsync(timeout);
            await Assertions.Expect(verify.Locator("[data-testid=verify-send]")).ToBeEnabledAsync();

            await verify.Locator("[data-testid=verify-send]").ClickAsync();

            await Assertions.Expect(verify.Locator("[data-testid=verify-status]")).ToContainTextAsync("200", new() { Timeout = (float)TriageServerFixture.Timeout.TotalMilliseconds });
            await Assertions.Expect(verify.Locator("[data-testid=verify-timing]")).ToContainTextAsync("ms");
            await Assertions.Expect(verify.Locator("[data-testid=verify-body]")).ToContainTextAsync("healthy");
            await Assertions.Expect(page.Locator("[data-testid=check][data-code=answers]")).ToHaveAttributeAsync("data-state", "Pass", new() { Timeout = (float)TriageServerFixture.Timeout.TotalMilliseconds });

            var smoke = page.Locator("[data-testid=smoke-panel]");
            await smoke.Locator("[data-testid=smoke-start]").ClickAsync();
            var confirm = smoke.Locator("[data-testid=smoke-confirm]");
            await Assertions.Expect(confirm).ToContainTextAsync("internet-facing");
            await Assertions.Expect(confirm).ToContainTextAsync(".elb.");
            await smoke.Locator("[data-testid=smoke-confirm-run]").ClickAsync();

            // Live while it runs, then done.
            await Assertions.Expect(smoke.Locator("[data-testid=smoke-figures]")).ToHaveAttributeAsync("data-state", "running", new() { Timeout = 5_000 });
            await Assertions.Expect(smoke.Locator("[data-testid=smoke-stop]")).ToBeVisibleAsync();
            await Assertions.Expect(smoke.Locator("[data-testid=smoke-figures]")).ToHaveAttributeAsync("data-state", "done", new() { Timeout = 30_000 });
            await Assertions.Expect(smoke.Locator("[data-testid=smoke-state]")).ToContainTextAsync("passed");
            await Assertions.Expect(smoke.Locator("[data-testid=smoke-chart]")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("[data-testid=check][data-code=smoke]")).ToHaveAttributeAsync("data-state", "Pass", new() { Timeout = (float)TriageServerFixture.Timeout.TotalMilliseconds });
            await TriageServerFixture.ScreenshotAsync(page, "endpoint-verify-smoke-test");

            // The smoke test is on the Metrics timeline of the same endpoint, saying who ran it (a new range is a new read).
            var metrics = page.Locator("[data-testid=metrics-section]").First;
            await metrics.Locator("[data-testid=range-15m]").ClickAsync();
            var marker = metrics.Locator("[data-testid=metric-chart] .metric-marker-smoke").First;
            await Assertions.Expect(marker).ToHaveAttributeAsync("title", new Regex("smoke test by .+: \\d+ requests, 0 errors"), new() { Timeout = (float)TriageServerFixture.Timeout.TotalMilliseconds });
            Assert.Contains("#smoke-title", await marker.GetAttributeAsync("href"), StringComparison.Ordinal);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
