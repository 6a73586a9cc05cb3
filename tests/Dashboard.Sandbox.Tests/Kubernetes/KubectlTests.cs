using System.Globalization;
using System.Text.Json.Nodes;
using Dashboard.Sandbox.Kubernetes;
using Dashboard.Testing;

namespace Dashboard.Sandbox.Tests.Kubernetes;

/// <summary>The real kubectl (1.32 dispatcher) against the emulated API server: the judge of wire fidelity.</summary>
public sealed class KubectlTests(KubectlFixture fixture) : IClassFixture<KubectlFixture>
{
    private static readonly TimeSpan WatchTimeout = Patience.Eventually;

    private string NewNamespace()
    {
        var ns = "t-" + Guid.NewGuid().ToString("N")[..8];
        fixture.EnsureNamespace(ns);
        return ns;
    }

    private JsonObject CreateService(string ns, string name, string? hostname = null, string type = "LoadBalancer", JsonObject? labels = null)
    {
        var service = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = labels ?? new JsonObject { ["app"] = name } },
            ["spec"] = new JsonObject
            {
                ["type"] = type,
                ["clusterIP"] = "10.100.1.2",
                ["selector"] = new JsonObject { ["app"] = name },
                ["ports"] = new JsonArray(new JsonObject { ["port"] = 80, ["targetPort"] = 8080, ["protocol"] = "TCP" }),
            },
        };
        if (type != "ClusterIP")
        {
            service["spec"]!["ports"]![0]!["nodePort"] = 31234;
        }
        if (hostname is not null)
        {
            service["status"] = new JsonObject { ["loadBalancer"] = new JsonObject { ["ingress"] = new JsonArray(new JsonObject { ["hostname"] = hostname }) } };
        }
        return fixture.Store.Create(ResourceTypes.Services, ns, service);
    }

    [Fact]
    public async Task Get_services_in_all_namespaces_prints_the_kubectl_columns()
    {
        var ns = NewNamespace();
        CreateService(ns, "web", hostname: "a1b2c3-123.elb.us-east-1.amazonaws.com");
        CreateService(ns, "internal", type: "ClusterIP");

        var result = (await fixture.RunAsync("get", "svc", "-A")).Succeeded();

        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAMESPACE\s+NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$", lines[0]);
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, $@"^{ns}\s+web\s+LoadBalancer\s+10\.100\.1\.2\s+a1b2c3-123\.elb\.us-east-1\.amazonaws\.com\s+80:31234/TCP\s+\d+s$"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, $@"^{ns}\s+internal\s+ClusterIP\s+10\.100\.1\.2\s+<none>\s+80/TCP\s+"));
    }

    [Fact]
    public async Task Get_services_wide_with_label_selector_and_show_labels()
    {
        var ns = NewNamespace();
        CreateService(ns, "front", labels: new JsonObject { ["tier"] = "web", ["app"] = "front" });
        CreateService(ns, "legacy", labels: new JsonObject { ["tier"] = "web", ["legacy"] = "true" });
        CreateService(ns, "db", labels: new JsonObject { ["tier"] = "data" });

        var result = (await fixture.RunAsync("get", "svc", "-n", ns, "-o", "wide", "--show-labels", "-l", "tier in (web,cache),!legacy")).Succeeded();

        Assert.Matches(@"NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\s+SELECTOR\s+LABELS", result.Stdout);
        Assert.Matches(@"front\s+LoadBalancer\s+10\.100\.1\.2\s+<pending>\s+80:31234/TCP\s+\S+\s+app=front\s+app=front,tier=web", result.Stdout);
        Assert.DoesNotContain("legacy", result.Stdout);
        Assert.DoesNotContain("db", result.Stdout);
    }

    [Fact]
    public async Task Get_ingress_wide_shows_class_hosts_address_and_ports()
    {
        var ns = NewNamespace();
        fixture.Store.Create(ResourceTypes.Ingresses, ns, JsonNode.Parse("""
            {"metadata":{"name":"retail-forecast-ingress"},
             "spec":{"ingressClassName":"alb","rules":[{"host":"api.retail.example.com","http":{"paths":[{"path":"/","pathType":"Prefix",
               "backend":{"service":{"name":"retail-forecast-service","port":{"number":80}}}}]}}]},
             "status":{"loadBalancer":{"ingress":[{"hostname":"k8s-mlops-retailfo-0123456789.us-east-1.elb.amazonaws.com"}]}}}
            """)!.AsObject());

        var result = (await fixture.RunAsync("get", "ingress", "-n", ns, "-o", "wide")).Succeeded();

        Assert.Matches(@"NAME\s+CLASS\s+HOSTS\s+ADDRESS\s+PORTS\s+AGE", result.Stdout);
        Assert.Matches(@"retail-forecast-ingress\s+alb\s+api\.retail\.example\.com\s+k8s-mlops-retailfo-0123456789\.us-east-1\.elb\.amazonaws\.com\s+80\s+\d+s", result.Stdout);
    }

    [Fact]
    public async Task Get_watch_sees_a_change_made_through_the_store()
    {
        var ns = NewNamespace();
        CreateService(ns, "watched");
        using var process = fixture.Start("get", "svc", "-n", ns, "-w");
        var lines = new List<string>();
        var seen = new TaskCompletionSource();
        var reader = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                lock (lines)
                {
                    lines.Add(line);
                    if (lines.Count(l => l.StartsWith("watched", StringComparison.Ordinal)) >= 2)
                    {
                        seen.TrySetResult();
                    }
                }
            }
        });
        try
        {
            // The first row comes from the list; once it is printed the watch is open, then change the object.
            await WaitUntilAsync(() => { lock (lines) { return lines.Any(l => l.StartsWith("watched", StringComparison.Ordinal)); } });
            fixture.Store.Mutate(ResourceTypes.Services, ns, "watched", s =>
            {
                s["status"] = JsonNode.Parse("""{"loadBalancer":{"ingress":[{"hostname":"watched-lb.elb.amazonaws.com"}]}}""");
                return s;
            }, statusOnly: true);
            var finished = await Task.WhenAny(seen.Task, Task.Delay(WatchTimeout));
            Assert.True(finished == seen.Task, "kubectl get -w did not print the change: " + string.Join("\n", lines));
            lock (lines)
            {
                Assert.Contains(lines, l => l.StartsWith("watched", StringComparison.Ordinal) && l.Contains("watched-lb.elb.amazonaws.com", StringComparison.Ordinal));
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        await reader;
    }

    [Fact]
    public async Task Create_and_apply_the_seed_services_then_apply_an_edited_copy()
    {
        var ns = NewNamespace();
        var created = (await fixture.RunAsync("create", "-f", fixture.WriteFile($"{ns}-lb.yaml", SeedManifests.LoadBalancerService(ns)))).Succeeded();
        Assert.Contains("service/retail-forecast-loadbalancer created", created.Stdout);
        var applied = (await fixture.RunAsync("apply", "-f", fixture.WriteFile($"{ns}-nlb.yaml", SeedManifests.NlbService(ns)))).Succeeded();
        Assert.Contains("service/retail-forecast-nlb created", applied.Stdout);
        var again = (await fixture.RunAsync("apply", "-f", fixture.WriteFile($"{ns}-nlb.yaml", SeedManifests.NlbService(ns)))).Succeeded();
        Assert.Contains("service/retail-forecast-nlb unchanged", again.Stdout);

        var edited = (await fixture.RunAsync("apply", "-f", fixture.WriteFile($"{ns}-nlb2.yaml", SeedManifests.NlbService(ns, port: 8080, scheme: "internal")))).Succeeded();

        Assert.Contains("service/retail-forecast-nlb configured", edited.Stdout);
        var stored = fixture.Store.Get(ResourceTypes.Services, ns, "retail-forecast-nlb")!;
        var ports = stored["spec"]!["ports"]!.AsArray();
        Assert.Equal("8080", Assert.Single(ports)!["port"]!.ToJsonString());
        Assert.Equal("internal", stored["metadata"]!["annotations"]!["service.beta.kubernetes.io/aws-load-balancer-scheme"]!.ToString());
        var lb = fixture.Store.Get(ResourceTypes.Services, ns, "retail-forecast-loadbalancer")!;
        Assert.Equal(2, lb["spec"]!["ports"]!.AsArray().Count);
        Assert.StartsWith("10.100.", lb["spec"]!["clusterIP"]!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Annotate_label_and_patch_merge_and_json_change_the_stored_object()
    {
        var ns = NewNamespace();
        CreateService(ns, "patched");

        (await fixture.RunAsync("annotate", "svc", "-n", ns, "patched", "team=forecast")).Succeeded();
        (await fixture.RunAsync("label", "svc", "-n", ns, "patched", "tier=web")).Succeeded();
        (await fixture.RunAsync("patch", "svc", "-n", ns, "patched", "--type", "merge", "-p", """{"spec":{"sessionAffinity":"ClientIP"}}""")).Succeeded();
        (await fixture.RunAsync("patch", "svc", "-n", ns, "patched", "--type", "json", "-p", """[{"op":"replace","path":"/spec/ports/0/port","value":9090}]""")).Succeeded();

        var stored = fixture.Store.Get(ResourceTypes.Services, ns, "patched")!;
        Assert.Equal("forecast", stored["metadata"]!["annotations"]!["team"]!.ToString());
        Assert.Equal("web", stored["metadata"]!["labels"]!["tier"]!.ToString());
        Assert.Equal("ClientIP", stored["spec"]!["sessionAffinity"]!.ToString());
        Assert.Equal("9090", stored["spec"]!["ports"]![0]!["port"]!.ToJsonString());
    }

    [Fact]
    public async Task Delete_removes_the_object()
    {
        var ns = NewNamespace();
        CreateService(ns, "doomed");

        var result = (await fixture.RunAsync("delete", "svc", "-n", ns, "doomed")).Succeeded();

        Assert.Contains("service \"doomed\" deleted", result.Stdout);
        Assert.Null(fixture.Store.Get(ResourceTypes.Services, ns, "doomed"));
        var missing = (await fixture.RunAsync("get", "svc", "-n", ns, "doomed")).Failed();
        Assert.Contains("Error from server (NotFound): services \"doomed\" not found", missing.Stderr);
    }

    [Fact]
    public async Task Replace_with_a_stale_object_is_a_conflict()
    {
        var ns = NewNamespace();
        CreateService(ns, "contended");
        var stale = (await fixture.RunAsync("get", "svc", "-n", ns, "contended", "-o", "yaml")).Succeeded().Stdout;
        fixture.Store.Mutate(ResourceTypes.Services, ns, "contended", s => { s["metadata"]!["labels"]!["changed"] = "yes"; return s; });

        var result = (await fixture.RunAsync("replace", "-f", fixture.WriteFile($"{ns}-stale.yaml", stale))).Failed();

        Assert.Contains("Error from server (Conflict)", result.Stderr);
        Assert.Contains("the object has been modified; please apply your changes to the latest version and try again", result.Stderr);
    }

    [Fact]
    public async Task Create_of_an_invalid_service_names_each_bad_field()
    {
        var ns = NewNamespace();
        var manifest = $"""
            apiVersion: v1
            kind: Service
            metadata:
              name: Retail_Forecast
              namespace: {ns}
            spec:
              ports:
              - port: 70000
            """;

        var result = (await fixture.RunAsync("create", "-f", fixture.WriteFile($"{ns}-bad.yaml", manifest))).Failed();

        Assert.Contains("The Service \"Retail_Forecast\" is invalid", result.Stderr);
        Assert.Contains("metadata.name: Invalid value: \"Retail_Forecast\": a DNS-1035 label", result.Stderr);
        Assert.Contains("spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive", result.Stderr);
        Assert.Empty(fixture.Store.List(ResourceTypes.Services, ns).Items);
    }

    [Fact]
    public async Task Create_with_an_unknown_field_is_rejected_by_strict_server_side_validation()
    {
        var ns = NewNamespace();
        var manifest = SeedManifests.NlbService(ns).Replace("  type: LoadBalancer", "  type: LoadBalancer\n  portz: 1", StringComparison.Ordinal);

        var result = (await fixture.RunAsync("create", "-f", fixture.WriteFile($"{ns}-unknown.yaml", manifest))).Failed();

        Assert.Contains("strict decoding error: unknown field \"spec.portz\"", result.Stderr);
    }

    [Fact]
    public async Task Apply_server_side_creates_then_updates()
    {
        var ns = NewNamespace();
        var path = fixture.WriteFile($"{ns}-ssa.yaml", SeedManifests.NlbService(ns));

        var first = (await fixture.RunAsync("apply", "--server-side", "-f", path)).Succeeded();
        var rv = fixture.Store.Get(ResourceTypes.Services, ns, "retail-forecast-nlb")!["metadata"]!["resourceVersion"]!.ToString();
        var second = (await fixture.RunAsync("apply", "--server-side", "-f", fixture.WriteFile($"{ns}-ssa2.yaml", SeedManifests.NlbService(ns, scheme: "internal")))).Succeeded();

        Assert.Contains("service/retail-forecast-nlb serverside-applied", first.Stdout);
        Assert.Contains("service/retail-forecast-nlb serverside-applied", second.Stdout);
        var stored = fixture.Store.Get(ResourceTypes.Services, ns, "retail-forecast-nlb")!;
        Assert.Equal("internal", stored["metadata"]!["annotations"]!["service.beta.kubernetes.io/aws-load-balancer-scheme"]!.ToString());
        Assert.NotEqual(rv, stored["metadata"]!["resourceVersion"]!.ToString());
    }

    [Fact]
    public async Task Dry_run_server_stores_nothing()
    {
        var ns = NewNamespace();
        var path = fixture.WriteFile($"{ns}-dry.yaml", SeedManifests.LoadBalancerService(ns));
        var created = (await fixture.RunAsync("create", "--dry-run=server", "-f", path)).Succeeded();
        var applied = (await fixture.RunAsync("apply", "--server-side", "--dry-run=server", "-f", path)).Succeeded();

        Assert.Contains("service/retail-forecast-loadbalancer created (server dry run)", created.Stdout);
        Assert.Contains("(server dry run)", applied.Stdout);
        Assert.Null(fixture.Store.Get(ResourceTypes.Services, ns, "retail-forecast-loadbalancer"));
        // Not the store's version: the simulated controllers write on their own (e.g. the new namespace's defaults).
        Assert.Empty(fixture.Store.List(ResourceTypes.Services, ns).Items);
        Assert.Empty(fixture.Store.List(ResourceTypes.Events, ns, e => e["involvedObject"]?["kind"]?.GetValue<string>() == "Service").Items);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + WatchTimeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within " + WatchTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture) + "s");
            await Task.Yield();
            await Task.Delay(20);
        }
    }
}
