using System.Diagnostics;
using System.Text.RegularExpressions;
using Dashboard.Client.Model;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Dashboard.EndToEnd.Tests.Triage;

/// <summary>
/// Issue 4's proof on the Triage page, in chromium against the real server process: a pod told to answer 500 shows up
/// on the open page, without a reload, as an unhealthy target with <c>Target.ResponseCodeMismatch</c> and a diagnosis
/// naming the health-check path; told to answer again, it leaves; when every pod of an endpoint fails, that endpoint
/// is listed first, as an outage, above an endpoint with only some targets failing.
/// </summary>
/// <remarks>
/// Endpoints with <c>ip</c> targets (one target per pod): <c>payments/payments-api-nlb</c> (checks <c>/ready</c> every
/// 10 s, 3 failures to turn unhealthy; targets on the pods' port 8443 and 9090) and <c>mlops/retail-forecast-nlb</c>
/// plus the two mlops ALB Ingresses (checks <c>/healthz</c> every 30 s, 2 failures; port 8080). The in-tree
/// <c>retail-forecast-loadbalancer</c> has instance targets, i.e. nodes.
/// </remarks>
[Collection(TriageServerCollection.Name)]
public sealed class TriagePageTests(TriageServerFixture fixture, ITestOutputHelper output)
{
    private const string Payments = "payments";
    private const string Mlops = "mlops";
    private const string PaymentsEndpoint = "service/payments/payments-api-nlb";

