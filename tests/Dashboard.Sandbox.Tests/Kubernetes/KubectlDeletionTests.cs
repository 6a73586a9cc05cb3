using System.Globalization;
using System.Text.Json.Nodes;
using Dashboard.Sandbox.Cluster;
using Dashboard.Sandbox.Kubernetes;
using Dashboard.Sandbox.Tests.LoadBalancerController;
using Dashboard.Testing;

namespace Dashboard.Sandbox.Tests.Kubernetes;

/// <summary>
/// The object lifecycle as the API server's generic registry and the garbage collector run it, judged by kubectl 1.32:
/// pods terminate for their grace period (a MODIFIED event with <c>deletionTimestamp</c>, STATUS Terminating,
/// <c>terminating</c> endpoints), finalizers hold objects, <c>--cascade=orphan|foreground|background</c>, namespaces stay
/// Terminating until their content is gone, and <c>kubectl delete -f</c> of a file with its namespace exits 0.
/// </summary>
public sealed class KubectlDeletionTests(KubectlFixture fixture) : IClassFixture<KubectlFixture>
{
    private static readonly TimeSpan Bounded = Patience.Eventually;

    private string NewNamespace()
    {
        var ns = "del-" + Guid.NewGuid().ToString("N")[..8];
        fixture.EnsureNamespace(ns);
        return ns;
    }

    private List<JsonObject> Pods(string ns) => [.. fixture.Store.List(ResourceTypes.Pods, ns).Items];

    private static string Name(JsonObject o) => o["metadata"]!["name"]!.GetValue<string>();

    private async Task<List<JsonObject>> DeploymentAsync(string ns, string name, int replicas)
    {
        (await fixture.RunAsync("create", "deployment", name, "-n", ns, "--image=nginx:1.27", $"--replicas={replicas}")).Succeeded();
        Assert.True(await Wait.UntilAsync(() => Pods(ns).Count(p => PodStatus.IsReady(p)) == replicas, Bounded), $"{replicas} ready pods");
        return Pods(ns);
    }

    [Fact]
    public async Task Kubectl_delete_of_a_controller_NLB_Service_returns_once_the_controller_has_torn_down_the_balancer_and_dropped_its_finalizer()
    {
        var ns = NewNamespace();
        var file = fixture.WriteFile($"{ns}-nlb.yaml", $$"""
            apiVersion: v1
            kind: Service
            metadata:
              name: orders-nlb
              namespace: {{ns}}
            spec:
              type: LoadBalancer
              loadBalancerClass: service.k8s.aws/nlb
              selector: {app: nothing-here}
              ports: [{port: 80, targetPort: 8080}]
            """);
        (await fixture.RunAsync("apply", "-f", file)).Succeeded();
        string? Hostname() => fixture.Store.Get(ResourceTypes.Services, ns, "orders-nlb")?["status"]?["loadBalancer"]?["ingress"]?[0]?["hostname"]?.GetValue<string>();
        Assert.True(await Wait.UntilAsync(() => Hostname() is not null, Bounded), "the controller's balancer");
        var service = fixture.Store.Get(ResourceTypes.Services, ns, "orders-nlb")!;
        Assert.Contains("service.k8s.aws/resources", ResourceStore.Finalizers(service["metadata"] as JsonObject));
        var dns = Hostname()!;

        // kubectl waits (its default --wait=true) until the object is gone: the finalizer must be released.
        (await fixture.RunAsync("delete", "service", "orders-nlb", "-n", ns)).Succeeded();

        Assert.Null(fixture.Store.Get(ResourceTypes.Services, ns, "orders-nlb"));
        Assert.DoesNotContain(fixture.Host.AwsWorld.GetLoadBalancers(), lb => lb.DnsName == dns);
    }

