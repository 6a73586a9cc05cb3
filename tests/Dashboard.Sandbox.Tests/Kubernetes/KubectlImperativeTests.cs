using System.Text.Json.Nodes;
using Dashboard.Sandbox.Kubernetes;
using Dashboard.Sandbox.Tests.LoadBalancerController;
using Dashboard.Testing;

namespace Dashboard.Sandbox.Tests.Kubernetes;

/// <summary>
/// kubectl's imperative commands. <c>kubectl create namespace|configmap|deployment|service|serviceaccount|ingress</c>
/// send the object as protobuf (<c>application/vnd.kubernetes.protobuf</c>, accepting protobuf or JSON back);
/// <c>run</c>, <c>expose</c>, <c>set image</c>, <c>label</c>, <c>scale</c> and <c>rollout</c> send JSON or patches.
/// The expected objects are what kubectl builds (its generators) after the API server's defaults.
/// </summary>
public sealed class KubectlImperativeTests(KubectlFixture fixture) : IClassFixture<KubectlFixture>
{
    private string NewNamespace()
    {
        var ns = "imp-" + Guid.NewGuid().ToString("N")[..8];
        fixture.EnsureNamespace(ns);
        return ns;
    }

    private JsonObject Stored(ResourceType type, string? ns, string name) =>
        fixture.Store.Get(type, ns, name) ?? throw new Xunit.Sdk.XunitException($"{type} {ns}/{name} was not created");

    [Fact]
    public async Task Create_namespace_sends_protobuf_and_creates_it()
    {
        var name = "proto-" + Guid.NewGuid().ToString("N")[..6];

        var result = (await fixture.RunAsync("create", "namespace", name, "-v=8")).Succeeded();

        Assert.Contains($"namespace/{name} created", result.Stdout);
        Assert.Contains("Content-Type: application/vnd.kubernetes.protobuf", result.Stderr);
        var ns = Stored(ResourceTypes.Namespaces, null, name);
        Assert.Equal(name, ns["metadata"]!["labels"]!["kubernetes.io/metadata.name"]!.ToString());
        Assert.Equal("Active", ns["status"]!["phase"]!.ToString());
        // The empty strings and zero Time the protobuf body carries for unset fields are "not set".
        Assert.Null(ns["metadata"]!["generateName"]);
        Assert.NotEqual("", ns["metadata"]!["creationTimestamp"]!.ToString());
    }

    [Fact]
    public async Task Create_configmap_keeps_text_in_data_and_binary_files_in_binary_data()
    {
        var ns = NewNamespace();
        byte[] blob = [0xff, 0x00, 0xfe, 0x01];
        var file = Path.Combine(fixture.Directory, ns + ".bin");
        await File.WriteAllBytesAsync(file, blob);

        (await fixture.RunAsync("create", "configmap", "settings", "-n", ns, "--from-literal=greeting=hello world", $"--from-file=blob={file}")).Succeeded();

        var configMap = Stored(ResourceTypes.ConfigMaps, ns, "settings");
        Assert.Equal("hello world", configMap["data"]!["greeting"]!.ToString());
        Assert.Equal(Convert.ToBase64String(blob), configMap["binaryData"]!["blob"]!.ToString());
        Assert.Equal(ns, configMap["metadata"]!["namespace"]!.ToString());
    }

    [Fact]
    public async Task Create_deployment_builds_the_pod_template_and_gets_server_defaults()
    {
        var ns = NewNamespace();

        (await fixture.RunAsync("create", "deployment", "web", "-n", ns, "--image=nginx:1.27", "--replicas=3", "--port=8080")).Succeeded();

        var deployment = Stored(ResourceTypes.Deployments, ns, "web");
        var spec = deployment["spec"]!;
        Assert.Equal(3, spec["replicas"]!.GetValue<int>());
        Assert.Equal("web", spec["selector"]!["matchLabels"]!["app"]!.ToString());
        Assert.Equal("web", spec["template"]!["metadata"]!["labels"]!["app"]!.ToString());
        var container = spec["template"]!["spec"]!["containers"]![0]!;
        Assert.Equal("nginx", container["name"]!.ToString());
        Assert.Equal("nginx:1.27", container["image"]!.ToString());
        Assert.Equal(8080, container["ports"]![0]!["containerPort"]!.GetValue<int>());
        Assert.Equal("{}", container["resources"]!.ToJsonString());
        // kubectl sends "strategy: {}"; the server makes it a rolling update with its 25% bounds.
        Assert.Equal("RollingUpdate", spec["strategy"]!["type"]!.ToString());
        Assert.Equal("25%", spec["strategy"]!["rollingUpdate"]!["maxSurge"]!.ToString());
        // Zero-valued fields that are not Go pointers are "not set", as in the server's JSON (omitempty).
        Assert.Null(spec["minReadySeconds"]);
        Assert.Null(spec["paused"]);
        Assert.Equal(10, spec["revisionHistoryLimit"]!.GetValue<int>());
        Assert.True(await Wait.UntilAsync(() => fixture.Store.List(ResourceTypes.Pods, ns).Items.Count == 3, Patience.Eventually), "the Deployment's 3 pods");
    }

