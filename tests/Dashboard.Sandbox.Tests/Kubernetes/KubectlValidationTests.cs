using Dashboard.Sandbox.Kubernetes;
using Dashboard.Sandbox.Tests.LoadBalancerController;
using Dashboard.Testing;

namespace Dashboard.Sandbox.Tests.Kubernetes;

/// <summary>
/// Validation as the API server words it, judged by kubectl 1.32: duplicate Service ports (port and protocol, node port),
/// a node port another Service holds, field labels a kind does not support, and <c>metadata.generation</c> only on the
/// kinds whose registry keeps it.
/// </summary>
public sealed class KubectlValidationTests(KubectlFixture fixture) : IClassFixture<KubectlFixture>
{
    private string NewNamespace()
    {
        var ns = "val-" + Guid.NewGuid().ToString("N")[..8];
        fixture.EnsureNamespace(ns);
        return ns;
    }

    [Fact]
    public async Task Duplicate_service_ports_and_an_allocated_node_port_are_refused()
    {
        var ns = NewNamespace();
        var duplicate = fixture.WriteFile(ns + "-dup.yaml", $$"""
            apiVersion: v1
            kind: Service
            metadata: {name: twice, namespace: {{ns}}}
            spec:
              selector: {app: web}
              ports: [{name: a, port: 80, targetPort: 8080}, {name: b, port: 80, targetPort: 9090}]
            """);
        (await fixture.RunAsync("create", "service", "nodeport", "first", "-n", ns, "--tcp=80:8080", "--node-port=31234")).Succeeded();

        var dup = (await fixture.RunAsync("apply", "-f", duplicate)).Failed();
        var taken = (await fixture.RunAsync("create", "service", "nodeport", "second", "-n", ns, "--tcp=81:8080", "--node-port=31234")).Failed();

        Assert.Contains("The Service \"twice\" is invalid: spec.ports[1]: Duplicate value: core.ServicePort{Name:\"\", Protocol:\"TCP\", AppProtocol:(*string)(nil), Port:80, "
            + "TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}", dup.Stderr, StringComparison.Ordinal);
        Assert.Contains("Service \"second\" is invalid: spec.ports[0].nodePort: Invalid value: 31234: provided port is already allocated", taken.Stderr, StringComparison.Ordinal);
        Assert.Null(fixture.Store.Get(ResourceTypes.Services, ns, "twice"));
        Assert.Null(fixture.Store.Get(ResourceTypes.Services, ns, "second"));
    }

    [Fact]
    public async Task Unsupported_field_selectors_are_refused_per_kind()
    {
        var ns = NewNamespace();

        var unsupported = (await fixture.RunAsync("get", "deployments", "-n", ns, "--field-selector", "spec.replicas=1")).Failed();
        var podPhase = (await fixture.RunAsync("get", "pods", "-n", ns, "--field-selector", "status.phase=Running")).Succeeded();
        var serviceType = (await fixture.RunAsync("get", "services", "-n", ns, "--field-selector", "spec.type=ClusterIP,metadata.name=x")).Succeeded();
        var podLabel = (await fixture.RunAsync("get", "pods", "-n", ns, "--field-selector", "spec.containers=x")).Failed();

        Assert.Contains("field label not supported: spec.replicas", unsupported.Stderr, StringComparison.Ordinal);
        Assert.Contains("field label not supported: spec.containers", podLabel.Stderr, StringComparison.Ordinal);
        Assert.Contains("No resources found", podPhase.Stderr, StringComparison.Ordinal);
        Assert.Contains("No resources found", serviceType.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generation_is_kept_only_by_the_kinds_that_have_it()
    {
        var ns = NewNamespace();
        (await fixture.RunAsync("create", "deployment", "web", "-n", ns, "--image=nginx:1.27")).Succeeded();
        (await fixture.RunAsync("create", "configmap", "settings", "-n", ns)).Succeeded();
        (await fixture.RunAsync("create", "service", "clusterip", "web", "-n", ns, "--tcp=80:8080")).Succeeded();
        (await fixture.RunAsync("label", "service", "web", "-n", ns, "tier=front")).Succeeded();
        (await fixture.RunAsync("patch", "deployment", "web", "-n", ns, "-p", """{"spec":{"replicas":2}}""")).Succeeded();

        async Task<string> GenerationAsync(string kind, string name) =>
            (await fixture.RunAsync("get", kind, name, "-n", ns, "-o", "jsonpath={.metadata.generation}")).Succeeded().Stdout.Trim();

        Assert.Equal("2", await GenerationAsync("deployment", "web"));
        Assert.Equal("", await GenerationAsync("configmap", "settings"));
        Assert.Equal("", await GenerationAsync("service", "web"));
        Assert.True(await Wait.UntilAsync(() => fixture.Store.List(ResourceTypes.Pods, ns).Items.Count > 0, Patience.Eventually), "a pod");
        var pod = fixture.Store.List(ResourceTypes.Pods, ns).Items[0]["metadata"]!["name"]!.GetValue<string>();
        // Pods have no generation in 1.32 (it came with pod generation tracking in 1.33); ReplicaSets do.
        Assert.Equal("", await GenerationAsync("pod", pod));
        Assert.Matches(@"^[12]$", await GenerationAsync("replicaset", fixture.Store.List(ResourceTypes.ReplicaSets, ns).Items[0]["metadata"]!["name"]!.GetValue<string>()));
    }
}
