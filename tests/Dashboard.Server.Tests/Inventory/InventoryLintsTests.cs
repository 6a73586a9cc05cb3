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
