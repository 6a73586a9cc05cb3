using Dashboard.EndToEnd.Tests.Infrastructure;
using Dashboard.EndToEnd.Tests.Inventory;
using Dashboard.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dashboard.EndToEnd.Tests.Changes;

/// <summary>One dashboard process (its own state file) and one chromium for the guided-change browser tests below.</summary>
public sealed class ChangesServerFixture : ServerAndBrowserFixture
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "dashboard-e2e", $"changes-{Guid.NewGuid():N}.db");

    protected override IDictionary<string, string>? Settings => new Dictionary<string, string>
    {
        ["Dashboard__State__SqlitePath"] = _state,
        ["Sandbox__ProvisioningDelay"] = "00:00:01",
    };

    protected override ViewportSize Viewport => new() { Width = 1440, Height = 1000 };

    /// <summary><c>kubectl apply --server-side</c> of <paramref name="yaml"/> as <paramref name="manager"/>.</summary>
    public async Task ApplyAsync(string yaml, string manager, bool forceConflicts = false)
    {
        var file = Path.Combine(Path.GetTempPath(), $"e2e-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, yaml);
        try
        {
            string[] arguments = ["apply", "--server-side", $"--field-manager={manager}", "-f", file];
            await Kubectl.RunAsync(forceConflicts ? [.. arguments, "--force-conflicts"] : arguments);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Waits (bounded) until <c>kubectl get</c> with <paramref name="jsonPath"/> prints <paramref name="expected"/> (or anything, when null).</summary>
    public async Task<string> WaitForAsync(string[] get, string jsonPath, string? expected)
    {
        var deadline = DateTimeOffset.UtcNow + Patience.Eventually;
        while (true)
        {
            var value = await Kubectl.RunAsync([.. get, "-o", $"jsonpath={jsonPath}"]);
            if (expected is null ? value.Length > 0 : value == expected)
            {
                return value;
            }
            Assert.True(DateTimeOffset.UtcNow < deadline, $"kubectl get {string.Join(' ', get)} {jsonPath} is '{value}', not {expected ?? "set"}, after {Patience.Eventually}");
            await Task.Delay(200);
        }
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var file in new[] { _state, _state + "-wal", _state + "-shm" })
        {
            File.Delete(file);
        }
    }
}

/// <summary>
/// In chromium on the sandbox: reconfiguring an endpoint while someone else changes it with kubectl (the page answers
/// the stale plan and then the field conflict clearly, the user takes ownership, applies, and rolls back to what the
/// other manager had), and exposing through an ALB on the seed's existing IngressGroup with its blast radius shown.
/// </summary>
public sealed class ChangeConflictAndGroupTests(ChangesServerFixture fixture) : IClassFixture<ChangesServerFixture>
{
    private const string PathAnnotation = "service.beta.kubernetes.io/aws-load-balancer-healthcheck-path";
    private const string PathJson = "{.metadata.annotations.service\\.beta\\.kubernetes\\.io/aws-load-balancer-healthcheck-path}";

    private static string Service(string name, string path, bool full = true) => full
        ? $"""
          apiVersion: v1
          kind: Service
          metadata:
            name: {name}
            namespace: mlops
            annotations:
              {PathAnnotation}: {path}
              service.beta.kubernetes.io/aws-load-balancer-nlb-target-type: ip
          spec:
            type: LoadBalancer
            loadBalancerClass: service.k8s.aws/nlb
            selector:
              app: retail-forecast-api
            ports:
            - port: 80
              targetPort: 8080
              protocol: TCP
          """
        : $"""
          apiVersion: v1
          kind: Service
          metadata:
            name: {name}
            namespace: mlops
            annotations:
              {PathAnnotation}: {path}
          """;

    [Fact]
    public async Task Reconfigure_meets_a_kubectl_change_and_a_field_conflict_takes_ownership_applies_and_rolls_back()
    {
        // Made by someone with kubectl create; the sandbox's controller then gives it its NLB.
        await fixture.Kubectl.CreateAsync(Service("e2e-reconf", "/healthz"));
        await fixture.WaitForAsync(["get", "service", "e2e-reconf", "-n", "mlops"], "{.status.loadBalancer.ingress[0].hostname}", null);
        var page = await fixture.NewPageAsync();

        await page.GotoAsync("changes/new?action=reconfigure&kind=Service&namespace=mlops&name=e2e-reconf");
        await page.Locator("[data-testid=change-page][data-interactive=true]").WaitForAsync();
        await Expect(Input(page, "f-hc-path")).ToHaveValueAsync("/healthz");
        await Input(page, "f-hc-path").FillAsync("/ready");
        await Input(page, "f-hc-path").BlurAsync();
        await DashboardServerFixture.ScreenshotAsync(page, "changes-reconfigure-form");
        await page.Locator("[data-testid=preview]").ClickAsync();
        var plan = page.Locator("[data-testid=plan]");
        await Expect(plan.Locator("[data-testid=dry-run]")).ToContainTextAsync("passed");
        await Expect(plan.Locator("[data-testid=diff] .diff-added", new() { HasText = $"{PathAnnotation}: /ready" })).ToHaveCountAsync(1);

        // Meanwhile someone else takes the field with kubectl.
        await fixture.ApplyAsync(Service("e2e-reconf", "/other", full: false), "someone-else", forceConflicts: true);

        // 1. The plan is stale: refused, and planned again from the object as it is now — whose dry run names the other manager.
        await page.Locator("[data-testid=apply]").ClickAsync();
        await Expect(page.Locator("[data-testid=change-error]")).ToContainTextAsync("changed since the plan was made");
        await Expect(plan.Locator("[data-testid=plan-warning][data-code=field-conflict]")).ToContainTextAsync("someone-else");
        await Expect(plan.Locator("[data-testid=dry-run]")).ToContainTextAsync("failed");
        await DashboardServerFixture.ScreenshotAsync(page, "changes-conflict-replanned");

        // 2. Applying it anyway: the API server's conflict, with the manager and the field, and the choice to take ownership.
        await Input(page, "confirm").CheckAsync();
        await page.Locator("[data-testid=apply]").ClickAsync();
        var conflicts = page.Locator("[data-testid=conflicts]");
        await Expect(conflicts).ToContainTextAsync("someone-else");
        await Expect(conflicts).ToContainTextAsync($".metadata.annotations.{PathAnnotation}");
        await DashboardServerFixture.ScreenshotAsync(page, "changes-conflict");
        Assert.Equal("/other", await fixture.Kubectl.RunAsync("get", "service", "e2e-reconf", "-n", "mlops", "-o", $"jsonpath={PathJson}"));

        // 3. Take ownership, confirmed.
        await Input(page, "confirm-force").CheckAsync();
        await page.Locator("[data-testid=apply-force]").ClickAsync();
        var progress = page.Locator("[data-testid=progress]");
        await Expect(progress).ToContainTextAsync("applied");
        Assert.Equal("/ready", await fixture.Kubectl.RunAsync("get", "service", "e2e-reconf", "-n", "mlops", "-o", $"jsonpath={PathJson}"));

        // 4. Roll back: a new plan through the same preview, restoring the value before the change.
        await progress.Locator("[data-testid=rollback]").ClickAsync();
        await Expect(plan.Locator("[data-testid=diff] .diff-added", new() { HasText = $"{PathAnnotation}: /other" })).ToHaveCountAsync(1);
        await DashboardServerFixture.ScreenshotAsync(page, "changes-rollback-preview");
        await page.Locator("[data-testid=apply]").ClickAsync();
        await Expect(page.Locator("[data-testid=progress]")).ToContainTextAsync("rollback");
        Assert.Equal("/other", await fixture.Kubectl.RunAsync("get", "service", "e2e-reconf", "-n", "mlops", "-o", $"jsonpath={PathJson}"));

        // The story on the Audit page: refused (stale plan), conflicted, applied (forced), applied (rollback).
        await page.GotoAsync("audit?namespace=mlops");
        var rows = page.Locator("[data-testid=audit-row]", new() { HasText = "service/mlops/e2e-reconf" });
        await Expect(rows).ToHaveCountAsync(4);
        await Expect(page.Locator("[data-testid=audit-row][data-outcome=conflicted]", new() { HasText = "service/mlops/e2e-reconf" })).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-testid=audit-row][data-outcome=refused]", new() { HasText = "service/mlops/e2e-reconf" })).ToHaveCountAsync(1);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Exposing_through_an_ALB_on_an_existing_IngressGroup_shows_its_blast_radius_and_joins_its_ALB()
    {
        var page = await fixture.NewPageAsync();

        await page.GotoAsync("changes/new?action=expose&namespace=mlops&kind=Deployment&name=retail-forecast-api&via=alb");
        await page.Locator("[data-testid=change-page][data-interactive=true]").WaitForAsync();
        await Expect(Input(page, "f-hc-path")).ToHaveValueAsync("/healthz");
        await Input(page, "f-name").FillAsync("forecast-shop-e2e");
        await Input(page, "f-host").FillAsync("forecast.shop.example.com");
        await Input(page, "f-group").FillAsync("shop");
        await Input(page, "f-group").BlurAsync();
        await page.Locator("[data-testid=preview]").ClickAsync();

        var plan = page.Locator("[data-testid=plan]");
        await Expect(plan.Locator("[data-testid=dry-run]")).ToContainTextAsync("passed");
        var blast = plan.Locator("[data-testid=plan-warning][data-code=group-blast-radius]");
        await Expect(blast).ToContainTextAsync("storefront/storefront");
        await Expect(blast).ToContainTextAsync("shop.example.com");
        await Expect(plan.Locator("[data-testid=planned-object]")).ToHaveCountAsync(2);
        await DashboardServerFixture.ScreenshotAsync(page, "changes-alb-group-preview");

        await page.Locator("[data-testid=apply]").ClickAsync();
        var progress = page.Locator("[data-testid=progress]");
        await Expect(progress).ToContainTextAsync("applied");
        await Expect(progress.Locator("[data-testid=step]", new() { HasText = "Address assigned" })).ToHaveAttributeAsync("data-state", "done");
        // One ALB for the group: the new Ingress has the storefront Ingress's address.
        var shop = await fixture.Kubectl.RunAsync("get", "ingress", "storefront", "-n", "storefront", "-o", "jsonpath={.status.loadBalancer.ingress[0].hostname}");
        await fixture.WaitForAsync(["get", "ingress", "forecast-shop-e2e", "-n", "mlops"], "{.status.loadBalancer.ingress[0].hostname}", shop);
        await page.Context.CloseAsync();
    }

    private static ILocator Input(IPage page, string testId) =>
        page.Locator($"input[data-testid={testId}], [data-testid={testId}] input").First;
}
