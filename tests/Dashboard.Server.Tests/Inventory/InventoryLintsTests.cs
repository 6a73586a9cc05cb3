using Dashboard.Client.Model;
using Dashboard.Server.Inventory;
using k8s.Models;

namespace Dashboard.Server.Tests.Inventory;

public class InventoryLintsTests
{
    private static readonly ServiceLintContext NoContext = new([], PodsKnown: false, AwsLoadBalancerControllerInstalled: false);

    private static IEnumerable<string> Codes(V1Service service, ServiceLintContext context) =>
        InventoryLints.ForService(service, ServiceDecoder.Decode(service, []), context).Select(l => l.Code);

    [Fact]
    public void Seed_basic_service_is_open_to_the_internet_and_flagged_as_in_tree_when_the_controller_is_installed()
    {
        var service = SeedManifests.Service("retail-forecast-loadbalancer");

        var lints = InventoryLints.ForService(service, ServiceDecoder.Decode(service, []), NoContext with { AwsLoadBalancerControllerInstalled = true });

        var open = Assert.Single(lints, l => l.Code == InventoryLints.Codes.OpenSourceRanges);
        Assert.Contains("0.0.0.0/0", open.Detail);
        Assert.Contains("loadBalancerSourceRanges", open.Detail);
        Assert.Contains(lints, l => l.Code == InventoryLints.Codes.InTreeNlbWithController && l.Detail.Contains("service.k8s.aws/nlb"));
    }

    [Fact]
    public void In_tree_nlb_is_not_flagged_when_the_controller_is_absent()
    {
        Assert.DoesNotContain(InventoryLints.Codes.InTreeNlbWithController, Codes(SeedManifests.Service("retail-forecast-loadbalancer"), NoContext));
    }

    [Fact]
    public void Seed_advanced_nlb_without_source_ranges_is_open_and_its_target_type_annotation_is_flagged_as_ignored()
    {
        var codes = Codes(SeedManifests.Service("retail-forecast-nlb"), NoContext).ToList();

        Assert.Contains(InventoryLints.Codes.OpenSourceRanges, codes);
        Assert.Contains(InventoryLints.Codes.TargetTypeAnnotationIgnored, codes);
    }

    [Fact]
    public void Restricted_or_internal_balancers_are_not_open()
    {
        var restricted = ServiceDecoderTests.LoadBalancer(new Dictionary<string, string>());
        restricted.Spec.LoadBalancerSourceRanges = ["203.0.113.0/24"];
        var controllerDefault = ServiceDecoderTests.LoadBalancer(new Dictionary<string, string> { [ServiceDecoder.TypeAnnotation] = "external" });

        Assert.DoesNotContain(InventoryLints.Codes.OpenSourceRanges, Codes(restricted, NoContext));
        Assert.DoesNotContain(InventoryLints.Codes.OpenSourceRanges, Codes(controllerDefault, NoContext)); // internal by default
    }

    [Fact]
    public void Selector_matching_no_pod_is_flagged_only_once_pods_are_known()
    {
        var service = ServiceDecoderTests.LoadBalancer(new Dictionary<string, string>());

        Assert.DoesNotContain(InventoryLints.Codes.SelectorMatchesNoPod, Codes(service, NoContext));
        Assert.Contains(InventoryLints.Codes.SelectorMatchesNoPod, Codes(service, NoContext with { PodsKnown = true }));
    }

    [Fact]
    public void Health_check_path_must_be_served_by_a_readiness_probe_of_the_selected_pods()
    {
        var service = ServiceDecoderTests.LoadBalancer(new Dictionary<string, string> { [ServiceDecoder.HealthCheckPathAnnotation] = "/healthz" });
        var probingReady = Pod("api", readinessPath: "/ready");
        var probingHealthz = Pod("api", readinessPath: "healthz");

        var wrong = InventoryLints.ForService(service, ServiceDecoder.Decode(service, []), new([probingReady], true, false));
        var right = InventoryLints.ForService(service, ServiceDecoder.Decode(service, []), new([probingReady, probingHealthz], true, false));

        var lint = Assert.Single(wrong, l => l.Code == InventoryLints.Codes.HealthCheckPathNotServed);
        Assert.Contains("/ready", lint.Detail);
        Assert.DoesNotContain(right, l => l.Code == InventoryLints.Codes.HealthCheckPathNotServed);
    }

