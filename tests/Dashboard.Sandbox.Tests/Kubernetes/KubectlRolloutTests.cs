using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dashboard.Sandbox.Kubernetes;
using Dashboard.Sandbox.Tests.LoadBalancerController;
using Dashboard.Testing;

namespace Dashboard.Sandbox.Tests.Kubernetes;

/// <summary>
/// Deployments own ReplicaSets as on a real cluster, judged by kubectl 1.32: <c>get all</c>, <c>describe deploy</c>
/// (NewReplicaSet/OldReplicaSets), <c>rollout status|history|undo|pause|resume</c>, and the Deployment controller's
/// documented behaviour: pod-template-hash, revision annotations, a rolling update bounded by maxSurge/maxUnavailable,
/// Recreate, revisionHistoryLimit, and the pod template defaults of the API server.
/// </summary>
public sealed partial class KubectlRolloutTests(KubectlFixture fixture) : IClassFixture<KubectlFixture>
{
    private static readonly TimeSpan Bounded = Patience.Eventually;

    private string NewNamespace()
    {
        var ns = "roll-" + Guid.NewGuid().ToString("N")[..8];
        fixture.EnsureNamespace(ns);
        return ns;
    }

    private List<JsonObject> ReplicaSets(string ns) => [.. fixture.Store.List(ResourceTypes.ReplicaSets, ns).Items];

    private List<JsonObject> RunningPods(string ns) =>
        [.. fixture.Store.List(ResourceTypes.Pods, ns).Items.Where(p => p["metadata"]?["deletionTimestamp"] is null)];

    private static string Name(JsonObject o) => o["metadata"]!["name"]!.GetValue<string>();

    private static string Hash(JsonObject rs) => rs["metadata"]!["labels"]!["pod-template-hash"]!.GetValue<string>();

    private async Task<string> CreateAsync(string ns, string name, int replicas, string image = "nginx:1.27")
    {
        (await fixture.RunAsync("create", "deployment", name, "-n", ns, $"--image={image}", $"--replicas={replicas}")).Succeeded();
        Assert.True(await Wait.UntilAsync(() => RunningPods(ns).Count == replicas && ReplicaSets(ns).Count == 1, Bounded), $"{name}: {replicas} pods of one ReplicaSet");
        return Name(ReplicaSets(ns).Single());
    }

