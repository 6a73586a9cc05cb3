using Dashboard.Client.Model;
using Dashboard.Server.Inventory;
using k8s.Models;

namespace Dashboard.Server.Tests.Inventory;

public class ServiceDecoderTests
{
    [Fact]
    public void Seed_basic_loadbalancer_is_an_in_tree_internet_facing_nlb_with_its_health_check()
    {
        var model = ServiceDecoder.Decode(SeedManifests.Service("retail-forecast-loadbalancer"), []);

        Assert.Equal("mlops/retail-forecast-loadbalancer", model.Key);
        Assert.Equal("LoadBalancer", model.Type);
        Assert.True(model.ExternalPending);
        Assert.Equal(["80/TCP", "443/TCP"], model.Ports.Select(p => p.ToString()));
        Assert.Equal("8080", model.Ports[0].TargetPort);
        var lb = Assert.IsType<LoadBalancerFacts>(model.LoadBalancer);
        Assert.Equal(LoadBalancerController.InTree, lb.Controller);
        Assert.Equal("nlb", lb.BalancerType);
        Assert.Equal("internet-facing", lb.Scheme);
        Assert.Equal("instance", lb.TargetType);
        Assert.True(lb.CrossZone);
        Assert.Equal(["0.0.0.0/0"], lb.SourceRanges.ToArray());
        Assert.Equal("/healthz", lb.HealthCheck.Path);
        Assert.Equal(30, lb.HealthCheck.IntervalSeconds);
        Assert.Equal(5, lb.HealthCheck.TimeoutSeconds);
        Assert.Equal(2, lb.HealthCheck.HealthyThreshold);
        Assert.Equal(3, lb.HealthCheck.UnhealthyThreshold);
        Assert.Equal("Cluster", lb.ExternalTrafficPolicy);
    }

    [Fact]
    public void Seed_advanced_nlb_keeps_instance_targets_because_its_target_type_annotation_is_not_a_real_one()
    {
        var lb = ServiceDecoder.DecodeLoadBalancer(SeedManifests.Service("retail-forecast-nlb"));

        Assert.Equal(LoadBalancerController.InTree, lb.Controller);
        Assert.Equal("internet-facing", lb.Scheme);
        Assert.Equal("instance", lb.TargetType);
        Assert.Equal("HTTP", lb.HealthCheck.Protocol);
        Assert.Equal("8080", lb.HealthCheck.Port);
        Assert.Equal(6, lb.HealthCheck.TimeoutSeconds);
        Assert.Equal(2, lb.HealthCheck.UnhealthyThreshold);
        Assert.Equal("Local", lb.ExternalTrafficPolicy);
        Assert.Empty(lb.SourceRanges);
    }

    [Fact]
    public void LoadBalancerClass_service_k8s_aws_nlb_is_the_controller_with_internal_instance_defaults()
    {
        var service = LoadBalancer(new Dictionary<string, string>());
        service.Spec.LoadBalancerClass = "service.k8s.aws/nlb";

        var lb = ServiceDecoder.DecodeLoadBalancer(service);

        Assert.Equal(LoadBalancerController.AwsLoadBalancerController, lb.Controller);
        Assert.Equal("nlb", lb.BalancerType);
        Assert.Equal("internal", lb.Scheme);
        Assert.Equal("instance", lb.TargetType);
    }

    [Theory]
    [InlineData("external", "ip", "ip")]
    [InlineData("external", null, "instance")]
    [InlineData("nlb-ip", null, "ip")]
    public void Type_external_or_nlb_ip_is_the_controller(string type, string? targetType, string expectedTargetType)
    {
        var annotations = new Dictionary<string, string> { [ServiceDecoder.TypeAnnotation] = type };
        if (targetType is not null)
        {
            annotations[ServiceDecoder.NlbTargetTypeAnnotation] = targetType;
        }

        var lb = ServiceDecoder.DecodeLoadBalancer(LoadBalancer(annotations));

        Assert.Equal(LoadBalancerController.AwsLoadBalancerController, lb.Controller);
        Assert.Equal(expectedTargetType, lb.TargetType);
    }

    [Fact]
    public void No_class_or_annotation_is_an_in_tree_classic_elb()
    {
        var lb = ServiceDecoder.DecodeLoadBalancer(LoadBalancer(new Dictionary<string, string>()));

        Assert.Equal(LoadBalancerController.InTree, lb.Controller);
        Assert.Equal("classic", lb.BalancerType);
        Assert.Equal("internet-facing", lb.Scheme);
        Assert.Null(lb.CrossZone);
    }

    [Fact]
    public void Another_load_balancer_class_is_other()
    {
        var service = LoadBalancer(new Dictionary<string, string>());
        service.Spec.LoadBalancerClass = "example.com/metallb";

        Assert.Equal(LoadBalancerController.Other, ServiceDecoder.DecodeLoadBalancer(service).Controller);
    }

    [Theory]
    [InlineData("true", "internal")]
    [InlineData("0.0.0.0/0", "internal")]
    [InlineData("false", "internet-facing")]
    public void Legacy_internal_annotation_sets_the_scheme(string value, string expected)
    {
        var lb = ServiceDecoder.DecodeLoadBalancer(LoadBalancer(new Dictionary<string, string> { [ServiceDecoder.InternalAnnotation] = value }));

        Assert.Equal(expected, lb.Scheme);
    }

