using Microsoft.Playwright;

namespace Dashboard.EndToEnd.Tests.Triage;

/// <summary>
/// Smoke test of the endpoint detail page for the retail-forecast NLB (ip targets): the chain from the Service through the
/// balancer and its listeners to target groups and targets, the targets table with each target's pod, and the
/// checklist. A full-page screenshot is written for a person to look at.
/// </summary>
[Collection(TriageServerCollection.Name)]
public sealed class EndpointPageTests(TriageServerFixture fixture)
{
    [Fact]
    public async Task The_retail_forecast_NLB_endpoint_shows_its_chain_targets_with_pods_and_the_checklist()
    {
        var pods = await fixture.ReadyPodsAsync(TriageServerFixture.Namespace, TriageServerFixture.PodSelector, expected: 3);
        var page = await fixture.NewPageAsync();
        try
        {
            await TriageServerFixture.GotoLiveAsync(page, $"/endpoints/service/{TriageServerFixture.Namespace}/{TriageServerFixture.ServiceName}");
            var endpoint = page.Locator("[data-testid=endpoint-page]");
            await Assertions.Expect(endpoint.Locator("[data-testid=chain]").First).ToBeVisibleAsync(new() { Timeout = (float)TriageServerFixture.HealthTimeout.TotalMilliseconds });
            await Assertions.Expect(endpoint.Locator("[data-testid=chain-object]").First).ToContainTextAsync(TriageServerFixture.ServiceName);
            await Assertions.Expect(endpoint.Locator("[data-testid=chain-balancer]")).ToHaveCountAsync(1);
            // One listener (TCP 80) forwarding to one ip target group.
            await Assertions.Expect(endpoint.Locator("[data-testid=chain-listener]")).ToHaveCountAsync(1);
            await Assertions.Expect(endpoint.Locator("[data-testid=target-group]")).ToHaveCountAsync(1);

            // Every pod is a target on its http port, with its pod named in the row.
            foreach (var (pod, ip) in pods)
            {
                var row = endpoint.Locator($"[data-testid=target][data-target='{ip}:{TriageServerFixture.PodPort}']");
                await Assertions.Expect(row).ToHaveCountAsync(1, new() { Timeout = (float)TriageServerFixture.HealthTimeout.TotalMilliseconds });
                await Assertions.Expect(row).ToContainTextAsync(pod);
                await Assertions.Expect(row).ToContainTextAsync("Running");
            }

            // The checklist: the balancer exists and has an address; every line has a state and a reason.
            var checks = endpoint.Locator("[data-testid=checklist] [data-testid=check]");
            Assert.True(await checks.CountAsync() >= 5, "the checklist has its lines");
            var states = await checks.EvaluateAllAsync<string[]>("cs => cs.map(c => c.dataset.state)");
            Assert.All(states, s => Assert.Contains(s, new[] { "Pass", "Warn", "Fail", "Unknown" }));
            Assert.Contains("Pass", states);
            // The security rows are answered from EC2 (AWSSDK.EC2 against the sandbox), not guessed: once read they leave Unknown.
            var subnets = endpoint.Locator("[data-testid=check][data-code=subnets]");
            await Assertions.Expect(subnets).ToHaveAttributeAsync("data-state", "Pass", new() { Timeout = (float)TriageServerFixture.HealthTimeout.TotalMilliseconds });
            await Assertions.Expect(subnets).ToContainTextAsync("tagged kubernetes.io/role/elb");
            var reachable = endpoint.Locator("[data-testid=check][data-code=target-port]");
            await Assertions.Expect(reachable).ToHaveAttributeAsync("data-state", "Pass");
            await Assertions.Expect(reachable).ToContainTextAsync($"tcp {TriageServerFixture.PodPort} from sg-");
            await Assertions.Expect(endpoint.Locator("[data-testid=check][data-code=waf]")).ToContainTextAsync("Not applicable");
            await TriageServerFixture.ScreenshotAsync(page, "endpoint-retail-forecast-nlb");
            // The page scrolls inside the layout, so the full-page shot stops at the fold: the targets table on its own.
            Directory.CreateDirectory(TriageServerFixture.ScreenshotDirectory);
            await endpoint.Locator("[data-testid=target-group]").ScreenshotAsync(new LocatorScreenshotOptions
            {
                Path = Path.Combine(TriageServerFixture.ScreenshotDirectory, "endpoint-retail-forecast-nlb-targets.png"),
            });
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
