using System.Text.Json.Nodes;
using Dashboard.Client.Model;
using Dashboard.Sandbox;
using Dashboard.Sandbox.Aws;
using Dashboard.Sandbox.Cluster;
using Dashboard.Sandbox.Kubernetes;
using Dashboard.Server.Inventory;
using Dashboard.Testing;
using k8s;
using k8s.Models;

namespace Dashboard.Server.Tests.Inventory;

/// <summary>
/// Invalid controller annotation values are error lints that quote the value, say what the controller does and list the
/// valid forms; where the controller refuses, the sandbox's simulated controller records the same FailedBuildModel text.
/// </summary>
public class AnnotationValidationTests
{
    private const string Svc = "service.beta.kubernetes.io/";
    private const string Alb = "alb.ingress.kubernetes.io/";
    private static readonly ServiceLintContext Context = new([], PodsKnown: false, AwsLoadBalancerControllerInstalled: true);

    /// <summary>A LoadBalancer Service the controller owns (class service.k8s.aws/nlb, ip targets), with extra annotations.</summary>
    private static JsonObject ServiceJson(string name, IDictionary<string, string> annotations, string? loadBalancerClass = "service.k8s.aws/nlb")
    {
        var all = new JsonObject { [Svc + "aws-load-balancer-nlb-target-type"] = "ip" };
        foreach (var (key, value) in annotations)
        {
            all[key] = value;
        }
        var spec = new JsonObject
        {
            ["type"] = "LoadBalancer",
            ["selector"] = new JsonObject { ["app"] = "api" },
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = 80, ["targetPort"] = 8080, ["protocol"] = "TCP" }),
        };
        if (loadBalancerClass is not null)
        {
            spec["loadBalancerClass"] = loadBalancerClass;
        }
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Service",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "shop", ["uid"] = "uid-" + name, ["annotations"] = all },
            ["spec"] = spec,
        };
    }

    private static V1Service ToService(JsonObject json) => KubernetesJson.Deserialize<V1Service>(json.ToJsonString());

    private static IReadOnlyList<Lint> ServiceLints(JsonObject json)
    {
        var service = ToService(json);
        return InventoryLints.ForService(service, ServiceDecoder.Decode(service, []), Context);
    }

    private static Lint InvalidLint(IEnumerable<Lint> lints, string key) =>
        Assert.Single(lints, l => l.Code == InventoryLints.Codes.InvalidAnnotationValue && l.Title.Contains(key, StringComparison.Ordinal));

    public static TheoryData<string, string, string> RefusedServiceValues => new()
    {
        { Svc + "aws-load-balancer-scheme", "sideways", "unknown scheme: sideways" },
        { Svc + "aws-load-balancer-healthcheck-protocol", "GOPHER", "unsupported health check protocol GOPHER" },
        { Svc + "aws-load-balancer-healthcheck-port", "abc", "failed to resolve healthCheckPort: unable to find port abc on service shop/" },
        { Svc + "aws-load-balancer-healthcheck-interval", "ten", "failed to parse int32 annotation, service.beta.kubernetes.io/aws-load-balancer-healthcheck-interval: ten: strconv.ParseInt: parsing \"ten\": invalid syntax" },
        { Svc + "aws-load-balancer-ssl-ports", "x,y,-1", "Unused port in ssl-ports annotation [x y -1]" },
        { Svc + "aws-load-balancer-cross-zone-load-balancing-enabled", "yes", "failed to parse bool annotation, service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled: yes: strconv.ParseBool: parsing \"yes\": invalid syntax" },
        { Svc + "aws-load-balancer-target-group-attributes", "deregistration_delay.timeout_seconds", "failed to parse stringMap annotation, service.beta.kubernetes.io/aws-load-balancer-target-group-attributes: deregistration_delay.timeout_seconds" },
        { Svc + "aws-load-balancer-ip-address-type", "ipv5", "unknown IPAddressType: ipv5" },
    };

    [Theory]
    [MemberData(nameof(RefusedServiceValues))]
    public void A_refused_service_value_is_an_error_quoting_the_value_the_event_and_the_valid_forms(string key, string value, string message)
    {
        var lint = InvalidLint(ServiceLints(ServiceJson("api", new Dictionary<string, string> { [key] = value })), key);

        Assert.Equal(LintSeverity.Error, lint.Severity);
        Assert.Contains($"\"{value}\"", lint.Title, StringComparison.Ordinal);
        Assert.Contains("FailedBuildModel \"Failed build model due to " + message, lint.Detail, StringComparison.Ordinal);
        Assert.Contains("Valid: ", lint.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(RefusedServiceValues))]
    public async Task The_sandbox_controller_refuses_the_same_service_values_with_the_same_event_text(string key, string value, string message)
    {
        await using var sandbox = await SandboxController.StartAsync();
        var name = "api-" + Math.Abs(StringComparer.Ordinal.GetHashCode(key + value)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var json = ServiceJson(name, new Dictionary<string, string> { [key] = value });
        var lint = InvalidLint(ServiceLints(json), key);

        sandbox.Store.Create(ResourceTypes.Services, "shop", json);

        var warning = await sandbox.WaitForEventAsync("shop", name, "FailedBuildModel");
        var eventMessage = warning["message"]!.GetValue<string>();
        Assert.Contains(message, eventMessage, StringComparison.Ordinal);
        Assert.Contains($"FailedBuildModel \"{eventMessage}\"", lint.Detail, StringComparison.Ordinal);
    }

    /// <summary>An Ingress (class alb through the annotation, unless <paramref name="className"/>) routing / to Service web:80, or to action "redirect".</summary>
    private static JsonObject IngressJson(string name, IDictionary<string, string> annotations, string? className = null, bool useAction = false)
    {
        var all = new JsonObject();
        if (className is null)
        {
            all["kubernetes.io/ingress.class"] = "alb";
        }
        foreach (var (key, value) in annotations)
        {
            all[key] = value;
        }
        var port = useAction ? new JsonObject { ["name"] = "use-annotation" } : new JsonObject { ["number"] = 80 };
        var spec = new JsonObject
        {
            ["rules"] = new JsonArray(new JsonObject
            {
                ["host"] = "shop.example.com",
                ["http"] = new JsonObject
                {
                    ["paths"] = new JsonArray(new JsonObject
                    {
                        ["path"] = "/",
                        ["pathType"] = "Prefix",
                        ["backend"] = new JsonObject { ["service"] = new JsonObject { ["name"] = useAction ? "redirect" : "web", ["port"] = port } },
                    }),
                },
            }),
        };
        if (className is not null)
        {
            spec["ingressClassName"] = className;
        }
        return new JsonObject
        {
            ["apiVersion"] = "networking.k8s.io/v1",
            ["kind"] = "Ingress",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "shop", ["uid"] = "uid-" + name, ["annotations"] = all },
            ["spec"] = spec,
        };
    }

    private static IReadOnlyList<Lint> IngressLints(JsonObject json) =>
        InventoryLints.ForIngress(IngressDecoder.Decode(KubernetesJson.Deserialize<V1Ingress>(json.ToJsonString())), _ => true, name => name == "alb");

    public static TheoryData<string, string, string, string, string> RefusedIngressValues => new()
    {
        { "listen", Alb + "listen-ports", "not-json", "FailedBuildModel", "failed to parse listen-ports configuration: `not-json`: invalid character 'o' in literal null (expecting 'u')" },
        { "listen-tcp", Alb + "listen-ports", "[{\"TCP\": 80}]", "FailedBuildModel", "listen protocol must be within [HTTP, HTTPS]: TCP" },
        { "redirect", Alb + "ssl-redirect", "abc", "FailedBuildModel", "ingress: shop/redirect: failed to parse int32 annotation, alb.ingress.kubernetes.io/ssl-redirect: abc: strconv.ParseInt: parsing \"abc\": invalid syntax" },
        { "no-https", Alb + "ssl-redirect", "443", "FailedBuildModel", "listener does not exist for SSLRedirect port: 443" },
        { "scheme", Alb + "scheme", "sideways", "FailedBuildModel", "unknown scheme: sideways" },
        { "cidrs", Alb + "inbound-cidrs", "999.1.1.1/99", "FailedBuildModel", "invalid inbound-cidrs settings on Ingress: shop/cidrs: invalid CIDR address: 999.1.1.1/99" },
        { "group", Alb + "group.name", "Bad_Group", "FailedLoadGroupID", "invalid ingress group: groupName must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character" },
        { "action", Alb + "actions.redirect", "{\"type\":", "FailedBuildModel", "ingress: shop/action: failed to parse json annotation, alb.ingress.kubernetes.io/actions.redirect: {\"type\":: unexpected end of JSON input" },
    };

    [Theory]
    [MemberData(nameof(RefusedIngressValues))]
    public async Task The_sandbox_controller_refuses_the_same_ingress_values_with_the_same_event_text(string name, string key, string value, string reason, string message)
    {
        await using var sandbox = await SandboxController.StartAsync();
        var json = IngressJson(name, new Dictionary<string, string> { [key] = value }, useAction: key.Contains("actions.", StringComparison.Ordinal));
        var lint = InvalidLint(IngressLints(json), key);
        Assert.Equal(LintSeverity.Error, lint.Severity);
        Assert.Contains($"\"{value}\"", lint.Title, StringComparison.Ordinal);

        sandbox.Store.Create(ResourceTypes.Ingresses, "shop", json);

        var warning = await sandbox.WaitForEventAsync("shop", name, reason);
        var eventMessage = warning["message"]!.GetValue<string>();
        Assert.EndsWith(message, eventMessage, StringComparison.Ordinal);
        Assert.Contains($"{reason} \"{eventMessage}\"", lint.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_ingress_whose_class_does_not_exist_is_an_error_not_an_open_alb_and_the_sandbox_says_why()
    {
        await using var sandbox = await SandboxController.StartAsync();
        var json = IngressJson("orphan", new Dictionary<string, string> { [Alb + "scheme"] = "internet-facing" }, className: "missing");
        var lints = IngressLints(json);
        var lint = Assert.Single(lints, l => l.Code == InventoryLints.Codes.IngressClassNotFound);
        Assert.DoesNotContain(lints, l => l.Code == InventoryLints.Codes.OpenSourceRanges);

        sandbox.Store.Create(ResourceTypes.Ingresses, "shop", json);

        var warning = await sandbox.WaitForEventAsync("shop", "orphan", "FailedLoadGroupID");
        var eventMessage = warning["message"]!.GetValue<string>();
        Assert.Equal("failed load groupID due to invalid ingress class: ingressclasses.networking.k8s.io \"missing\" not found", eventMessage);
        Assert.Contains($"FailedLoadGroupID \"{eventMessage}\"", lint.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("aws-load-balancer-healthcheck-interval", "-5", "5-300")]
    [InlineData("aws-load-balancer-healthcheck-healthy-threshold", "11", "2-10")]
    public void An_out_of_range_health_check_number_is_rejected_by_AWS_not_by_the_controller(string suffix, string value, string range)
    {
        var lint = InvalidLint(ServiceLints(ServiceJson("api", new Dictionary<string, string> { [Svc + suffix] = value })), Svc + suffix);

        Assert.Contains("AWS rejects it", lint.Detail, StringComparison.Ordinal);
        Assert.Contains(range, lint.Detail, StringComparison.Ordinal);
        Assert.Contains("FailedDeployModel", lint.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Svc + "aws-load-balancer-healthcheck-interval", "-5", "ValidationError", "between 5 and 300")]
    [InlineData(Svc + "aws-load-balancer-ssl-cert", "arn:garbage", "CertificateNotFound", "Certificate 'arn:garbage' not found")]
    [InlineData(Svc + "load-balancer-source-ranges", "999.1.1.1/99", "InvalidParameterValue", "CIDR block 999.1.1.1/99 is malformed")]
    public async Task The_sandbox_account_rejects_what_the_lint_says_AWS_rejects(string key, string value, string code, string message)
    {
        await using var sandbox = await SandboxController.StartAsync();
        var name = value.StartsWith("arn", StringComparison.Ordinal) ? "tls" : value.Contains('/', StringComparison.Ordinal) ? "ranges" : "interval";
        var json = ServiceJson(name, new Dictionary<string, string> { [key] = value });
        var lint = InvalidLint(ServiceLints(json), key);
        Assert.Contains("AWS rejects it", lint.Detail, StringComparison.Ordinal);
        Assert.Contains("FailedDeployModel", lint.Detail, StringComparison.Ordinal);

        sandbox.Store.Create(ResourceTypes.Services, "shop", json);

        var warning = await sandbox.WaitForEventAsync("shop", name, "FailedDeployModel");
        Assert.Contains(code, warning["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(message, warning["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(sandbox.Store.List(ResourceTypes.Events, "shop").Items, e => e["reason"]?.GetValue<string>() == "FailedBuildModel");
    }

    [Fact]
    public void A_bad_source_range_or_certificate_is_flagged_with_what_AWS_does()
    {
        var lints = ServiceLints(ServiceJson("api", new Dictionary<string, string>
        {
            [Svc + "load-balancer-source-ranges"] = "10.0.0.0/8, 999.1.1.1/99",
            [Svc + "aws-load-balancer-ssl-cert"] = "arn:garbage",
        }));

        var range = InvalidLint(lints, Svc + "load-balancer-source-ranges");
        Assert.Contains("\"999.1.1.1/99\"", range.Title, StringComparison.Ordinal);
        Assert.Contains("InvalidParameterValue", range.Detail, StringComparison.Ordinal);
        var certificate = InvalidLint(lints, Svc + "aws-load-balancer-ssl-cert");
        Assert.Contains("\"arn:garbage\"", certificate.Title, StringComparison.Ordinal);
        Assert.Contains("CertificateNotFound", certificate.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_target_type_falls_back_to_instance_targets()
    {
        var lint = InvalidLint(ServiceLints(ServiceJson("api", new Dictionary<string, string> { [Svc + "aws-load-balancer-nlb-target-type"] = "banana" })),
            Svc + "aws-load-balancer-nlb-target-type");

        Assert.Contains("instance targets", lint.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("FailedBuildModel", lint.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_load_balancer_type_says_which_balancer_the_cluster_makes()
    {
        var annotations = new Dictionary<string, string> { [Svc + "aws-load-balancer-type"] = "garbage" };
        Lint TypeLint(JsonObject json, bool installed)
        {
            var service = ToService(json);
            var lints = InventoryLints.ForService(service, ServiceDecoder.Decode(service, []), Context with { AwsLoadBalancerControllerInstalled = installed });
            return Assert.Single(lints, l => l.Code == InventoryLints.Codes.UnknownLoadBalancerType);
        }

        var mutated = TypeLint(ServiceJson("api", annotations), installed: true);
        var webhookOff = TypeLint(ServiceJson("api", annotations, loadBalancerClass: null), installed: true);
        var noController = TypeLint(ServiceJson("api", annotations, loadBalancerClass: null), installed: false);

        Assert.All(new[] { mutated, webhookOff, noController }, l => Assert.Equal(LintSeverity.Error, l.Severity));
        Assert.Contains("makes an NLB", mutated.Detail, StringComparison.Ordinal);
        Assert.Contains("mutator webhook", webhookOff.Detail, StringComparison.Ordinal);
        Assert.Contains("Classic ELB", webhookOff.Detail, StringComparison.Ordinal);
        Assert.Contains("no AWS Load Balancer Controller is installed", noController.Detail, StringComparison.Ordinal);
        Assert.Contains("Classic ELB", noController.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task External_without_a_target_type_is_made_by_no_controller_in_the_lint_and_in_the_sandbox()
    {
        await using var sandbox = await SandboxController.StartAsync();
        var json = ServiceJson("pending", new Dictionary<string, string> { [Svc + "aws-load-balancer-type"] = "external" }, loadBalancerClass: null);
        ((JsonObject)json["metadata"]!["annotations"]!).Remove(Svc + "aws-load-balancer-nlb-target-type");
        var withTargetType = ServiceJson("made", new Dictionary<string, string> { [Svc + "aws-load-balancer-type"] = "external" }, loadBalancerClass: null);

        var lint = Assert.Single(ServiceLints(json), l => l.Code == InventoryLints.Codes.ExternalWithoutTargetType);
        Assert.Contains("<pending>", lint.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(ServiceLints(withTargetType), l => l.Code == InventoryLints.Codes.ExternalWithoutTargetType);

        sandbox.Store.Create(ResourceTypes.Services, "shop", json);
        sandbox.Store.Create(ResourceTypes.Services, "shop", withTargetType);

        // The Service with the target type gets its events; by then the other has been seen and left alone.
        await sandbox.WaitForEventAsync("shop", "made", "SuccessfullyReconciled");
        Assert.DoesNotContain(sandbox.Store.List(ResourceTypes.Events, "shop").Items, e => e["involvedObject"]?["name"]?.GetValue<string>() == "pending");
    }

    [Fact]
    public void The_seed_services_have_no_invalid_values_and_the_seed_ingresses_only_their_placeholder_certificate()
    {
        foreach (var name in new[] { "retail-forecast-loadbalancer", "retail-forecast-nlb" })
        {
            var service = SeedManifests.Service(name);
            Assert.DoesNotContain(InventoryLints.ForService(service, ServiceDecoder.Decode(service, []), Context),
                l => l.Severity == LintSeverity.Error);
        }
        foreach (var name in new[] { "retail-forecast-alb-ingress", "retail-forecast-alb-advanced" })
        {
            var errors = InventoryLints.ForIngress(IngressDecoder.Decode(SeedManifests.Ingress(name)), _ => true, _ => true)
                .Where(l => l.Code is InventoryLints.Codes.InvalidAnnotationValue or InventoryLints.Codes.IngressClassNotFound).ToList();
            // The seed writes arn:aws:acm:us-east-1:YOUR_ACCOUNT_ID:certificate/YOUR_CERT_ID: AWS would not find it.
            Assert.All(errors, l => Assert.Contains("YOUR_ACCOUNT_ID", l.Title, StringComparison.Ordinal));
        }
    }

    /// <summary>The simulated controller on the real clock: a build failure is recorded on the first reconcile, no time has to pass.</summary>
    private sealed class SandboxController : IAsyncDisposable
    {
        private SandboxController(SandboxOptions options)
        {
            Store = new ResourceStore();
            Cluster = new ClusterSimulation(Store, options);
            Controller = new Dashboard.Sandbox.LoadBalancerController.AwsLoadBalancerController(Store, AwsWorld.FromOptions(options), Cluster, options);
        }

        public ResourceStore Store { get; }

        private ClusterSimulation Cluster { get; }

        private Dashboard.Sandbox.LoadBalancerController.AwsLoadBalancerController Controller { get; }

        public static Task<SandboxController> StartAsync()
        {
            var sandbox = new SandboxController(new SandboxOptions { LoadScenario = false, SimulateTargetHealth = false });
            sandbox.Store.Create(ResourceTypes.Namespaces, null, new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Namespace",
                ["metadata"] = new JsonObject { ["name"] = "shop" },
            });
            sandbox.Cluster.Start();
            sandbox.Controller.Start();
            return Task.FromResult(sandbox);
        }

        public async Task<JsonObject> WaitForEventAsync(string ns, string name, string reason)
        {
            using var limit = new CancellationTokenSource(Patience.Eventually);
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
            while (true)
            {
                var found = Store.List(ResourceTypes.Events, ns).Items.FirstOrDefault(e =>
                    e["reason"]?.GetValue<string>() == reason && e["involvedObject"]?["name"]?.GetValue<string>() == name);
                if (found is not null)
                {
                    return found;
                }
                try
                {
                    await timer.WaitForNextTickAsync(limit.Token);
                }
                catch (OperationCanceledException)
                {
                    throw new TimeoutException($"No {reason} event for {ns}/{name} within {Patience.Eventually}.");
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Controller.DisposeAsync();
            await Cluster.DisposeAsync();
        }
    }
}