    [Fact]
    public void Attributes_cross_zone_source_ranges_and_tls_come_from_annotations()
    {
        var lb = ServiceDecoder.DecodeLoadBalancer(LoadBalancer(new Dictionary<string, string>
        {
            [ServiceDecoder.TypeAnnotation] = "external",
            [ServiceDecoder.SchemeAnnotation] = "internet-facing",
            [ServiceDecoder.AttributesAnnotation] = "load_balancing.cross_zone.enabled=false, deletion_protection.enabled=true",
            [ServiceDecoder.TargetGroupAttributesAnnotation] = "preserve_client_ip.enabled=true,\nderegistration_delay.timeout_seconds=30",
            [ServiceDecoder.SourceRangesAnnotation] = "10.0.0.0/8, 192.168.0.0/16",
            [ServiceDecoder.CrossZoneAnnotation] = "true",
            ["service.beta.kubernetes.io/aws-load-balancer-ssl-cert"] = "arn:aws:acm:us-east-1:123456789012:certificate/abc",
            ["service.beta.kubernetes.io/aws-load-balancer-ssl-ports"] = "443",
            ["service.beta.kubernetes.io/aws-load-balancer-healthcheck-success-codes"] = "200-399",
            ["service.beta.kubernetes.io/aws-load-balancer-healthcheck-healthy-threshold"] = "4",
            ["service.beta.kubernetes.io/aws-load-balancer-healthy-threshold"] = "9",
        }));

        Assert.False(lb.CrossZone); // the attribute wins over the legacy annotation
        Assert.Equal("true", lb.LoadBalancerAttributes["deletion_protection.enabled"]);
        Assert.Equal("30", lb.TargetGroupAttributes["deregistration_delay.timeout_seconds"]);
        Assert.Equal(["10.0.0.0/8", "192.168.0.0/16"], lb.SourceRanges.ToArray());
        Assert.Equal("arn:aws:acm:us-east-1:123456789012:certificate/abc", lb.CertificateArn);
        Assert.Equal("443", lb.TlsPorts);
        Assert.Equal("200-399", lb.HealthCheck.SuccessCodes);
        Assert.Equal(4, lb.HealthCheck.HealthyThreshold); // the documented key wins over the short form
    }

    [Fact]
    public void Spec_source_ranges_win_over_the_annotation()
    {
        var service = LoadBalancer(new Dictionary<string, string> { [ServiceDecoder.SourceRangesAnnotation] = "10.0.0.0/8" });
        service.Spec.LoadBalancerSourceRanges = ["203.0.113.0/24"];

        Assert.Equal(["203.0.113.0/24"], ServiceDecoder.DecodeLoadBalancer(service).SourceRanges.ToArray());
    }

    [Fact]
    public void Status_hostname_is_the_external_address_and_cluster_ip_services_have_no_balancer()
    {
        var service = LoadBalancer(new Dictionary<string, string>());
        service.Status = new V1ServiceStatus { LoadBalancer = new V1LoadBalancerStatus { Ingress = [new V1LoadBalancerIngress { Hostname = "a1b2.elb.us-east-1.amazonaws.com" }] } };
        var clusterIp = LoadBalancer(new Dictionary<string, string>());
        clusterIp.Spec.Type = "ClusterIP";

        var model = ServiceDecoder.Decode(service, []);

        Assert.Equal(["a1b2.elb.us-east-1.amazonaws.com"], model.ExternalAddresses.ToArray());
        Assert.False(model.ExternalPending);
        Assert.Null(ServiceDecoder.Decode(clusterIp, []).LoadBalancer);
    }

    [Fact]
    public void Endpoint_counts_come_from_endpoint_slices()
    {
        var slices = new[]
        {
            Slice(("10.0.1.1", true), ("10.0.1.2", false), ("10.0.1.3", null)),
            Slice(("10.0.1.4", false)),
        };

        var model = ServiceDecoder.Decode(LoadBalancer(new Dictionary<string, string>()), slices);

        Assert.Equal(2, model.ReadyEndpoints);
        Assert.Equal(2, model.NotReadyEndpoints);
    }

    internal static V1EndpointSlice Slice(params (string Address, bool? Ready)[] endpoints) => new()
    {
        Metadata = new V1ObjectMeta { Name = "s-" + Guid.NewGuid().ToString("N")[..6], NamespaceProperty = "mlops", Uid = Guid.NewGuid().ToString() },
        AddressType = "IPv4",
        Endpoints = [.. endpoints.Select(e => new V1Endpoint { Addresses = [e.Address], Conditions = new V1EndpointConditions { Ready = e.Ready } })],
    };

    internal static V1Service LoadBalancer(Dictionary<string, string> annotations) => new()
    {
        Metadata = new V1ObjectMeta { Name = "api", NamespaceProperty = "mlops", Uid = "uid-api", ResourceVersion = "5", Annotations = annotations },
        Spec = new V1ServiceSpec
        {
            Type = "LoadBalancer",
            Selector = new Dictionary<string, string> { ["app"] = "api" },
            Ports = [new V1ServicePort { Port = 80, TargetPort = 8080, Protocol = "TCP" }],
        },
    };
}
