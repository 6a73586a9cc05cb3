using Dashboard.Server.Inventory;
using k8s.Models;

namespace Dashboard.Server.Tests.Inventory;

public class IngressDecoderTests
{
    [Fact]
    public void Seed_alb_ingress_decodes_class_rules_and_alb_annotations()
    {
        var model = IngressDecoder.Decode(SeedManifests.Ingress("retail-forecast-alb-ingress"));

        Assert.Equal("alb", model.IngressClass);
        Assert.True(model.ClassFromDeprecatedAnnotation);
        Assert.Equal("internet-facing", model.Scheme);
        Assert.Equal("ip", model.TargetType);
        Assert.Equal("443", model.SslRedirect);
        Assert.StartsWith("arn:aws:acm:us-east-1:", model.CertificateArn);
        Assert.StartsWith("arn:aws:wafv2:us-east-1:", model.WafAclArn);
        Assert.Equal("/healthz", model.HealthCheck.Path);
        Assert.Equal(30, model.HealthCheck.IntervalSeconds);
        Assert.Equal(5, model.HealthCheck.TimeoutSeconds);
        Assert.Equal(2, model.HealthCheck.HealthyThreshold);
        Assert.Equal(2, model.HealthCheck.UnhealthyThreshold);
        Assert.Equal("30", model.TargetGroupAttributes["deregistration_delay.timeout_seconds"]);
        Assert.Equal("false", model.TargetGroupAttributes["stickiness.enabled"]);
        Assert.Equal(2, model.Rules.Length);
        Assert.Equal("api.retail-forecast.com", model.Rules[0].Host);
        Assert.Null(model.Rules[1].Host);
        var path = Assert.Single(model.Rules[0].Paths);
        Assert.Equal(("/", "Prefix", "retail-forecast-service:80"), (path.Path, path.PathType, path.Backend.ToString()));
        Assert.Empty(model.InboundCidrs);
        Assert.Empty(model.Addresses);
    }

    [Fact]
    public void Seed_advanced_ingress_keeps_listen_ports_and_every_exact_path()
    {
        var model = IngressDecoder.Decode(SeedManifests.Ingress("retail-forecast-alb-advanced"));

        Assert.Equal("""[{"HTTP": 80}, {"HTTPS": 443}]""", model.ListenPorts);
        Assert.Equal(["/healthz", "/predict", "/batch-predict", "/model-info", "/metrics", "/"], model.Rules.Single().Paths.Select(p => p.Path));
        Assert.Equal("round_robin", model.TargetGroupAttributes["load_balancing.algorithm.type"]);
    }

    [Fact]
    public void Spec_class_is_used_without_the_annotation_and_the_annotation_wins_when_both_are_set()
    {
        var withSpec = Ingress(new Dictionary<string, string>());
        withSpec.Spec.IngressClassName = "alb";
        var both = Ingress(new Dictionary<string, string> { [IngressDecoder.DeprecatedClassAnnotation] = "nginx" });
        both.Spec.IngressClassName = "alb";

        var fromSpec = IngressDecoder.Decode(withSpec);
        var fromBoth = IngressDecoder.Decode(both);

        Assert.Equal(("alb", false), (fromSpec.IngressClass, fromSpec.ClassFromDeprecatedAnnotation));
        Assert.Equal(("nginx", true), (fromBoth.IngressClass, fromBoth.ClassFromDeprecatedAnnotation));
    }

    [Fact]
    public void Group_waf_classic_cidrs_default_backend_tls_and_status_are_decoded()
    {
        var ingress = Ingress(new Dictionary<string, string>
        {
            ["alb.ingress.kubernetes.io/group.name"] = "shared",
            ["alb.ingress.kubernetes.io/group.order"] = "10",
            ["alb.ingress.kubernetes.io/waf-acl-id"] = "waf-classic-id",
            ["alb.ingress.kubernetes.io/inbound-cidrs"] = "10.0.0.0/8, 172.16.0.0/12",
            ["alb.ingress.kubernetes.io/success-codes"] = "200,302",
            ["alb.ingress.kubernetes.io/healthcheck-protocol"] = "HTTPS",
            ["alb.ingress.kubernetes.io/healthcheck-port"] = "traffic-port",
        });
        ingress.Spec.DefaultBackend = new V1IngressBackend { Service = new V1IngressServiceBackend { Name = "fallback", Port = new V1ServiceBackendPort { Name = "http" } } };
        ingress.Spec.Tls = [new V1IngressTLS { Hosts = ["api.example.com"], SecretName = "tls" }];
        ingress.Status = new V1IngressStatus { LoadBalancer = new V1IngressLoadBalancerStatus { Ingress = [new V1IngressLoadBalancerIngress { Hostname = "k8s-shared-abc.us-east-1.elb.amazonaws.com" }] } };

        var model = IngressDecoder.Decode(ingress);

        Assert.Equal(("shared", 10), (model.GroupName, model.GroupOrder));
        Assert.Equal("waf-classic-id", model.WafAclArn);
        Assert.Equal(["10.0.0.0/8", "172.16.0.0/12"], model.InboundCidrs.ToArray());
        Assert.Equal("200,302", model.HealthCheck.SuccessCodes);
        Assert.Equal("HTTPS", model.HealthCheck.Protocol);
        Assert.Equal("traffic-port", model.HealthCheck.Port);
        Assert.Equal("fallback:http", model.DefaultBackend?.ToString());
        Assert.Equal(["api.example.com"], Assert.Single(model.Tls).Hosts.ToArray());
        Assert.Equal(["k8s-shared-abc.us-east-1.elb.amazonaws.com"], model.Addresses.ToArray());
        Assert.Equal(["fallback"], IngressDecoder.BackendServiceNames(ingress));
    }

    internal static V1Ingress Ingress(Dictionary<string, string> annotations, params string[] backendServices) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "mlops", Uid = "uid-web", ResourceVersion = "7", Annotations = annotations },
        Spec = new V1IngressSpec
        {
            Rules = backendServices.Length == 0 ? null :
            [
                new V1IngressRule
                {
                    Http = new V1HTTPIngressRuleValue
                    {
                        Paths = [.. backendServices.Select(s => new V1HTTPIngressPath
                        {
                            Path = "/" + s,
                            PathType = "Prefix",
                            Backend = new V1IngressBackend { Service = new V1IngressServiceBackend { Name = s, Port = new V1ServiceBackendPort { Number = 80 } } },
                        })],
                    },
                },
            ],
        },
    };
}
