using System.Diagnostics;
using System.Text.RegularExpressions;
using Dashboard.Client.Model;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Dashboard.EndToEnd.Tests.Triage.TriageServerFixture;

namespace Dashboard.EndToEnd.Tests.Triage;

/// <summary>
/// Issue 4's proof on the Triage page, in chromium against the real server process: a pod told to answer 500 shows up
/// on the open page, without a reload, as an unhealthy target with <c>Target.ResponseCodeMismatch</c> and a diagnosis
/// naming the health-check path; told to answer again, it leaves; when every pod of an endpoint fails, that endpoint
/// is listed first, as an outage, above an endpoint with only some targets failing.
/// </summary>
[Collection(TriageServerCollection.Name)]
public sealed class TriagePageTests(TriageServerFixture fixture, ITestOutputHelper output)
{
    private static readonly string Endpoint = $"service/{Namespace}/{ServiceName}";
    private static readonly string OtherEndpoint = $"service/{OtherNamespace}/{ServiceName}";

    [Fact]
    public async Task Failing_pods_appear_live_with_their_diagnosis_leave_when_healthy_and_an_outage_is_listed_first()
    {
        var pods = await fixture.ReadyPodsAsync(Namespace, PodSelector, expected: 3);
        var otherPods = await fixture.ReadyPodsAsync(OtherNamespace, PodSelector, expected: 3);
        var page = await fixture.NewPageAsync();
        var total = Stopwatch.StartNew();
        try
        {
            // Every target healthy: the empty state, counting the six targets whose health was read.
            await GotoLiveAsync(page, "/triage");
            var empty = page.Locator("[data-testid=triage-empty]");
            await Assertions.Expect(empty).ToHaveTextAsync(new Regex(@"All 6 targets healthy as of"), new() { Timeout = Ms(HealthTimeout) });

            // One pod answers 500.
            var (pod, ip) = pods.First();
            await fixture.AnnotateHealthAsync(Namespace, pod, "http-500");
            var annotated = Stopwatch.StartNew();
            var item = page.Locator($"[data-testid=triage-item][data-target='{ip}:{PodPort}']");
            await Assertions.Expect(item).ToHaveCountAsync(1, new() { Timeout = Ms(HealthTimeout) });
            output.WriteLine($"{ip}:{PodPort} on the page {annotated.Elapsed.TotalSeconds:F1} s after the annotation");
            // The target may first be listed while its health checks are still running (initial): wait, bounded, for the verdict.
            await Assertions.Expect(item.Locator(".state-chip")).ToHaveTextAsync("unhealthy", new() { Timeout = Ms(HealthTimeout) });
            await Assertions.Expect(item.Locator("[data-testid=reason]")).ToHaveTextAsync("Target.ResponseCodeMismatch");
            await Assertions.Expect(item.Locator("[data-testid=diagnosis]")).ToContainTextAsync("/healthz");
            await Assertions.Expect(item.Locator(".aws-description")).ToContainTextAsync("500");
            await Assertions.Expect(item).ToContainTextAsync(pod);
            var group = Group(page, Endpoint);
            await Assertions.Expect(group).ToHaveAttributeAsync("data-severity", nameof(TriageSeverity.Degraded));
            await Assertions.Expect(page.Locator("[data-testid=triage-item]")).ToHaveCountAsync(1); // only that pod
            await Assertions.Expect(empty).ToHaveCountAsync(0);
            await ScreenshotAsync(page, "triage-one-pod");

            // It answers again: after the healthy threshold it leaves the open page, which is empty again.
            await fixture.AnnotateHealthAsync(Namespace, pod, "ok");
            var healed = Stopwatch.StartNew();
            await Assertions.Expect(item).ToHaveCountAsync(0, new() { Timeout = Ms(HealthTimeout) });
            output.WriteLine($"{ip}:{PodPort} left the page {healed.Elapsed.TotalSeconds:F1} s after the annotation was reverted");
            await Assertions.Expect(empty).ToHaveTextAsync(new Regex(@"All 6 targets healthy"));

            // One pod of the first endpoint fails again (degraded) and every pod of the other one (outage).
            await fixture.AnnotateHealthAsync(Namespace, pod, "http-500");
            foreach (var other in otherPods.Keys)
            {
                await fixture.AnnotateHealthAsync(OtherNamespace, other, "http-500");
            }
            var outage = Stopwatch.StartNew();
            await Assertions.Expect(page.Locator("[data-testid=triage-group]")).ToHaveCountAsync(2, new() { Timeout = Ms(HealthTimeout) });
            var groups = page.Locator("[data-testid=triage-group]");
            await Assertions.Expect(groups.First).ToHaveAttributeAsync("data-severity", nameof(TriageSeverity.Outage), new() { Timeout = Ms(HealthTimeout) });
            output.WriteLine($"outage listed first {outage.Elapsed.TotalSeconds:F1} s after the annotations");
            await Assertions.Expect(groups.First).ToHaveAttributeAsync("data-endpoint", OtherEndpoint);
            await Assertions.Expect(groups.Nth(1)).ToHaveAttributeAsync("data-endpoint", Endpoint);
            await Assertions.Expect(groups.Nth(1)).ToHaveAttributeAsync("data-severity", nameof(TriageSeverity.Degraded));
            foreach (var otherIp in otherPods.Values)
            {
                await Assertions.Expect(groups.First.Locator($"[data-testid=triage-item][data-target='{otherIp}:{PodPort}']")).ToHaveCountAsync(1);
            }
            await Assertions.Expect(groups.First.Locator("[data-testid=endpoint-link]"))
                .ToHaveAttributeAsync("href", new Regex($"endpoints/service/{OtherNamespace}/{ServiceName}$"));
            await ScreenshotAsync(page, "triage-outage");
        }
        finally
        {
            foreach (var name in pods.Keys)
            {
                await fixture.AnnotateHealthAsync(Namespace, name, "ok");
            }
            foreach (var name in otherPods.Keys)
            {
                await fixture.AnnotateHealthAsync(OtherNamespace, name, "ok");
            }
            await page.Context.CloseAsync();
            output.WriteLine($"test body took {total.Elapsed.TotalSeconds:F1} s");
        }
    }

    private static ILocator Group(IPage page, string endpoint) =>
        page.Locator($"[data-testid=triage-group][data-endpoint='{endpoint}']");

    private static float Ms(TimeSpan timeout) => (float)timeout.TotalMilliseconds;
}