    [Fact]
    public async Task Create_deployment_with_zero_replicas_keeps_zero()
    {
        var ns = NewNamespace();

        (await fixture.RunAsync("create", "deployment", "idle", "-n", ns, "--image=nginx", "--replicas=0")).Succeeded();

        // spec.replicas is a pointer in Go: present on the wire, so 0 means 0 and not the default 1.
        Assert.Equal(0, Stored(ResourceTypes.Deployments, ns, "idle")["spec"]!["replicas"]!.GetValue<int>());
    }

    [Fact]
    public async Task Create_service_of_each_type()
    {
        var ns = NewNamespace();

        (await fixture.RunAsync("create", "service", "clusterip", "api", "-n", ns, "--tcp=80:8080")).Succeeded();
        (await fixture.RunAsync("create", "service", "nodeport", "admin", "-n", ns, "--tcp=8443:443", "--node-port=30111")).Succeeded();
        (await fixture.RunAsync("create", "service", "loadbalancer", "public", "-n", ns, "--tcp=80")).Succeeded();
        (await fixture.RunAsync("create", "service", "externalname", "legacy", "-n", ns, "--external-name=legacy.example.com")).Succeeded();

        var api = Stored(ResourceTypes.Services, ns, "api")["spec"]!;
        Assert.Equal("ClusterIP", api["type"]!.ToString());
        Assert.Equal("api", api["selector"]!["app"]!.ToString());
        Assert.Equal("""[{"name":"80-8080","port":80,"protocol":"TCP","targetPort":8080}]""", Sorted(api["ports"]!));
        Assert.NotNull(api["clusterIP"]);
        var admin = Stored(ResourceTypes.Services, ns, "admin")["spec"]!;
        Assert.Equal("NodePort", admin["type"]!.ToString());
        Assert.Equal(30111, admin["ports"]![0]!["nodePort"]!.GetValue<int>());
        Assert.Equal(443, admin["ports"]![0]!["targetPort"]!.GetValue<int>());
        var lb = Stored(ResourceTypes.Services, ns, "public")["spec"]!;
        Assert.Equal("LoadBalancer", lb["type"]!.ToString());
        Assert.InRange(lb["ports"]![0]!["nodePort"]!.GetValue<int>(), 30000, 32767);
        var legacy = Stored(ResourceTypes.Services, ns, "legacy")["spec"]!;
        Assert.Equal("ExternalName", legacy["type"]!.ToString());
        Assert.Equal("legacy.example.com", legacy["externalName"]!.ToString());
        Assert.Null(legacy["clusterIP"]);
    }

    [Fact]
    public async Task Create_ingress_flattens_the_rule_value_and_keeps_tls_and_annotations()
    {
        var ns = NewNamespace();

        (await fixture.RunAsync("create", "ingress", "shop", "-n", ns, "--class=alb", "--rule=shop.example.com/cart*=cart:80,tls=shop-tls",
            "--annotation=alb.ingress.kubernetes.io/scheme=internet-facing")).Succeeded();

        var ingress = Stored(ResourceTypes.Ingresses, ns, "shop");
        Assert.Equal("internet-facing", ingress["metadata"]!["annotations"]!["alb.ingress.kubernetes.io/scheme"]!.ToString());
        var spec = ingress["spec"]!;
        Assert.Equal("alb", spec["ingressClassName"]!.ToString());
        // IngressRule embeds IngressRuleValue (json:",inline"): "http" sits beside "host", not under "ingressRuleValue".
        Assert.Equal("""{"host":"shop.example.com","http":{"paths":[{"backend":{"service":{"name":"cart","port":{"number":80}}},"path":"/cart","pathType":"Prefix"}]}}""",
            Sorted(spec["rules"]![0]!));
        Assert.Equal("""[{"hosts":["shop.example.com"],"secretName":"shop-tls"}]""", Sorted(spec["tls"]!));
    }

