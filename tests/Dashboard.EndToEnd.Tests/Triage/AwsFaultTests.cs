using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Dashboard.EndToEnd.Tests.Triage;

/// <summary>
/// The sandbox AWS endpoint throttles (or fails with 5xx) every ELBv2 call while the Load balancers page is open: the
/// layout's AWS chip turns Stale and a banner says why and since when; the rows stay, as last known; when the fault
/// ends the source is Live again and the banner goes.
/// </summary>
[Collection(TriageServerCollection.Name)]
public sealed class AwsFaultTests(TriageServerFixture fixture, ITestOutputHelper output)
{
    public static TheoryData<string, string, string> Faults => new()
    {
        { "throttling", """{"kind":"Throttle","service":"elasticloadbalancing"}""", "throttling" },
        { "HTTP 503", """{"kind":"ServerError","service":"elasticloadbalancing","statusCode":503}""", "HTTP 503" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task An_ELBv2_fault_marks_AWS_stale_with_a_banner_keeps_the_rows_and_recovers(string name, string rule, string bannerSays)
    {
        var page = await fixture.NewPageAsync();
        try
        {
            await TriageServerFixture.GotoLiveAsync(page, "/load-balancers");
            var chip = page.Locator(".source-chip[data-source=aws]");
            var banner = page.Locator(".staleness-banner[data-source=aws]");
            var rows = page.Locator("[data-testid=lb-row]");
            await Assertions.Expect(chip).ToHaveAttributeAsync("data-state", "Live", new() { Timeout = Ms(TriageServerFixture.HealthTimeout) });
            await Assertions.Expect(rows).ToHaveCountAsync(2, new() { Timeout = Ms(TriageServerFixture.Timeout) });
            var names = await rows.EvaluateAllAsync<string[]>("rs => rs.map(r => r.dataset.name)");
            Assert.NotEmpty(names);

            await fixture.Faults.AddAsync(System.Text.Json.JsonDocument.Parse(rule).RootElement);
            try
            {
                await Assertions.Expect(chip).ToHaveAttributeAsync("data-state", "Stale", new() { Timeout = Ms(TriageServerFixture.Timeout) });
                await Assertions.Expect(banner).ToBeVisibleAsync(new() { Timeout = Ms(TriageServerFixture.Timeout) });
                await Assertions.Expect(banner).ToContainTextAsync(new Regex(Regex.Escape(bannerSays), RegexOptions.IgnoreCase));
                await Assertions.Expect(banner).ToContainTextAsync("showing data as of");
                output.WriteLine($"{name} banner: {await banner.InnerTextAsync()}");
                await TriageServerFixture.ScreenshotAsync(page, $"load-balancers-stale-{name.Replace(' ', '-')}");
                // The last known rows stay on the page, all of them.
                Assert.Equal(names, await rows.EvaluateAllAsync<string[]>("rs => rs.map(r => r.dataset.name)"));
            }
            finally
            {
                await fixture.Faults.ClearAsync();
            }

            // Back-off is at most 10 s here (BackoffMaxDelay); then the next read succeeds.
            await Assertions.Expect(chip).ToHaveAttributeAsync("data-state", "Live", new() { Timeout = Ms(TriageServerFixture.Timeout) });
            await Assertions.Expect(banner).ToHaveCountAsync(0, new() { Timeout = Ms(TriageServerFixture.Timeout) });
            Assert.Equal(names, await rows.EvaluateAllAsync<string[]>("rs => rs.map(r => r.dataset.name)"));
            Assert.DoesNotContain(fixture.Server.Output, line => line.Contains("Unhandled exception", StringComparison.OrdinalIgnoreCase));
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    private static float Ms(TimeSpan timeout) => (float)timeout.TotalMilliseconds;
}
