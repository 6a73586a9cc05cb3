using System.Text.Json.Nodes;
using Dashboard.Sandbox.Kubernetes;

namespace Dashboard.Sandbox.Tests.Cluster;

public sealed class SeedScenarioTests
{
    private static ClusterTestHarness StartScenario(int seed = 42) => ClusterTestHarness.Start(o =>
    {
        o.LoadScenario = true;
        o.Seed = seed;
    });

    private static Dictionary<string, string> Annotations(JsonObject obj) =>
        obj["metadata"]!["annotations"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());

    [Fact]
    public async Task Mlops_has_the_seed_workload_services_and_ingresses_with_the_seed_annotations()
    {
        await using var cluster = StartScenario();
        var store = cluster.Store;

        var deployment = store.Get(ResourceTypes.Deployments, "mlops", "retail-forecast-api")!;
        Assert.Equal(3, deployment["spec"]!["replicas"].AsLong());
        var container = deployment["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.Equal(8080, container["ports"]![0]!["containerPort"].AsLong());
        Assert.Equal("/healthz", container["readinessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
        Assert.Equal("/healthz", container["livenessProbe"]!["httpGet"]!["path"]!.GetValue<string>());

        var clusterIp = store.Get(ResourceTypes.Services, "mlops", "retail-forecast-service")!;
        Assert.Equal("ClusterIP", clusterIp["spec"]!["type"]!.GetValue<string>());

        var basic = store.Get(ResourceTypes.Services, "mlops", "retail-forecast-loadbalancer")!;
        Assert.Equal("LoadBalancer", basic["spec"]!["type"]!.GetValue<string>());
        var basicAnnotations = Annotations(basic);
        Assert.Equal("nlb", basicAnnotations["service.beta.kubernetes.io/aws-load-balancer-type"]);
        Assert.Equal("/healthz", basicAnnotations["service.beta.kubernetes.io/aws-load-balancer-healthcheck-path"]);
        Assert.Equal("3", basicAnnotations["service.beta.kubernetes.io/aws-load-balancer-unhealthy-threshold"]);
        Assert.Equal(8, basicAnnotations.Count);
        Assert.Equal(["http", "https"], basic["spec"]!["ports"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
        Assert.All(basic["spec"]!["ports"]!.AsArray(), p => Assert.InRange(p!["nodePort"].AsLong(), 30000, 32767));
        Assert.Equal("0.0.0.0/0", basic["spec"]!["loadBalancerSourceRanges"]![0]!.GetValue<string>());

        var nlb = store.Get(ResourceTypes.Services, "mlops", "retail-forecast-nlb")!;
        var nlbAnnotations = Annotations(nlb);
        Assert.Equal(17, nlbAnnotations.Count);
        Assert.Equal("nlb", nlbAnnotations["service.beta.kubernetes.io/aws-load-balancer-type"]);
        Assert.Equal("internet-facing", nlbAnnotations["service.beta.kubernetes.io/aws-load-balancer-scheme"]);
        Assert.Equal("6", nlbAnnotations["service.beta.kubernetes.io/aws-load-balancer-healthcheck-timeout"]);
        Assert.Equal("subnet-12345678,subnet-87654321", nlbAnnotations["service.beta.kubernetes.io/aws-load-balancer-subnets"]);
        Assert.Equal("ip", nlbAnnotations["service.beta.kubernetes.io/aws-load-balancer-target-type"]);
        Assert.Equal("Environment=Production,Project=RetailForecast", nlbAnnotations["service.beta.kubernetes.io/aws-load-balancer-additional-resource-tags"]);
        Assert.Equal("Local", nlb["spec"]!["externalTrafficPolicy"]!.GetValue<string>());

        var alb = store.Get(ResourceTypes.Ingresses, "mlops", "retail-forecast-alb-ingress")!;
        var albAnnotations = Annotations(alb);
        Assert.Equal("alb", albAnnotations["kubernetes.io/ingress.class"]);
        Assert.Equal("retail-forecast-alb", albAnnotations["alb.ingress.kubernetes.io/load-balancer-name"]);
        Assert.Equal("443", albAnnotations["alb.ingress.kubernetes.io/ssl-redirect"]);
        Assert.Matches("^arn:aws:acm:us-east-1:123456789012:certificate/[0-9a-f-]{36}$", albAnnotations["alb.ingress.kubernetes.io/certificate-arn"]);
        Assert.Equal("access_logs.s3.enabled=true,\naccess_logs.s3.bucket=retail-forecast-alb-logs,\naccess_logs.s3.prefix=alb-access-logs\n", albAnnotations["alb.ingress.kubernetes.io/load-balancer-attributes"]);
        Assert.StartsWith("arn:aws:wafv2:us-east-1:123456789012:regional/webacl/retail-forecast-waf/", albAnnotations["alb.ingress.kubernetes.io/wafv2-acl-arn"], StringComparison.Ordinal);
        Assert.Equal(2, alb["spec"]!["rules"]!.AsArray().Count);
        Assert.Null(alb["spec"]!["rules"]![1]!["host"]);

        var advanced = store.Get(ResourceTypes.Ingresses, "mlops", "retail-forecast-alb-advanced")!;
        Assert.Equal("[{\"HTTP\": 80}, {\"HTTPS\": 443}]", Annotations(advanced)["alb.ingress.kubernetes.io/listen-ports"]);
        Assert.Contains("\"weight\": 100", Annotations(advanced)["alb.ingress.kubernetes.io/actions.weighted-routing"], StringComparison.Ordinal);
        Assert.Equal(["/healthz", "/predict", "/batch-predict", "/model-info", "/metrics", "/"],
            advanced["spec"]!["rules"]![0]!["http"]!["paths"]!.AsArray().Select(p => p!["path"]!.GetValue<string>()));

        Assert.Equal("ingress.k8s.aws/alb", store.Get(ResourceTypes.IngressClasses, null, "alb")!["spec"]!["controller"]!.GetValue<string>());
        Assert.Equal(2, store.Get(ResourceTypes.Deployments, "kube-system", "aws-load-balancer-controller")!["spec"]!["replicas"].AsLong());
        Assert.NotNull(store.Get(ResourceTypes.ServiceAccounts, "kube-system", "aws-load-balancer-controller"));

        // The controllers bring it to life: three ready retail-forecast pods behind every mlops Service.
        await cluster.UntilAsync(() => cluster.Slices("mlops", "retail-forecast-nlb").SingleOrDefault()?["endpoints"] is JsonArray { Count: 3 } endpoints
            && endpoints.All(e => e!["conditions"]!["ready"]!.GetValue<bool>()), "3 ready endpoints of retail-forecast-nlb");
        await cluster.UntilAsync(() => cluster.Pods("kube-system", "aws-load-balancer-controller").Count == 2, "2 controller pods");
    }

    [Fact]
    public async Task Neighbours_cover_internal_nlb_shared_alb_group_failing_canary_and_dangling_selector()
    {
        await using var cluster = StartScenario();
        var store = cluster.Store;

        var payments = store.Get(ResourceTypes.Services, "payments", "payments-api-nlb")!;
        Assert.Equal("service.k8s.aws/nlb", payments["spec"]!["loadBalancerClass"]!.GetValue<string>());
        Assert.Equal("internal", Annotations(payments)["service.beta.kubernetes.io/aws-load-balancer-scheme"]);
        Assert.Equal("ip", Annotations(payments)["service.beta.kubernetes.io/aws-load-balancer-nlb-target-type"]);
        Assert.Equal("external", Annotations(store.Get(ResourceTypes.Services, "storefront", "storefront-checkout-nlb")!)["service.beta.kubernetes.io/aws-load-balancer-type"]);

        var storefront = store.Get(ResourceTypes.Ingresses, "storefront", "storefront")!;
        var catalog = store.Get(ResourceTypes.Ingresses, "catalog", "catalog")!;
        Assert.Equal("shop", Annotations(storefront)["alb.ingress.kubernetes.io/group.name"]);
        Assert.Equal("shop", Annotations(catalog)["alb.ingress.kubernetes.io/group.name"]);
        Assert.Equal("alb", storefront["spec"]!["ingressClassName"]!.GetValue<string>());
        Assert.Equal("0.0.0.0/0", Annotations(storefront)["alb.ingress.kubernetes.io/inbound-cidrs"]);
        Assert.Equal("alb", Annotations(catalog)["kubernetes.io/ingress.class"]);
        Assert.Null(catalog["spec"]!["ingressClassName"]);

        // A health-check path no container's readiness probe serves.
        Assert.Equal("/health", Annotations(store.Get(ResourceTypes.Services, "catalog", "catalog-api")!)["alb.ingress.kubernetes.io/healthcheck-path"]);
        var probePaths = store.List(ResourceTypes.Deployments, "catalog").Items
            .Select(d => d["spec"]!["template"]!["spec"]!["containers"]![0]!["readinessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
        Assert.DoesNotContain("/health", probePaths);

        // Failing canary: one of three catalog endpoints is not ready.
        await cluster.UntilAsync(() => cluster.Slices("catalog", "catalog-api").SingleOrDefault()?["endpoints"] is JsonArray { Count: 3 } endpoints
            && endpoints.Count(e => e!["conditions"]!["ready"]!.GetValue<bool>()) == 2, "2 of 3 catalog endpoints ready");
        await cluster.UntilAsync(() => cluster.Events("catalog", "Unhealthy").Count == 1, "the canary's Unhealthy event");

        // Dangling selector: an empty placeholder slice.
        await cluster.UntilAsync(() => cluster.Slices("internal-tools", "legacy-reports").Count == 1, "legacy-reports slice");
        Assert.Null(cluster.Slices("internal-tools", "legacy-reports").Single()["endpoints"]);
        Assert.Equal("ClusterIP", store.Get(ResourceTypes.Services, "internal-tools", "grafana")!["spec"]!["type"]!.GetValue<string>());

        // Crash-looping worker.
        await cluster.UntilAsync(() => cluster.Pods("internal-tools", "report-worker").SingleOrDefault()?["status"]?["containerStatuses"]?[0]?["state"]?["waiting"]?["reason"]?.GetValue<string>() == "CrashLoopBackOff", "report-worker crash-looping");

        Assert.Equal("10.100.0.10", store.Get(ResourceTypes.Services, "kube-system", "kube-dns")!["spec"]!["clusterIP"]!.GetValue<string>());
        Assert.Contains(store.List(ResourceTypes.ConfigMaps, "mlops").Items, c => c["metadata"]!["name"]!.GetValue<string>() == "retail-forecast-config");
    }

    [Fact]
    public async Task Same_seed_gives_the_same_pods_and_addresses_and_another_seed_does_not()
    {
        static async Task<List<string>> WorldAsync(int seed)
        {
            await using var cluster = StartScenario(seed);
            await cluster.UntilAsync(() => cluster.Pods("mlops", "retail-forecast-api").Count == 3 && cluster.Pods("payments", "payments-api").Count == 3
                && cluster.Pods("catalog").Count == 3, "scenario pods");
            return [.. new[] { "mlops", "payments", "catalog", "kube-system" }
                .SelectMany(ns => cluster.Pods(ns))
                .Select(p => $"{p["metadata"]!["namespace"]}/{p["metadata"]!["name"]} {p["status"]!["podIP"]} {p["spec"]!["nodeName"]}")
                .Order(StringComparer.Ordinal)
                .Concat(cluster.Store.List(ResourceTypes.Services).Items.Select(s => $"{s["metadata"]!["name"]} {s["spec"]!["clusterIP"]}").Order(StringComparer.Ordinal))];
        }

        var first = await WorldAsync(7);
        var second = await WorldAsync(7);
        var other = await WorldAsync(8);
        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
        Assert.Contains(first, line => line.StartsWith("mlops/retail-forecast-api-", StringComparison.Ordinal) && line.Contains(" 192.168.", StringComparison.Ordinal));
    }
}