    [Fact]
    public async Task Failing_pods_appear_live_with_their_diagnosis_leave_when_healthy_and_an_outage_is_listed_first()
    {
        var payments = await fixture.ReadyPodsAsync(Payments, "app=payments-api", expected: 3);
        var retail = await fixture.ReadyPodsAsync(Mlops, "app=retail-forecast-api", expected: 3);
        var page = await fixture.NewPageAsync();
        var total = Stopwatch.StartNew();
        try
        {
            // Every target healthy: the empty state, with a count of targets that health was read for.
            await TriageServerFixture.GotoLiveAsync(page, "/triage");
            await Assertions.Expect(page.Locator("[data-testid=triage-empty]"))
                .ToHaveTextAsync(new Regex(@"All [1-9][0-9,]* targets healthy as of"), new() { Timeout = Ms(TriageServerFixture.HealthTimeout) });

            // One payments pod and one retail-forecast pod answer 500.
            var (paymentsPod, paymentsIp) = payments.First();
            var (retailPod, retailIp) = retail.First();
            await fixture.AnnotateHealthAsync(Payments, paymentsPod, "http-500");
            await fixture.AnnotateHealthAsync(Mlops, retailPod, "http-500");
            var annotated = Stopwatch.StartNew();

            var paymentsItem = Item(page, paymentsIp, 8443);
            await Assertions.Expect(paymentsItem).ToHaveCountAsync(1, new() { Timeout = Ms(TriageServerFixture.HealthTimeout) });
            output.WriteLine($"payments target {paymentsIp}:8443 on the page {annotated.Elapsed.TotalSeconds:F1} s after the annotation");
            await Assertions.Expect(paymentsItem.Locator("[data-testid=reason]")).ToHaveTextAsync("Target.ResponseCodeMismatch");
            Assert.Equal("unhealthy", (await paymentsItem.Locator(".state-chip").InnerTextAsync()).Trim());
            await Assertions.Expect(paymentsItem.Locator("[data-testid=diagnosis]")).ToContainTextAsync("/ready");
            await Assertions.Expect(paymentsItem.Locator(".aws-description")).ToContainTextAsync("500");
            var paymentsGroup = Group(page, PaymentsEndpoint);
            await Assertions.Expect(paymentsGroup).ToHaveAttributeAsync("data-severity", "Degraded");
            // Only that pod: the other two pods' targets stay off the page.
            foreach (var ip in payments.Values.Where(ip => ip != paymentsIp))
            {
                await Assertions.Expect(page.Locator($"[data-testid=triage-item][data-target^='{ip}:']")).ToHaveCountAsync(0);
            }

            // The retail-forecast pod is a target of the NLB and of both ALBs (30 s interval): first item per group
            // carries the full diagnosis, naming the seed's /healthz.
            var retailItems = page.Locator($"[data-testid=triage-item][data-target='{retailIp}:8080']");
            await Assertions.Expect(retailItems.First).ToBeVisibleAsync(new() { Timeout = Ms(TriageServerFixture.HealthTimeout) });
            output.WriteLine($"retail-forecast target {retailIp}:8080 on the page {annotated.Elapsed.TotalSeconds:F1} s after the annotation");
            await Assertions.Expect(retailItems.First.Locator("[data-testid=reason]")).ToHaveTextAsync("Target.ResponseCodeMismatch");
            await Assertions.Expect(retailItems.First.Locator("[data-testid=diagnosis]")).ToContainTextAsync("/healthz");
            await Assertions.Expect(Group(page, "service/mlops/retail-forecast-nlb")).ToHaveAttributeAsync("data-severity", "Degraded");

            // The payments pod answers again: after the healthy threshold its targets leave the open page.
            await fixture.AnnotateHealthAsync(Payments, paymentsPod, "ok");
            var healed = Stopwatch.StartNew();
            await Assertions.Expect(page.Locator($"[data-testid=triage-item][data-target^='{paymentsIp}:']"))
                .ToHaveCountAsync(0, new() { Timeout = Ms(TriageServerFixture.HealthTimeout) });
            output.WriteLine($"payments target left the page {healed.Elapsed.TotalSeconds:F1} s after the annotation was reverted");
            await Assertions.Expect(paymentsGroup).ToHaveCountAsync(0);
            await Assertions.Expect(retailItems.First).ToBeVisibleAsync(); // the other failure is still listed

            // Every payments pod fails: payments is an outage and comes first, above the degraded retail-forecast ones.
            foreach (var pod in payments.Keys)
            {
                await fixture.AnnotateHealthAsync(Payments, pod, "http-500");
            }
            var outage = Stopwatch.StartNew();
            var first = page.Locator("[data-testid=triage-group]").First;
            await Assertions.Expect(first).ToHaveAttributeAsync("data-endpoint", PaymentsEndpoint, new() { Timeout = Ms(TriageServerFixture.HealthTimeout) });
            await Assertions.Expect(first).ToHaveAttributeAsync("data-severity", "Outage", new() { Timeout = Ms(TriageServerFixture.HealthTimeout) });
            output.WriteLine($"payments outage listed first {outage.Elapsed.TotalSeconds:F1} s after the annotations");
            foreach (var ip in payments.Values)
            {
                await Assertions.Expect(first.Locator($"[data-testid=triage-item][data-target='{ip}:8443']")).ToHaveCountAsync(1);
            }
            var severities = await page.Locator("[data-testid=triage-group]").EvaluateAllAsync<string[]>("gs => gs.map(g => g.dataset.severity)");
            Assert.True(severities.Length >= 2, $"groups: {string.Join(", ", severities)}");
            Assert.Equal("Outage", severities[0]);
            Assert.Contains("Degraded", severities.Skip(1));
            Assert.Equal(severities.OrderBy(s => Enum.Parse<TriageSeverity>(s)), severities);
            await Assertions.Expect(first.Locator("[data-testid=endpoint-link]")).ToHaveAttributeAsync("href", new Regex("/endpoints/service/payments/payments-api-nlb$"));
            await TriageServerFixture.ScreenshotAsync(page, "triage-outage");
        }
        finally
        {
            foreach (var pod in payments.Keys)
            {
                await fixture.AnnotateHealthAsync(Payments, pod, "ok");
            }
            foreach (var pod in retail.Keys)
            {
                await fixture.AnnotateHealthAsync(Mlops, pod, "ok");
            }
            await page.Context.CloseAsync();
            output.WriteLine($"test body took {total.Elapsed.TotalSeconds:F1} s");
        }
    }

    private static ILocator Item(IPage page, string ip, int port) =>
        page.Locator($"[data-testid=triage-item][data-target='{ip}:{port}']");

    private static ILocator Group(IPage page, string endpoint) =>
        page.Locator($"[data-testid=triage-group][data-endpoint='{endpoint}']");

    private static float Ms(TimeSpan timeout) => (float)timeout.TotalMilliseconds;
}