    [Fact]
    public async Task A_deleted_pod_is_Terminating_for_its_shutdown_then_gone_and_its_endpoint_terminating()
    {
        var ns = NewNamespace();
        var pod = Name((await DeploymentAsync(ns, "web", 1)).Single());
        (await fixture.RunAsync("expose", "deployment", "web", "-n", ns, "--port=80")).Succeeded();
        // The container takes 60 s to stop after SIGTERM: the kubelet kills it when the 30 s grace period ends.
        (await fixture.RunAsync("annotate", "pod", pod, "-n", ns, $"{PodBehaviourAnnotations.ShutdownSeconds}=60")).Succeeded();
        using var watch = fixture.Start("get", "pod", pod, "-n", ns, "--watch", "--output-watch-events", "-o",
            "jsonpath={.type} {.object.metadata.deletionGracePeriodSeconds}{\"\\n\"}");
        // The first line is the listed pod: the watch runs from there on.
        Assert.Equal("ADDED", (await watch.StandardOutput.ReadLineAsync())?.Trim());

        var before = DateTimeOffset.UtcNow;
        var delete = (await fixture.RunAsync("delete", "pod", pod, "-n", ns, "--wait=false")).Succeeded();

        Assert.Equal($"pod \"{pod}\" deleted", delete.Stdout.Trim());
        var marked = fixture.Store.Get(ResourceTypes.Pods, ns, pod)!;
        Assert.Equal(30, marked["metadata"]!["deletionGracePeriodSeconds"]!.GetValue<long>());
        var deadline = DateTimeOffset.Parse(marked["metadata"]!["deletionTimestamp"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        Assert.InRange(deadline, before.AddSeconds(29), DateTimeOffset.UtcNow.AddSeconds(31));
        Assert.Equal("MODIFIED 30", await NextLineAsync(watch, l => l.StartsWith("MODIFIED 30", StringComparison.Ordinal) || l.StartsWith("DELETED", StringComparison.Ordinal)));
        var get = (await fixture.RunAsync("get", "pod", pod, "-n", ns, "--no-headers")).Succeeded();
        Assert.Matches($@"^{pod}\s+1/1\s+Terminating\s+0\s+", get.Stdout);
        // The ReplicaSet does not count it: a replacement runs meanwhile.
        Assert.True(await Wait.UntilAsync(() => Pods(ns).Count(p => p["metadata"]!["deletionTimestamp"] is null && PodStatus.IsReady(p)) == 1, Bounded), "a replacement");
        // EndpointSlices keep a terminating pod: serving (still ready) but not ready, so load balancers drain it.
        Assert.True(await Wait.UntilAsync(() => Conditions(ns, pod) is { } c && c["terminating"]!.GetValue<bool>(), Bounded), "terminating endpoint");
        Assert.Equal("""{"ready":false,"serving":true,"terminating":true}""", Conditions(ns, pod)!.ToJsonString());
        var endpoints = (await fixture.RunAsync("get", "endpoints", "web", "-n", ns, "-o", "jsonpath={.subsets[*].addresses[*].targetRef.name}")).Succeeded();
        Assert.DoesNotContain(pod, endpoints.Stdout, StringComparison.Ordinal);

        // A second delete may shorten the grace period; 0 with --force removes it now.
        var force = (await fixture.RunAsync("delete", "pod", pod, "-n", ns, "--grace-period=0", "--force")).Succeeded();
        Assert.Contains($"pod \"{pod}\" force deleted", force.Stdout, StringComparison.Ordinal);
        Assert.Null(fixture.Store.Get(ResourceTypes.Pods, ns, pod));
        Assert.StartsWith("DELETED", await NextLineAsync(watch, l => l.StartsWith("DELETED", StringComparison.Ordinal)), StringComparison.Ordinal);
        watch.Kill(entireProcessTree: true);
    }

    /// <summary>The next watch line that <paramref name="wanted"/> accepts (status writes in between are skipped); null at the end.</summary>
    private static async Task<string?> NextLineAsync(System.Diagnostics.Process watch, Func<string, bool> wanted)
    {
        using var timeout = new CancellationTokenSource(Bounded);
        while (await watch.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (wanted(line.Trim()))
            {
                return line.Trim();
            }
        }
        return null;
    }

    private JsonObject? Conditions(string ns, string pod) =>
        fixture.Store.List(ResourceTypes.EndpointSlices, ns).Items
            .SelectMany(s => s["endpoints"]?.AsArray() ?? [])
            .FirstOrDefault(e => e?["targetRef"]?["name"]?.GetValue<string>() == pod)?["conditions"] as JsonObject;

    [Fact]
    public async Task Kubectl_delete_waits_for_a_pod_to_finish_terminating()
    {
        var ns = NewNamespace();
        var pod = Name((await DeploymentAsync(ns, "web", 1)).Single());

        var delete = (await fixture.RunAsync("delete", "pod", pod, "-n", ns)).Succeeded();

        Assert.Equal($"pod \"{pod}\" deleted", delete.Stdout.Trim());
        Assert.Null(fixture.Store.Get(ResourceTypes.Pods, ns, pod));
        var events = (await fixture.RunAsync("get", "events", "-n", ns, "--field-selector", $"involvedObject.name={pod},reason=Killing", "--no-headers")).Succeeded();
        Assert.Contains("Stopping container nginx", events.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Finalizers_hold_an_object_until_they_are_removed()
    {
        var ns = NewNamespace();
        fixture.WriteFile(ns + ".yaml", $$"""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: held
              namespace: {{ns}}
              finalizers: [example.com/hold]
            data: {k: v}
            """);
        (await fixture.RunAsync("apply", "-f", Path.Combine(fixture.Directory, ns + ".yaml"))).Succeeded();

        (await fixture.RunAsync("delete", "configmap", "held", "-n", ns, "--wait=false")).Succeeded();
        var marked = (await fixture.RunAsync("get", "configmap", "held", "-n", ns, "-o", "jsonpath={.metadata.deletionTimestamp} {.metadata.deletionGracePeriodSeconds}")).Succeeded();
        var more = (await fixture.RunAsync("patch", "configmap", "held", "-n", ns, "--type=json", "-p", """[{"op":"add","path":"/metadata/finalizers/-","value":"example.com/other"}]""")).Failed();
        var timedOut = (await fixture.RunAsync("delete", "configmap", "held", "-n", ns, "--timeout=2s")).Failed();
        (await fixture.RunAsync("patch", "configmap", "held", "-n", ns, "--type=merge", "-p", """{"metadata":{"finalizers":null}}""")).Succeeded();

        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ 0$", marked.Stdout);
        Assert.Contains("no new finalizers can be added if the object is being deleted", more.Stderr, StringComparison.Ordinal);
        Assert.Contains("timed out waiting for the condition", timedOut.Stderr, StringComparison.Ordinal);
        Assert.Null(fixture.Store.Get(ResourceTypes.ConfigMaps, ns, "held"));
    }

    [Fact]
    public async Task Cascade_orphan_keeps_the_ReplicaSet_and_pods_without_their_owner()
    {
        var ns = NewNamespace();
        var pods = await DeploymentAsync(ns, "web", 2);
        var rs = fixture.Store.List(ResourceTypes.ReplicaSets, ns).Items.Single();

        (await fixture.RunAsync("delete", "deployment", "web", "-n", ns, "--cascade=orphan")).Succeeded();

        Assert.Null(fixture.Store.Get(ResourceTypes.Deployments, ns, "web"));
        var orphan = fixture.Store.Get(ResourceTypes.ReplicaSets, ns, Name(rs))!;
        Assert.Null(orphan["metadata"]!["ownerReferences"]);
        Assert.Null(orphan["metadata"]!["finalizers"]);
        Assert.Equal(pods.Select(Name).Order(), Pods(ns).Select(Name).Order());
        Assert.All(Pods(ns), p => Assert.Equal(Name(rs), p["metadata"]!["ownerReferences"]![0]!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Cascade_foreground_keeps_the_Deployment_until_its_pods_are_gone_and_background_collects_them_after()
    {
        var ns = NewNamespace();
        await DeploymentAsync(ns, "front", 2);
        using var watch = fixture.Start("get", "deployment", "front", "-n", ns, "--watch", "--output-watch-events", "-o",
            "jsonpath={.type} {.object.metadata.finalizers}{\"\\n\"}");
        Assert.Equal("ADDED", (await watch.StandardOutput.ReadLineAsync())?.Trim());

        (await fixture.RunAsync("delete", "deployment", "front", "-n", ns, "--cascade=foreground")).Succeeded();

        // Marked with the foregroundDeletion finalizer first, deleted only after its ReplicaSet and pods.
        Assert.Equal("""MODIFIED ["foregroundDeletion"]""", await NextLineAsync(watch, l => l.Contains("foregroundDeletion", StringComparison.Ordinal) || l.StartsWith("DELETED", StringComparison.Ordinal)));
        Assert.StartsWith("DELETED", await NextLineAsync(watch, l => l.StartsWith("DELETED", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Empty(fixture.Store.List(ResourceTypes.ReplicaSets, ns).Items);
        Assert.Empty(Pods(ns));
        watch.Kill(entireProcessTree: true);

        await DeploymentAsync(ns, "back", 2);
        (await fixture.RunAsync("delete", "deployment", "back", "-n", ns, "--cascade=background", "--wait=false")).Succeeded();
        Assert.Null(fixture.Store.Get(ResourceTypes.Deployments, ns, "back"));
        Assert.True(await Wait.UntilAsync(() => fixture.Store.List(ResourceTypes.ReplicaSets, ns).Items.Count == 0 && Pods(ns).Count == 0, Bounded),
            "the garbage collector deletes the ReplicaSet, then its pods");
    }

    [Fact]
    public async Task Delete_f_of_a_file_with_its_namespace_exits_0_and_the_namespace_goes_once_empty()
    {
        var ns = "app-" + Guid.NewGuid().ToString("N")[..8];
        var file = fixture.WriteFile(ns + ".yaml", $$$"""
            apiVersion: v1
            kind: Namespace
            metadata: {name: {{{ns}}}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: {{{ns}}}}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers: [{name: web, image: "nginx:1.27"}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: {{{ns}}}}
            spec:
              selector: {app: web}
              ports: [{port: 80}]
            """);
        (await fixture.RunAsync("apply", "-f", file)).Succeeded();
        Assert.True(await Wait.UntilAsync(() => Pods(ns).Count == 2, Bounded), "2 pods");

        // The namespace goes first; its content is still there (Terminating) when kubectl deletes it next.
        var deleteFile = await fixture.RunAsync("delete", "-f", file);

        Assert.True(deleteFile.ExitCode == 0, deleteFile.Stderr);
        Assert.Equal([$"namespace \"{ns}\" deleted", "deployment.apps \"web\" deleted", "service \"web\" deleted"],
            deleteFile.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.True(await Wait.UntilAsync(() => fixture.Store.Get(ResourceTypes.Namespaces, null, ns) is null, Bounded), "the namespace goes once empty");
        Assert.Empty(Pods(ns));
        var system = (await fixture.RunAsync("delete", "namespace", "kube-system")).Failed();
        Assert.Contains("namespaces \"kube-system\" is forbidden: this namespace may not be deleted", system.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Namespace_reports_the_content_and_finalizers_it_waits_for()
    {
        var ns = NewNamespace();
        (await fixture.RunAsync("create", "configmap", "held", "-n", ns)).Succeeded();
        (await fixture.RunAsync("patch", "configmap", "held", "-n", ns, "-p", """{"metadata":{"finalizers":["example.com/hold"]}}""")).Succeeded();

        (await fixture.RunAsync("delete", "namespace", ns, "--wait=false")).Succeeded();

        Assert.True(await Wait.UntilAsync(() => fixture.Store.Get(ResourceTypes.Namespaces, null, ns)?["status"]?["conditions"]?.AsArray()
            .Any(c => c!["type"]!.GetValue<string>() == "NamespaceFinalizersRemaining" && c["status"]!.GetValue<string>() == "True") == true, Bounded), "finalizer condition");
        var describe = (await fixture.RunAsync("describe", "namespace", ns)).Succeeded();
        var terminating = (await fixture.RunAsync("get", "namespace", ns, "--no-headers")).Succeeded();
        var create = (await fixture.RunAsync("create", "configmap", "late", "-n", ns)).Failed();
        Assert.Matches($@"^{ns}\s+Terminating\s+", terminating.Stdout);
        Assert.Contains($"unable to create new content in namespace {ns} because it is being terminated", create.Stderr, StringComparison.Ordinal);
        Assert.Contains("Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances", describe.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"Status:\s+Terminating", describe.Stdout);

        (await fixture.RunAsync("patch", "configmap", "held", "-n", ns, "--type=merge", "-p", """{"metadata":{"finalizers":null}}""")).Succeeded();
        Assert.True(await Wait.UntilAsync(() => fixture.Store.Get(ResourceTypes.Namespaces, null, ns) is null, Bounded), "the namespace goes");
    }
}