    private async Task<List<string>> ScalingEventsAsync(string ns, string deployment)
    {
        var events = (await fixture.RunAsync("get", "events", "-n", ns, "--field-selector", $"involvedObject.name={deployment},reason=ScalingReplicaSet",
            "-o", "jsonpath={range .items[*]}{.message}{\"\\n\"}{end}")).Succeeded();
        return [.. events.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    [Fact]
    public async Task A_Deployment_owns_one_ReplicaSet_that_owns_its_pods()
    {
        var ns = NewNamespace();
        var rsName = await CreateAsync(ns, "web", 3);

        var rs = ReplicaSets(ns).Single();
        var deployment = fixture.Store.Get(ResourceTypes.Deployments, ns, "web")!;
        var hash = Hash(rs);
        Assert.Equal($"web-{hash}", rsName);
        Assert.Matches("^[bcdfghjklmnpqrstvwxz2456789]+$", hash);
        Assert.Equal(hash, rs["spec"]!["selector"]!["matchLabels"]!["pod-template-hash"]!.GetValue<string>());
        Assert.Equal(hash, rs["spec"]!["template"]!["metadata"]!["labels"]!["pod-template-hash"]!.GetValue<string>());
        var owner = rs["metadata"]!["ownerReferences"]!.AsArray().Single()!;
        Assert.Equal(("Deployment", "web", deployment["metadata"]!["uid"]!.GetValue<string>(), true),
            (owner["kind"]!.GetValue<string>(), owner["name"]!.GetValue<string>(), owner["uid"]!.GetValue<string>(), owner["controller"]!.GetValue<bool>()));
        // Annotations the controller writes: revision, and desired/max replicas (3 plus a surge of 25% of 3, rounded up).
        var annotations = rs["metadata"]!["annotations"]!;
        Assert.Equal(("1", "3", "4"), (annotations["deployment.kubernetes.io/revision"]!.GetValue<string>(),
            annotations["deployment.kubernetes.io/desired-replicas"]!.GetValue<string>(), annotations["deployment.kubernetes.io/max-replicas"]!.GetValue<string>()));
        Assert.All(RunningPods(ns), pod =>
        {
            var podOwner = pod["metadata"]!["ownerReferences"]!.AsArray().Single()!;
            Assert.Equal(rs["metadata"]!["uid"]!.GetValue<string>(), podOwner["uid"]!.GetValue<string>());
            Assert.StartsWith(rsName + "-", Name(pod), StringComparison.Ordinal);
        });

        var all = (await fixture.RunAsync("get", "all", "-n", ns)).Succeeded();
        Assert.Matches($@"replicaset\.apps/{rsName}\s+3\s+3\s+3\s+\d+s", all.Stdout);
        Assert.Contains("deployment.apps/web", all.Stdout, StringComparison.Ordinal);
        var describe = (await fixture.RunAsync("describe", "deployment", "web", "-n", ns)).Succeeded();
        Assert.Matches($@"NewReplicaSet:\s+{rsName} \(3/3 replicas created\)", describe.Stdout);
        Assert.Matches(@"OldReplicaSets:\s+<none>", describe.Stdout);
        Assert.Contains($"Scaled up replica set {rsName} from 0 to 3", describe.Stdout, StringComparison.Ordinal);
        var rsDescribe = (await fixture.RunAsync("describe", "rs", rsName, "-n", ns)).Succeeded();
        Assert.Matches(@"Controlled By:\s+Deployment/web", rsDescribe.Stdout);
        Assert.Matches(@"Pods Status:\s+3 Running / 0 Waiting / 0 Succeeded / 0 Failed", rsDescribe.Stdout);
        Assert.Contains("SuccessfulCreate", rsDescribe.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Set_image_rolls_out_one_pod_at_a_time_and_history_and_undo_follow_the_revisions()
    {
        var ns = NewNamespace();
        var first = await CreateAsync(ns, "web", 3);
        (await fixture.RunAsync("annotate", "deployment", "web", "-n", ns, "kubernetes.io/change-cause=first release")).Succeeded();

        (await fixture.RunAsync("set", "image", "deployment/web", "-n", ns, "nginx=nginx:1.28")).Succeeded();
        (await fixture.RunAsync("annotate", "deployment", "web", "-n", ns, "--overwrite", "kubernetes.io/change-cause=nginx 1.28")).Succeeded();
        var status = (await fixture.RunAsync("rollout", "status", "deployment/web", "-n", ns, "--timeout=60s")).Succeeded();

        Assert.Contains("deployment \"web\" successfully rolled out", status.Stdout, StringComparison.Ordinal);
        Assert.True(await Wait.UntilAsync(() => RunningPods(ns).Count == 3 && fixture.Store.List(ResourceTypes.Pods, ns).Items.Count == 3, Bounded), "old pods gone");
        var second = Name(ReplicaSets(ns).Single(rs => rs["spec"]!["replicas"]!.GetValue<long>() == 3));
        Assert.NotEqual(first, second);
        Assert.All(RunningPods(ns), p => Assert.Equal("nginx:1.28", p["spec"]!["containers"]![0]!["image"]!.GetValue<string>()));
        // 3 replicas: maxSurge 25% rounds up to 1, maxUnavailable 25% rounds down to 0, so one pod at a time.
        Assert.Equal(
            [
                $"Scaled up replica set {first} from 0 to 3",
                $"Scaled up replica set {second} from 0 to 1", $"Scaled down replica set {first} from 3 to 2",
                $"Scaled up replica set {second} from 1 to 2", $"Scaled down replica set {first} from 2 to 1",
                $"Scaled up replica set {second} from 2 to 3", $"Scaled down replica set {first} from 1 to 0",
            ],
            await ScalingEventsAsync(ns, "web"));
        var history = (await fixture.RunAsync("rollout", "history", "deployment/web", "-n", ns)).Succeeded();
        Assert.Matches(@"REVISION\s+CHANGE-CAUSE\s+1\s+first release\s+2\s+nginx 1\.28", history.Stdout);
        var describe = (await fixture.RunAsync("describe", "deployment", "web", "-n", ns)).Succeeded();
        Assert.Matches($@"NewReplicaSet:\s+{second} \(3/3 replicas created\)", describe.Stdout);
        // kubectl lists every old ReplicaSet, scaled to zero or not.
        Assert.Matches($@"OldReplicaSets:\s+{first} \(0/0 replicas created\)", describe.Stdout);
        var revisionOne = (await fixture.RunAsync("rollout", "history", "deployment/web", "-n", ns, "--revision=1")).Succeeded();
        Assert.Contains("Image:\tnginx:1.27", revisionOne.Stdout, StringComparison.Ordinal);

        var undo = (await fixture.RunAsync("rollout", "undo", "deployment/web", "-n", ns)).Succeeded();
        Assert.Contains("deployment.apps/web rolled back", undo.Stdout, StringComparison.Ordinal);
        (await fixture.RunAsync("rollout", "status", "deployment/web", "-n", ns, "--timeout=60s")).Succeeded();
        Assert.True(await Wait.UntilAsync(() => RunningPods(ns).Count == 3 && RunningPods(ns).All(p => p["metadata"]!["name"]!.GetValue<string>().StartsWith(first + "-", StringComparison.Ordinal)), Bounded),
            "the first ReplicaSet's pods back");
        // The first template's ReplicaSet is reused and takes revision 3; revision 1 is gone from the history.
        Assert.Equal(2, ReplicaSets(ns).Count);
        var reused = ReplicaSets(ns).Single(rs => Name(rs) == first);
        Assert.Equal("3", reused["metadata"]!["annotations"]!["deployment.kubernetes.io/revision"]!.GetValue<string>());
        Assert.Equal("1", reused["metadata"]!["annotations"]!["deployment.kubernetes.io/revision-history"]!.GetValue<string>());
        var after = (await fixture.RunAsync("rollout", "history", "deployment/web", "-n", ns)).Succeeded();
        Assert.DoesNotMatch(@"(?m)^1\s", after.Stdout);
        Assert.Matches(@"(?m)^2\s+nginx 1\.28\s*$", after.Stdout);
        Assert.Matches(@"(?m)^3\s+", after.Stdout);
        Assert.Equal("3", fixture.Store.Get(ResourceTypes.Deployments, ns, "web")!["metadata"]!["annotations"]!["deployment.kubernetes.io/revision"]!.GetValue<string>());
        var missing = (await fixture.RunAsync("rollout", "undo", "deployment/web", "-n", ns, "--to-revision=9")).Failed();
        Assert.Contains("unable to find specified revision 9 in history", missing.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Paused_Deployment_makes_no_ReplicaSet_until_resumed()
    {
        var ns = NewNamespace();
        var first = await CreateAsync(ns, "api", 2);

        (await fixture.RunAsync("rollout", "pause", "deployment/api", "-n", ns)).Succeeded();
        (await fixture.RunAsync("set", "image", "deployment/api", "-n", ns, "nginx=nginx:1.28")).Succeeded();
        (await fixture.RunAsync("scale", "deployment/api", "-n", ns, "--replicas=3")).Succeeded();

        // Scaling still works while paused; the template change waits.
        Assert.True(await Wait.UntilAsync(() => RunningPods(ns).Count == 3, Bounded), "scaled to 3 while paused");
        Assert.Equal([first], ReplicaSets(ns).Select(Name));
        Assert.True(await Wait.UntilAsync(() => fixture.Store.Get(ResourceTypes.Deployments, ns, "api")?["status"]?["conditions"]?.AsArray()
            .Any(c => c!["reason"]?.GetValue<string>() == "DeploymentPaused") == true, Bounded), "Progressing reason DeploymentPaused");

        (await fixture.RunAsync("rollout", "resume", "deployment/api", "-n", ns)).Succeeded();
        (await fixture.RunAsync("rollout", "status", "deployment/api", "-n", ns, "--timeout=60s")).Succeeded();
        Assert.True(await Wait.UntilAsync(() => ReplicaSets(ns).Count == 2 && RunningPods(ns).Count == 3
            && RunningPods(ns).All(p => p["spec"]!["containers"]![0]!["image"]!.GetValue<string>() == "nginx:1.28"), Bounded), "rolled out after resume");
    }

    [Fact]
    public async Task Recreate_scales_the_old_ReplicaSet_to_zero_before_the_new_one_starts()
    {
        var ns = NewNamespace();
        var first = await CreateAsync(ns, "batch", 2);
        (await fixture.RunAsync("patch", "deployment", "batch", "-n", ns, "--type=merge", "-p", """{"spec":{"strategy":{"type":"Recreate","rollingUpdate":null}}}""")).Succeeded();

        (await fixture.RunAsync("set", "image", "deployment/batch", "-n", ns, "nginx=nginx:1.28")).Succeeded();
        (await fixture.RunAsync("rollout", "status", "deployment/batch", "-n", ns, "--timeout=60s")).Succeeded();

        Assert.True(await Wait.UntilAsync(() => ReplicaSets(ns).Count == 2 && RunningPods(ns).Count == 2, Bounded), "two pods of the new ReplicaSet");
        var second = Name(ReplicaSets(ns).Single(rs => Name(rs) != first));
        Assert.Equal([$"Scaled up replica set {first} from 0 to 2", $"Scaled down replica set {first} from 2 to 0", $"Scaled up replica set {second} from 0 to 2"],
            await ScalingEventsAsync(ns, "batch"));
        Assert.Equal("2", ReplicaSets(ns).Single(rs => Name(rs) == second)["metadata"]!["annotations"]!["deployment.kubernetes.io/max-replicas"]!.GetValue<string>());
    }

    [Fact]
    public async Task Old_ReplicaSets_beyond_the_revision_history_limit_are_deleted()
    {
        var ns = NewNamespace();
        await CreateAsync(ns, "web", 1);
        (await fixture.RunAsync("patch", "deployment", "web", "-n", ns, "-p", """{"spec":{"revisionHistoryLimit":1}}""")).Succeeded();

        foreach (var tag in new[] { "1.25", "1.26", "1.28" })
        {
            (await fixture.RunAsync("set", "image", "deployment/web", "-n", ns, $"nginx=nginx:{tag}")).Succeeded();
            (await fixture.RunAsync("rollout", "status", "deployment/web", "-n", ns, "--timeout=60s")).Succeeded();
        }

        // The new ReplicaSet plus one old one (revision 3); revisions 1 and 2 went.
        Assert.True(await Wait.UntilAsync(() => ReplicaSets(ns).Count == 2, Bounded), $"{ReplicaSets(ns).Count} ReplicaSets");
        Assert.Equal(["3", "4"], ReplicaSets(ns).Select(rs => rs["metadata"]!["annotations"]!["deployment.kubernetes.io/revision"]!.GetValue<string>()).Order());
        var history = (await fixture.RunAsync("rollout", "history", "deployment/web", "-n", ns)).Succeeded();
        Assert.Equal(["3", "4"], RevisionLine().Matches(history.Stdout).Select(m => m.Groups[1].Value));
    }

    [Fact]
    public async Task Pod_templates_and_pods_get_the_API_server_defaults()
    {
        var ns = NewNamespace();
        var file = fixture.WriteFile(ns + ".yaml", $$$$"""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: probed, namespace: {{{{ns}}}}}
            spec:
              selector: {matchLabels: {app: probed}}
              template:
                metadata: {labels: {app: probed}}
                spec:
                  containers:
                  - name: app
                    image: registry.example.com:5000/team/app
                    ports: [{containerPort: 8080}]
                    readinessProbe: {httpGet: {path: /ready, port: 8080}}
                    env: [{name: NODE, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}]
                  volumes: [{name: scratch}, {name: settings, configMap: {name: settings}}]
            """);

        (await fixture.RunAsync("apply", "-f", file)).Succeeded();
        (await fixture.RunAsync("run", "one-off", "-n", ns, "--image=busybox:1.36")).Succeeded();

        var template = JsonNode.Parse((await fixture.RunAsync("get", "deployment", "probed", "-n", ns, "-o", "jsonpath={.spec.template.spec}")).Succeeded().Stdout)!;
        Assert.Equal(("Always", "ClusterFirst", "default-scheduler", 30, "{}"), (template["restartPolicy"]!.GetValue<string>(), template["dnsPolicy"]!.GetValue<string>(),
            template["schedulerName"]!.GetValue<string>(), template["terminationGracePeriodSeconds"]!.GetValue<int>(), template["securityContext"]!.ToJsonString()));
        var container = template["containers"]![0]!;
        // No tag (the registry's port is not one): Always, as for :latest.
        Assert.Equal("Always", container["imagePullPolicy"]!.GetValue<string>());
        Assert.Equal(("/dev/termination-log", "File", "{}", "TCP"), (container["terminationMessagePath"]!.GetValue<string>(),
            container["terminationMessagePolicy"]!.GetValue<string>(), container["resources"]!.ToJsonString(), container["ports"]![0]!["protocol"]!.GetValue<string>()));
        var probe = container["readinessProbe"]!;
        Assert.Equal((1, 10, 1, 3, "HTTP"), (probe["timeoutSeconds"]!.GetValue<int>(), probe["periodSeconds"]!.GetValue<int>(), probe["successThreshold"]!.GetValue<int>(),
            probe["failureThreshold"]!.GetValue<int>(), probe["httpGet"]!["scheme"]!.GetValue<string>()));
        Assert.Equal("v1", container["env"]![0]!["valueFrom"]!["fieldRef"]!["apiVersion"]!.GetValue<string>());
        Assert.Equal("{}", template["volumes"]![0]!["emptyDir"]!.ToJsonString());
        Assert.Equal(420, template["volumes"]![1]!["configMap"]!["defaultMode"]!.GetValue<int>());
        var pod = JsonNode.Parse((await fixture.RunAsync("get", "pod", "one-off", "-n", ns, "-o", "jsonpath={.spec}")).Succeeded().Stdout)!;
        Assert.Equal("IfNotPresent", pod["containers"]![0]!["imagePullPolicy"]!.GetValue<string>());
        Assert.Equal(("PreemptLowerPriority", true), (pod["preemptionPolicy"]!.GetValue<string>(), pod["enableServiceLinks"]!.GetValue<bool>()));
        // The same defaults on the ReplicaSet's copy: a re-applied manifest is no template change and rolls nothing out.
        (await fixture.RunAsync("apply", "-f", file)).Succeeded();
        Assert.True(await Wait.UntilAsync(() => RunningPods(ns).Count == 2, Bounded), "one-off and one replica");
        Assert.Single(ReplicaSets(ns));
    }

    [GeneratedRegex(@"(?m)^(\d+)\s")]
    private static partial Regex RevisionLine();
}
