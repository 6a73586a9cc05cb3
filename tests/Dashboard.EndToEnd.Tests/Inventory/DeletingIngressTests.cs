using static Microsoft.Playwright.Assertions;

namespace Dashboard.EndToEnd.Tests.Inventory;

/// <summary>
/// The object lifecycle as a real API server runs it: deleting an Ingress that carries a finalizer only sets its
/// <c>deletionTimestamp</c> (a MODIFIED watch event, the Ingress keeps serving); it goes when the finalizer is removed.
/// The Ingresses list and the endpoint page must say "deleting" meanwhile, naming what holds it, and drop the Ingress
/// once it is gone.
/// </summary>
[Collection(DashboardServerCollection.Name)]
public sealed class DeletingIngressTests(DashboardServerFixture fixture)
{
    private const string Finalizer = "e2e.example.com/hold";

    [Fact]
    public async Task A_deleted_ingress_held_by_a_finalizer_shows_as_deleting_until_it_goes()
    {
        await fixture.Kubectl.CreateAsync($$"""
            apiVersion: v1
            kind: Service
            metadata: {name: e2e-held-web, namespace: default}
            spec:
              selector: {app: e2e-held-web}
              ports: [{port: 80, targetPort: 8080}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: e2e-held
              namespace: default
              finalizers: ["{{Finalizer}}"]
              annotations:
                alb.ingress.kubernetes.io/scheme: internal
            spec:
              ingressClassName: alb
              rules:
              - host: held.example.com
                http:
                  paths:
                  - path: /
                    pathType: Prefix
                    backend:
                      service:
                        name: e2e-held-web
                        port:
                          number: 80
            """);
        var page = await fixture.NewPageAsync();
        await DashboardServerFixture.GotoInteractiveAsync(page, "/ingresses");
        var row = page.Locator("[role=grid] [data-key='default/e2e-held']");
        await Expect(row).ToBeVisibleAsync();
        await Expect(row.Locator("[data-testid=deleting]")).ToHaveCountAsync(0);

        // kubectl delete waits for the object to go by default; the finalizer holds it, so do not wait.
        await fixture.Kubectl.RunAsync("delete", "ingress", "e2e-held", "--namespace", "default", "--wait=false");

        await Expect(row.Locator("[data-testid=deleting]")).ToHaveTextAsync("deleting");
        await Expect(row.Locator(".cell.strong")).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex($"^Deleting since .*, held by finalizer {System.Text.RegularExpressions.Regex.Escape(Finalizer)} until its controller removes it\\.$"));
        await DashboardServerFixture.ScreenshotAsync(page, "ingresses-deleting");

        var endpoint = await fixture.NewPageAsync();
        await endpoint.GotoAsync("/endpoints/ingress/default/e2e-held");
        var alert = endpoint.Locator("[data-testid=endpoint-deleting]");
        await Expect(alert).ToContainTextAsync("Being deleted.");
        await Expect(alert).ToContainTextAsync($"held by finalizer {Finalizer}");
        await DashboardServerFixture.ScreenshotAsync(endpoint, "endpoint-deleting");

        // Removing the last finalizer completes the deletion: the row goes.
        await fixture.Kubectl.RunAsync("patch", "ingress", "e2e-held", "--namespace", "default", "--type=json", "-p", """[{"op":"remove","path":"/metadata/finalizers"}]""");
        await Expect(row).ToHaveCountAsync(0);

        await fixture.Kubectl.RunAsync("delete", "service", "e2e-held-web", "--namespace", "default");
        await endpoint.Context.CloseAsync();
        await page.Context.CloseAsync();
    }
}