    [Fact]
    public async Task Create_serviceaccount_and_dry_run_and_already_exists()
    {
        var ns = NewNamespace();

        (await fixture.RunAsync("create", "serviceaccount", "robot", "-n", ns)).Succeeded();
        var dryRun = (await fixture.RunAsync("create", "deployment", "ghost", "-n", ns, "--image=nginx", "--dry-run=server", "-o", "name")).Succeeded();
        (await fixture.RunAsync("create", "configmap", "twice", "-n", ns)).Succeeded();
        var again = (await fixture.RunAsync("create", "configmap", "twice", "-n", ns)).Failed();

        Assert.NotNull(Stored(ResourceTypes.ServiceAccounts, ns, "robot"));
        Assert.Equal("deployment.apps/ghost", dryRun.Stdout.Trim());
        Assert.Null(fixture.Store.Get(ResourceTypes.Deployments, ns, "ghost"));
        Assert.Contains("configmaps \"twice\" already exists", again.Stderr);
    }

    [Fact]
    public async Task Run_expose_set_image_label_scale_and_rollout_on_a_created_deployment()
    {
        var ns = NewNamespace();
        (await fixture.RunAsync("create", "deployment", "shop", "-n", ns, "--image=nginx:1.27", "--port=8080")).Succeeded();

        (await fixture.RunAsync("run", "probe", "-n", ns, "--image=busybox:1.36", "--labels=app=probe")).Succeeded();
        (await fixture.RunAsync("expose", "deployment", "shop", "-n", ns, "--port=80", "--target-port=8080")).Succeeded();
        (await fixture.RunAsync("set", "image", "deployment/shop", "-n", ns, "nginx=nginx:1.28")).Succeeded();
        (await fixture.RunAsync("label", "deployment", "shop", "-n", ns, "tier=frontend")).Succeeded();
        (await fixture.RunAsync("scale", "deployment", "shop", "-n", ns, "--replicas=2")).Succeeded();
        (await fixture.RunAsync("rollout", "restart", "deployment/shop", "-n", ns)).Succeeded();
        (await fixture.RunAsync("rollout", "pause", "deployment/shop", "-n", ns)).Succeeded();
        var paused = Stored(ResourceTypes.Deployments, ns, "shop")["spec"]!["paused"]?.GetValue<bool>();
        (await fixture.RunAsync("rollout", "resume", "deployment/shop", "-n", ns)).Succeeded();
        var status = (await fixture.RunAsync("rollout", "status", "deployment/shop", "-n", ns)).Succeeded();

        var pod = Stored(ResourceTypes.Pods, ns, "probe");
        Assert.Equal("busybox:1.36", pod["spec"]!["containers"]![0]!["image"]!.ToString());
        Assert.Equal("probe", pod["metadata"]!["labels"]!["app"]!.ToString());
        var service = Stored(ResourceTypes.Services, ns, "shop")["spec"]!;
        Assert.Equal("shop", service["selector"]!["app"]!.ToString());
        Assert.Equal(8080, service["ports"]![0]!["targetPort"]!.GetValue<int>());
        var deployment = Stored(ResourceTypes.Deployments, ns, "shop");
        Assert.Equal("nginx:1.28", deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.ToString());
        Assert.Equal("frontend", deployment["metadata"]!["labels"]!["tier"]!.ToString());
        Assert.Equal("2", deployment["spec"]!["replicas"]!.ToJsonString());
        Assert.NotNull(deployment["spec"]!["template"]!["metadata"]!["annotations"]!["kubectl.kubernetes.io/restartedAt"]);
        Assert.True(paused);
        Assert.Null(deployment["spec"]!["paused"]);
        Assert.Contains("successfully rolled out", status.Stdout);
    }

    /// <summary>JSON with object keys sorted, so that comparisons do not depend on field order.</summary>
    private static string Sorted(JsonNode node) => SortKeys(node)!.ToJsonString();

    private static JsonNode? SortKeys(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, SortKeys(p.Value)))),
        JsonArray a => new JsonArray(a.Select(SortKeys).ToArray()),
        _ => node?.DeepClone(),
    };
}