    [Fact]
    public void Deprecated_class_annotation_open_alb_and_missing_backend_are_flagged_on_the_seed_ingress()
    {
        var model = IngressDecoder.Decode(SeedManifests.Ingress("retail-forecast-alb-ingress"));

        var lints = InventoryLints.ForIngress(model, _ => false);

        Assert.Contains(lints, l => l.Code == InventoryLints.Codes.DeprecatedIngressClass && l.Detail.Contains("spec.ingressClassName: alb"));
        Assert.Contains(lints, l => l.Code == InventoryLints.Codes.OpenSourceRanges);
        var missing = Assert.Single(lints, l => l.Code == InventoryLints.Codes.BackendServiceMissing);
        Assert.Equal(LintSeverity.Error, missing.Severity);
        Assert.Contains("retail-forecast-service", missing.Title);
        Assert.DoesNotContain(InventoryLints.ForIngress(model, name => name == "retail-forecast-service"), l => l.Code == InventoryLints.Codes.BackendServiceMissing);
    }

    [Fact]
    public void Controller_is_installed_by_its_deployment_in_kube_system_or_an_alb_ingress_class()
    {
        var deployment = new V1Deployment { Metadata = new V1ObjectMeta { Name = "aws-load-balancer-controller", NamespaceProperty = "kube-system" } };
        var otherDeployment = new V1Deployment { Metadata = new V1ObjectMeta { Name = "coredns", NamespaceProperty = "kube-system" } };
        var albClass = new V1IngressClass { Metadata = new V1ObjectMeta { Name = "alb" }, Spec = new V1IngressClassSpec { Controller = "ingress.k8s.aws/alb" } };
        var nginxClass = new V1IngressClass { Metadata = new V1ObjectMeta { Name = "nginx" }, Spec = new V1IngressClassSpec { Controller = "k8s.io/ingress-nginx" } };

        Assert.True(InventoryLints.IsAwsLoadBalancerControllerInstalled([deployment], []));
        Assert.True(InventoryLints.IsAwsLoadBalancerControllerInstalled([], [albClass]));
        Assert.False(InventoryLints.IsAwsLoadBalancerControllerInstalled([otherDeployment], [nginxClass]));
    }

