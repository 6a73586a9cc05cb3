using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dashboard.EndToEnd.Tests.Infrastructure;
using Dashboard.Testing;
using Microsoft.Playwright;

namespace Dashboard.EndToEnd.Tests.LoadBalancers;

/// <summary>
/// Issue 3's proof, as an operator would do it against the real server process in sandbox mode: <c>kubectl create</c>
/// the seed's advanced NLB Service while the Services page is open → the page shows the load balancer's hostname
/// without a reload; <c>aws elbv2 describe-target-health</c> lists the three pod IPs healthy; one pod annotated to
/// answer 500 → its target turns unhealthy with <c>Target.ResponseCodeMismatch</c> after the unhealthy threshold.
/// The simulated kubelet's readiness delay is set to an hour so the failing pod stays Ready (and registered) and the
/// load balancer's own health check is what is seen, not the controller deregistering a NotReady pod.
/// </summary>
public sealed partial class SeedNlbTargetHealthTests : IAsyncLifetime
{
    private const string Namespace = "nlb-proof";
    private const string ServiceName = "retail-forecast-nlb";
    // Long enough that the page, however busy the machine, shows the Service before its balancer is provisioned: the
    // pending state is asserted while it lasts, not raced.
    private static readonly TimeSpan ProvisioningDelay = Patience.Scale(TimeSpan.FromSeconds(20));
    private static readonly TimeSpan Slack = Patience.Eventually;

    private DashboardProcess _dashboard = null!;
    private CommandLine _cli = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _dashboard = await DashboardProcess.StartAsync(new Dictionary<string, string>
        {
            ["Sandbox__ProvisioningDelay"] = ProvisioningDelay.ToString("c", CultureInfo.InvariantCulture),
            ["Sandbox__Cluster__ReadinessDelay"] = "01:00:00",
        });
        var line = await _dashboard.WaitForOutputAsync(AwsEndpointLine().ToString(), Patience.Slowly);
        var awsEndpoint = new Uri(AwsEndpointLine().Match(line).Groups[1].Value);
        await WaitUntilAsync(() => Task.FromResult(File.Exists(_dashboard.KubeconfigPath)), Patience.Eventually, "the sandbox kubeconfig");
        _cli = new CommandLine(_dashboard.KubeconfigPath, awsEndpoint);
        (_playwright, _browser) = await Browser.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
        _cli?.Dispose();
        if (_dashboard is not null)
        {
            await _dashboard.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_seed_NLB_gets_its_hostname_live_on_the_Services_page_and_its_targets_follow_the_pods_health()
    {
        // The workload first: three ready pods with IPs.
        (await _cli.KubectlAsync("create", "-f", _cli.WriteFile("workload.yaml", SeedNlbManifest.Workload(Namespace)))).Succeeded();
        var podIps = await WaitForReadyPodsAsync(expected: 3);

        // The Services page, open before the Service exists.
        await using var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _dashboard.BaseUri.ToString() });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout((float)(ProvisioningDelay + Slack).TotalMilliseconds);
        await page.GotoAsync($"/services?ns={Namespace}");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Services");
        await Assertions.Expect(page.Locator(".grid-empty")).ToBeVisibleAsync();

        (await _cli.KubectlAsync("create", "-f", _cli.WriteFile("service-nlb-advanced.yaml", SeedNlbManifest.IntendedService(Namespace)))).Succeeded();

        // Pending while the controller provisions, then the hostname, pushed over the open circuit.
        var external = page.Locator($"[data-key='{Namespace}/{ServiceName}'] [role=gridcell]").Nth(4);
        await Assertions.Expect(external.Locator(".pending-chip")).ToBeVisibleAsync(new() { Timeout = (float)ProvisioningDelay.TotalMilliseconds });
        await Assertions.Expect(external).ToHaveTextAsync(DnsName(), new() { Timeout = (float)(ProvisioningDelay + Slack).TotalMilliseconds });
        var hostname = (await _cli.KubectlAsync("get", "service", ServiceName, "-n", Namespace, "-o", "jsonpath={.status.loadBalancer.ingress[0].hostname}")).Succeeded().Stdout.Trim();
        Assert.Equal(hostname, (await external.InnerTextAsync()).Trim());

        // The AWS side, through the CLI: the load balancer with that DNS name, its one ip target group, tagged for the Service.
        var loadBalancer = (await _cli.AwsAsync("elbv2", "describe-load-balancers")).Json.GetProperty("LoadBalancers").EnumerateArray()
            .Single(lb => lb.GetProperty("DNSName").GetString() == hostname);
        Assert.Equal("network", loadBalancer.GetProperty("Type").GetString());
        Assert.Equal("internet-facing", loadBalancer.GetProperty("Scheme").GetString());
        var targetGroup = Assert.Single((await _cli.AwsAsync("elbv2", "describe-target-groups", "--load-balancer-arn",
            loadBalancer.GetProperty("LoadBalancerArn").GetString()!)).Json.GetProperty("TargetGroups").EnumerateArray());
        var targetGroupArn = targetGroup.GetProperty("TargetGroupArn").GetString()!;
        Assert.Equal("ip", targetGroup.GetProperty("TargetType").GetString());
        Assert.Equal(8080, targetGroup.GetProperty("Port").GetInt32());
        Assert.Equal("/healthz", targetGroup.GetProperty("HealthCheckPath").GetString());
        Assert.Equal(SeedNlbManifest.HealthCheckIntervalSeconds, targetGroup.GetProperty("HealthCheckIntervalSeconds").GetInt32());
        Assert.Equal(SeedNlbManifest.UnhealthyThreshold, targetGroup.GetProperty("UnhealthyThresholdCount").GetInt32());
        var tags = Assert.Single((await _cli.AwsAsync("elbv2", "describe-tags", "--resource-arns", targetGroupArn)).Json
            .GetProperty("TagDescriptions").EnumerateArray()).GetProperty("Tags").EnumerateArray()
            .ToDictionary(t => t.GetProperty("Key").GetString()!, t => t.GetProperty("Value").GetString());
        Assert.Equal($"{Namespace}/{ServiceName}", tags["service.k8s.aws/stack"]);
        Assert.Equal("RetailForecast", tags["Project"]);

