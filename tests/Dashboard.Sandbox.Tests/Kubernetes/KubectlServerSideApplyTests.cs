using System.Text.Json.Nodes;
using Dashboard.Sandbox.Kubernetes;

namespace Dashboard.Sandbox.Tests.Kubernetes;

/// <summary>
/// Server-side apply's field ownership, judged by kubectl: <c>kubectl apply --server-side</c> records its manager in
/// managedFields, a second manager changing the same field gets kubectl's conflict error naming the first, <c>--force-conflicts</c>
/// takes the field over, <c>kubectl diff --server-side</c> shows the change without storing it, and a field a manager stops
/// applying is removed.
/// </summary>
public sealed class KubectlServerSideApplyTests(KubectlFixture fixture) : IClassFixture<KubectlFixture>
{
    private static string Manifest(string ns, string path, string? extra = null) => $"""
        apiVersion: v1
        kind: Service
        metadata:
          name: ssa
          namespace: {ns}
          annotations:
            service.beta.kubernetes.io/aws-load-balancer-healthcheck-path: {path}
        {(extra is null ? "" : $"    {extra}\n")}spec:
          type: ClusterIP
          ports:
          - port: 80
            targetPort: 8080
        """;

    private string NewNamespace()
    {
        var ns = "ssa-" + Guid.NewGuid().ToString("N")[..8];
        fixture.EnsureNamespace(ns);
        return ns;
    }

    private JsonObject Annotations(string ns) =>
        (JsonObject)fixture.Store.Get(ResourceTypes.Services, ns, "ssa")!["metadata"]!["annotations"]!;

    [Fact]
    public async Task A_second_manager_conflicts_naming_the_first_until_it_forces()
    {
        var ns = NewNamespace();
        var first = fixture.WriteFile($"{ns}-first.yaml", Manifest(ns, "/healthz"));
        (await fixture.RunAsync("apply", "--server-side", "--field-manager=endpoint-dashboard", "-f", first)).Succeeded();
        var managed = (JsonArray)fixture.Store.Get(ResourceTypes.Services, ns, "ssa")!["metadata"]!["managedFields"]!;
        Assert.Contains(managed, m => m!["manager"]!.ToString() == "endpoint-dashboard" && m["operation"]!.ToString() == "Apply");

        var second = fixture.WriteFile($"{ns}-second.yaml", Manifest(ns, "/other"));
        var conflict = (await fixture.RunAsync("apply", "--server-side", "--field-manager=someone-else", "-f", second)).Failed();
        Assert.Contains("Apply failed with 1 conflict", conflict.Stderr);
        Assert.Contains("conflict with \"endpoint-dashboard\"", conflict.Stderr);
        Assert.Contains(".metadata.annotations.service.beta.kubernetes.io/aws-load-balancer-healthcheck-path", conflict.Stderr);
        Assert.Equal("/healthz", Annotations(ns)["service.beta.kubernetes.io/aws-load-balancer-healthcheck-path"]!.ToString());

        // kubectl diff sends the apply as a dry run: it shows the change and stores nothing.
        var diff = await fixture.RunAsync("diff", "--server-side", "--force-conflicts", "--field-manager=someone-else", "-f", second);
        Assert.Equal(1, diff.ExitCode);
        Assert.Contains("+    service.beta.kubernetes.io/aws-load-balancer-healthcheck-path: /other", diff.Stdout);
        Assert.Equal("/healthz", Annotations(ns)["service.beta.kubernetes.io/aws-load-balancer-healthcheck-path"]!.ToString());

        (await fixture.RunAsync("apply", "--server-side", "--force-conflicts", "--field-manager=someone-else", "-f", second)).Succeeded();
        Assert.Equal("/other", Annotations(ns)["service.beta.kubernetes.io/aws-load-balancer-healthcheck-path"]!.ToString());
        // The first manager lost the field: applying its old value now conflicts the other way round.
        var back = (await fixture.RunAsync("apply", "--server-side", "--field-manager=endpoint-dashboard", "-f", first)).Failed();
        Assert.Contains("conflict with \"someone-else\"", back.Stderr);
    }

    [Fact]
    public async Task A_field_its_manager_stops_applying_is_removed()
    {
        var ns = NewNamespace();
        var with = fixture.WriteFile($"{ns}-with.yaml", Manifest(ns, "/healthz", "service.beta.kubernetes.io/aws-load-balancer-healthcheck-interval: \"10\""));
        (await fixture.RunAsync("apply", "--server-side", "--field-manager=endpoint-dashboard", "-f", with)).Succeeded();
        Assert.NotNull(Annotations(ns)["service.beta.kubernetes.io/aws-load-balancer-healthcheck-interval"]);

        var without = fixture.WriteFile($"{ns}-without.yaml", Manifest(ns, "/healthz"));
        (await fixture.RunAsync("apply", "--server-side", "--field-manager=endpoint-dashboard", "-f", without)).Succeeded();
        Assert.Null(Annotations(ns)["service.beta.kubernetes.io/aws-load-balancer-healthcheck-interval"]);
        Assert.Equal("/healthz", Annotations(ns)["service.beta.kubernetes.io/aws-load-balancer-healthcheck-path"]!.ToString());
    }
}