    private static IngressViewModel Ingress(Dictionary<string, string> annotations, params (string Path, string Service, string Port)[] paths) =>
        IngressDecoder.Decode(new V1Ingress
        {
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "shop", Uid = "uid-web", Annotations = annotations },
            Spec = new V1IngressSpec
            {
                IngressClassName = "alb",
                Rules =
                [
                    new V1IngressRule
                    {
                        Host = "shop.example.com",
                        Http = new V1HTTPIngressRuleValue
                        {
                            Paths = [.. paths.Select(p => new V1HTTPIngressPath
                            {
                                Path = p.Path,
                                PathType = "Prefix",
                                Backend = new V1IngressBackend
                                {
                                    Service = new V1IngressServiceBackend
                                    {
                                        Name = p.Service,
                                        Port = int.TryParse(p.Port, out var n) ? new V1ServiceBackendPort { Number = n } : new V1ServiceBackendPort { Name = p.Port },
                                    },
                                },
                            })],
                        },
                    },
                ],
            },
        });

    private static IEnumerable<Lint> IngressLints(IngressViewModel model) => InventoryLints.ForIngress(model, _ => true, _ => true);

    private const string Alb = "alb.ingress.kubernetes.io/";
    private const string Certificate = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666";

    [Fact]
    public void An_https_only_ingress_is_summarised_as_aws_shows_it_and_its_ssl_redirect_does_nothing()
    {
        var model = Ingress(new() { [Alb + "certificate-arn"] = Certificate, [Alb + "ssl-redirect"] = "443" }, ("/", "web", "80"));

        Assert.Equal(["HTTPS:443"], model.Listeners.Select(l => l.ToString()));
        Assert.Equal("HTTPS:443 (default with certificate-arn)", IngressSummary.Listeners(model));
        var lint = Assert.Single(IngressLints(model), l => l.Code == InventoryLints.Codes.SslRedirectWithoutHttp);
        Assert.Contains("listen-ports", lint.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(IngressLints(model), l => l.Code == InventoryLints.Codes.HttpWithoutRedirect);
    }

    [Fact]
    public void Alb_annotations_on_an_ingress_of_another_controller_are_not_judged()
    {
        var model = Ingress(new() { [Alb + "scheme"] = "sideways", [Alb + "actions.unused"] = "not-json" }, ("/", "web", "80")) with { IngressClass = "nginx" };

        var lints = InventoryLints.ForIngress(model, _ => true, _ => true, isAlbClass: name => name == "alb");

        Assert.DoesNotContain(lints, l => l.Code is InventoryLints.Codes.InvalidAnnotationValue or InventoryLints.Codes.UnusedAction);
        Assert.Contains(InventoryLints.ForIngress(model with { IngressClass = "alb" }, _ => true, _ => true, isAlbClass: name => name == "alb"),
            l => l.Code == InventoryLints.Codes.InvalidAnnotationValue);
    }

    [Fact]
    public void Http_beside_https_without_a_redirect_is_flagged_until_ssl_redirect_is_set()
    {
        var annotations = new Dictionary<string, string> { [Alb + "certificate-arn"] = Certificate, [Alb + "listen-ports"] = "[{\"HTTP\": 80}, {\"HTTPS\": 443}]" };
        var open = Ingress(annotations, ("/", "web", "80"));
        var redirected = Ingress(new(annotations) { [Alb + "ssl-redirect"] = "443" }, ("/", "web", "80"));

        var lint = Assert.Single(IngressLints(open), l => l.Code == InventoryLints.Codes.HttpWithoutRedirect);
        Assert.Contains("ssl-redirect: '443'", lint.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(IngressLints(redirected), l => l.Code is InventoryLints.Codes.HttpWithoutRedirect or InventoryLints.Codes.SslRedirectWithoutHttp);
        Assert.Equal("HTTP:80, HTTPS:443", IngressSummary.Listeners(open));
    }

    [Fact]
    public void An_action_no_rule_uses_is_flagged_and_a_used_one_is_not()
    {
        var model = Ingress(new()
        {
            [Alb + "actions.to-https"] = "{\"type\":\"redirect\",\"redirectConfig\":{\"protocol\":\"HTTPS\",\"port\":\"443\",\"statusCode\":\"HTTP_301\"}}",
            [Alb + "actions.maintenance"] = "{\"type\":\"fixed-response\",\"fixedResponseConfig\":{\"statusCode\":\"503\"}}",
        }, ("/", "to-https", "use-annotation"));

        var lint = Assert.Single(IngressLints(model), l => l.Code == InventoryLints.Codes.UnusedAction);
        Assert.Contains("actions.maintenance", lint.Title, StringComparison.Ordinal);
        Assert.Contains("use-annotation", lint.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_waf_acl_is_not_suggested_when_one_is_attached()
    {
        var withoutWaf = Ingress(new() { [Alb + "scheme"] = "internet-facing" }, ("/", "web", "80"));
        var withWaf = Ingress(new() { [Alb + "scheme"] = "internet-facing", [Alb + "wafv2-acl-arn"] = "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/shop/1" },
            ("/", "web", "80"));

        Assert.Contains("attach a WAF ACL", Assert.Single(IngressLints(withoutWaf), l => l.Code == InventoryLints.Codes.OpenSourceRanges).Detail, StringComparison.Ordinal);
        var lint = Assert.Single(IngressLints(withWaf), l => l.Code == InventoryLints.Codes.OpenSourceRanges);
        Assert.DoesNotContain("attach a WAF", lint.Detail, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(LintSeverity.Info, lint.Severity);
    }

    [Fact]
    public void Metrics_or_admin_ports_and_paths_are_flagged_on_internet_facing_balancers_only()
    {
        var service = ServiceDecoderTests.LoadBalancer(new Dictionary<string, string> { [ServiceDecoder.SchemeAnnotation] = "internet-facing", [ServiceDecoder.TypeAnnotation] = "external", [ServiceDecoder.NlbTargetTypeAnnotation] = "ip" });
        service.Spec.Ports = [new V1ServicePort { Name = "http", Port = 80 }, new V1ServicePort { Name = "metrics", Port = 9091 }];
        var internalService = ServiceDecoderTests.LoadBalancer(new Dictionary<string, string> { [ServiceDecoder.TypeAnnotation] = "external", [ServiceDecoder.NlbTargetTypeAnnotation] = "ip" });
        internalService.Spec.Ports = service.Spec.Ports;
        var ingress = Ingress(new() { [Alb + "scheme"] = "internet-facing" }, ("/", "web", "80"), ("/admin", "web", "80"));

        Assert.Contains("metrics (9091)", Assert.Single(InventoryLints.ForService(service, ServiceDecoder.Decode(service, []), NoContext),
            l => l.Code == InventoryLints.Codes.AdminPortExposed).Title, StringComparison.Ordinal);
        Assert.DoesNotContain(Codes(internalService, NoContext), c => c == InventoryLints.Codes.AdminPortExposed);
        Assert.Contains("shop.example.com/admin", Assert.Single(IngressLints(ingress), l => l.Code == InventoryLints.Codes.AdminPortExposed).Title, StringComparison.Ordinal);
    }

    [Fact]
    public void Ip_targets_without_the_readiness_gate_are_flagged_with_the_namespace_label_to_set()
    {
        var service = ServiceDecoderTests.LoadBalancer(new Dictionary<string, string> { [ServiceDecoder.TypeAnnotation] = "external", [ServiceDecoder.NlbTargetTypeAnnotation] = "ip" });
        var plain = Pod("api");
        var gated = Pod("api");
        gated.Spec.ReadinessGates = [new V1PodReadinessGate { ConditionType = "target-health.elbv2.k8s.aws/k8s-mlops-api-0123456789" }];
        Lint[] Lints(V1Pod pod) => [.. InventoryLints.ForService(service, ServiceDecoder.Decode(service, []), new([pod], true, true))];

        var lint = Assert.Single(Lints(plain), l => l.Code == InventoryLints.Codes.ReadinessGateMissing);
        Assert.Contains("kubectl label namespace", lint.Detail, StringComparison.Ordinal);
        Assert.Contains("elbv2.k8s.aws/pod-readiness-gate-inject=enabled", lint.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(Lints(gated), l => l.Code == InventoryLints.Codes.ReadinessGateMissing);
    }

    internal static V1Pod Pod(string app, string? readinessPath = null, string ns = "mlops", string? name = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name ?? $"{app}-{Guid.NewGuid().ToString("N")[..5]}",
            NamespaceProperty = ns,
            Uid = Guid.NewGuid().ToString(),
            ResourceVersion = "10",
            Labels = new Dictionary<string, string> { ["app"] = app },
        },
        Spec = new V1PodSpec
        {
            Containers =
            [
                new V1Container
                {
                    Name = "main",
                    ReadinessProbe = readinessPath is null ? null : new V1Probe { HttpGet = new V1HTTPGetAction { Path = readinessPath, Port = 8080 } },
                },
            ],
        },
        Status = new V1PodStatus { Phase = "Running" },
    };
}