        // The three pod IPs turn healthy after the healthy threshold.
        var health = await WaitForTargetHealthAsync(targetGroupArn, h => h.Count == 3 && h.Values.All(t => t.State == "healthy"),
            Patience.Slowly, "three healthy targets");
        Assert.Equal(podIps.Values.Order(), health.Keys.Order());

        // One pod answers 500: its target fails the matcher twice, then turns unhealthy; the others stay healthy.
        var (failingPod, failingIp) = podIps.First();
        (await _cli.KubectlAsync("annotate", "pod", failingPod, "-n", Namespace, "sandbox.endpoint-dashboard.dev/health=http-500", "--overwrite")).Succeeded();
        var annotated = Stopwatch.StartNew();
        health = await WaitForTargetHealthAsync(targetGroupArn, h => h.GetValueOrDefault(failingIp)?.State != "healthy",
            Patience.Slowly, $"target {failingIp} to leave healthy");
        var after = annotated.Elapsed;
        var failing = health[failingIp];
        Assert.Equal("unhealthy", failing.State);
        Assert.Equal("Target.ResponseCodeMismatch", failing.Reason);
        Assert.Contains("500", failing.Description);
        Assert.All(health.Where(h => h.Key != failingIp), h => Assert.Equal("healthy", h.Value.State));
        // Two failed checks lie one interval apart: an unhealthy target sooner than that ignored the threshold.
        var threshold = TimeSpan.FromSeconds(SeedNlbManifest.HealthCheckIntervalSeconds * (SeedNlbManifest.UnhealthyThreshold - 1));
        Assert.True(after >= threshold - TimeSpan.FromSeconds(1), $"unhealthy after {after}, before the unhealthy threshold ({threshold})");
    }

    private async Task<Dictionary<string, string>> WaitForReadyPodsAsync(int expected)
    {
        Dictionary<string, string> ready = [];
        await WaitUntilAsync(async () =>
        {
            var pods = (await _cli.KubectlAsync("get", "pods", "-n", Namespace, "-l", "app=retail-forecast-api", "-o", "json")).Json;
            ready = pods.GetProperty("items").EnumerateArray()
                .Where(p => p.GetProperty("status").TryGetProperty("podIP", out _) && IsReady(p))
                .ToDictionary(p => p.GetProperty("metadata").GetProperty("name").GetString()!, p => p.GetProperty("status").GetProperty("podIP").GetString()!);
            return ready.Count == expected;
        }, Patience.Slowly, $"{expected} ready pods in {Namespace}");
        return ready;
    }

    private static bool IsReady(JsonElement pod) =>
        pod.GetProperty("status").TryGetProperty("conditions", out var conditions)
        && conditions.EnumerateArray().Any(c => c.GetProperty("type").GetString() == "Ready" && c.GetProperty("status").GetString() == "True");

    private async Task<Dictionary<string, TargetState>> WaitForTargetHealthAsync(string targetGroupArn,
        Func<Dictionary<string, TargetState>, bool> condition, TimeSpan timeout, string what)
    {
        Dictionary<string, TargetState> health = [];
        await WaitUntilAsync(async () =>
        {
            health = (await _cli.AwsAsync("elbv2", "describe-target-health", "--target-group-arn", targetGroupArn)).Json
                .GetProperty("TargetHealthDescriptions").EnumerateArray()
                .ToDictionary(d => d.GetProperty("Target").GetProperty("Id").GetString()!, d => TargetState.From(d.GetProperty("TargetHealth")));
            return condition(health);
        }, timeout, what + " (last: " + string.Join(", ", health.Select(h => $"{h.Key}={h.Value}")) + ")");
        return health;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails after <paramref name="timeout"/>.</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"Waited {timeout} for {what}.");
            }
            await Task.Delay(250);
        }
    }

    private sealed record TargetState(string State, string? Reason, string? Description)
    {
        public static TargetState From(JsonElement health) => new(
            health.GetProperty("State").GetString()!,
            health.TryGetProperty("Reason", out var reason) ? reason.GetString() : null,
            health.TryGetProperty("Description", out var description) ? description.GetString() : null);
    }

    [GeneratedRegex(@"Sandbox AWS endpoint listening on (http://127\.0\.0\.1:\d+/?)")]
    private static partial Regex AwsEndpointLine();

    [GeneratedRegex(@"^\s*k8s-nlbproof-retailfo-[0-9a-f]{10}-[0-9a-f]+\.elb\.us-east-1\.amazonaws\.com\s*$")]
    private static partial Regex DnsName();
}
