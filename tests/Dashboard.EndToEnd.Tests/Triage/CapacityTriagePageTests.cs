using System.Text.RegularExpressions;
using Dashboard.Client.Model;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Dashboard.EndToEnd.Tests.Triage.TriageServerFixture;

namespace Dashboard.EndToEnd.Tests.Triage;

/// <summary>
/// Issue 16 on the Triage page, in chromium against the real server process: a new internet-facing NLB whose selector
/// matches no pod is not "all healthy" — it is listed as an outage of its endpoint, with the cause, the Service to edit
/// and the kubectl command that fixes it; deleted, it leaves and the page is empty again.
/// </summary>
[Collection(TriageServerCollection.Name)]
public sealed class CapacityTriagePageTests(TriageServerFixture fixture, ITestOutputHelper output)
{
    private const string Name = "orders-nlb";

    private static string Manifest => $"""
        apiVersion: v1
        kind: Service
        metadata:
          name: {Name}
          namespace: {Namespace}
          annotations:
            service.beta.kubernetes.io/aws-load-balancer-type: external
            service.beta.kubernetes.io/aws-load-balancer-nlb-target-type: ip
            service.beta.kubernetes.io/aws-load-balancer-scheme: internet-facing
        spec:
          type: LoadBalancer
          selector:
            app: orders-api
          ports:
          - name: http
            port: 80
            targetPort: 8080
        """;

    [Fact]
    public async Task An_NLB_whose_selector_matches_no_pod_is_an_outage_on_triage_naming_the_service_to_edit()
    {
        await fixture.ReadyPodsAsync(Namespace, PodSelector, expected: 3);
        var page = await fixture.NewPageAsync();
        try
        {
            await GotoLiveAsync(page, "/triage");
            var empty = page.Locator("[data-testid=triage-empty]");
            await Assertions.Expect(empty).ToHaveTextAsync(new Regex(@"All 6 targets healthy as of"), new() { Timeout = Ms(HealthTimeout) });

            await fixture.Kubectl.CreateAsync(Manifest);
            var group = page.Locator($"[data-testid=triage-group][data-endpoint='service/{Namespace}/{Name}']");
            await Assertions.Expect(group).ToHaveCountAsync(1, new() { Timeout = Ms(HealthTimeout) });
            await Assertions.Expect(group).ToHaveAttributeAsync("data-severity", nameof(TriageSeverity.Outage));
            var item = group.Locator("[data-testid=triage-item]");
            await Assertions.Expect(item).ToHaveAttributeAsync("data-kind", nameof(TriageItemKind.NoTargets));
            await Assertions.Expect(item.Locator("[data-testid=diagnosis]")).ToHaveAttributeAsync("data-code", "SelectorMatchesNoPod");
            await Assertions.Expect(item.Locator("[data-testid=diagnosis]")).ToContainTextAsync("app=orders-api");
            await Assertions.Expect(item.Locator("[data-testid=fix-object]")).ToHaveAttributeAsync("data-object", $"Service/{Namespace}/{Name}");
            await Assertions.Expect(empty).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator("[data-testid=triage-counts]")).ToContainTextAsync("1 target group without targets");
            output.WriteLine(await group.InnerTextAsync());
            await ScreenshotAsync(page, "triage-no-targets");

            await fixture.Kubectl.RunAsync("delete", "service", Name, "-n", Namespace);
            await Assertions.Expect(group).ToHaveCountAsync(0, new() { Timeout = Ms(HealthTimeout) });
            await Assertions.Expect(empty).ToHaveTextAsync(new Regex(@"All 6 targets healthy"), new() { Timeout = Ms(HealthTimeout) });
        }
        finally
        {
            await fixture.Kubectl.RunAsync("delete", "service", Name, "-n", Namespace, "--ignore-not-found");
            await page.Context.CloseAsync();
        }
    }

    private static float Ms(TimeSpan timeout) => (float)timeout.TotalMilliseconds;
}
