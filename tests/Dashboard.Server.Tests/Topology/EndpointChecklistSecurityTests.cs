using System.Collections.Immutable;
using Dashboard.Client.Model;
using Dashboard.Server.Aws.ElasticLoadBalancing;
using Dashboard.Server.LoadBalancers.Security;
using Dashboard.Server.Topology;

namespace Dashboard.Server.Tests.Topology;

/// <summary>The checklist rows that read the snapshot's security part (EC2, ACM, WAFv2), case by case.</summary>
public sealed class EndpointChecklistSecurityTests
{
    private const string AlbGroup = "sg-0a1b2c3d4e5f60001";
    private const string NodeGroup = "sg-0a1b2c3d4e5f60002";
    private const string CertificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555";
    private const string AskedAcl = "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/forecast-waf/aaaaaaaa-bbbb";

    private static readonly ImmutableDictionary<string, string> NodeTags =
        ImmutableDictionary<string, string>.Empty.Add("aws:eks:cluster-name", K8s.Cluster);

    private sealed record World(KubernetesSnapshot K8s, AwsFixture Aws, LoadBalancer Lb);

    private static World ForecastAlb(string scheme = "internet-facing", Dictionary<string, string>? annotations = null)
    {
        var aws = new AwsFixture();
        var lb = aws.Balancer("k8s-mlops-forecast-1234567890", type: "application", scheme: scheme, securityGroups: [AlbGroup],
            tags: new() { ["elbv2.k8s.aws/cluster"] = K8s.Cluster, ["ingress.k8s.aws/stack"] = "mlops/forecast" });
        var tg = aws.Group(lb, "k8s-mlops-forecast-tg", listenerPort: 443);
        aws.Target(tg, "10.0.1.10", 8080);
        var k8s = new KubernetesSnapshot
        {
            Ingresses = [K8s.Ingress("mlops", "forecast", backends: ["forecast-svc"], host: "api.retail-forecast.com", annotations: annotations, hostname: lb.DnsName)],
            Services = [K8s.Service("mlops", "forecast-svc", type: "ClusterIP")],
        };
        return new World(k8s, aws, lb);
    }

    private static AwsSecurity Security(
        IEnumerable<SecurityRule>? albRules = null,
        IEnumerable<SecurityRule>? nodeRules = null,
        CertificateFacts? certificate = null,
        WebAclFacts? acl = null,
        string? lbArn = null,
        IEnumerable<SubnetFacts>? subnets = null)
    {
        var asOf = ImmutableDictionary<string, DateTimeOffset>.Empty
            .Add(AwsSecurity.Ec2Part, K8s.Now).Add(AwsSecurity.AcmPart, K8s.Now).Add(AwsSecurity.WafPart, K8s.Now);
        return new AwsSecurity
        {
            SecurityGroups = ImmutableDictionary<string, SecurityGroupFacts>.Empty
                .Add(AlbGroup, new SecurityGroupFacts(AlbGroup, "k8s-mlops-forecast", "vpc-1", [.. albRules ?? [new SecurityRule("tcp", 443, 443, "0.0.0.0/0", null, null)]], ImmutableDictionary<string, string>.Empty))
                .Add(NodeGroup, new SecurityGroupFacts(NodeGroup, "eks-cluster-sg", "vpc-1", [.. nodeRules ?? [new SecurityRule("tcp", 8080, 8080, null, AlbGroup, null)]], NodeTags)),
            Subnets = [.. subnets ?? [new SubnetFacts("subnet-a", "vpc-1", "us-east-1a", "10.0.0.0/20", 4000, true, ImmutableDictionary<string, string>.Empty.Add("kubernetes.io/role/elb", "1"))]],
            Certificates = certificate is null ? ImmutableDictionary<string, CertificateFacts>.Empty : ImmutableDictionary<string, CertificateFacts>.Empty.Add(certificate.Arn, certificate),
            WebAcls = lbArn is null ? ImmutableDictionary<string, WebAclFacts?>.Empty : ImmutableDictionary<string, WebAclFacts?>.Empty.Add(lbArn, acl),
            AsOf = asOf,
        };
    }

    private static ImmutableDictionary<string, ChecklistItem> Checklist(World world, AwsSecurity security, Func<Listener, Listener>? listener = null)
    {
        var snapshot = world.Aws.Build();
        var listeners = snapshot.Listeners.SetItem(world.Lb.LoadBalancerArn, [.. snapshot.Listeners[world.Lb.LoadBalancerArn].Select(l => listener?.Invoke(l) ?? l)]);
        snapshot = snapshot with { Listeners = listeners, Security = security };
        return TopologyBuilder.Build(world.K8s, snapshot, K8s.Context()).Endpoints["Ingress/mlops/forecast"].Checklist.ToImmutableDictionary(c => c.Code);
    }

    private static Listener Https(Listener l) => l with { Protocol = "HTTPS", Certificates = [new Certificate(CertificateArn, true)] };

    [Fact]
    public void An_internal_balancer_with_a_rule_open_to_the_world_fails_naming_the_rule()
    {
        var world = ForecastAlb(scheme: "internal");
        var security = Security(albRules: [new SecurityRule("tcp", 443, 443, "10.0.0.0/16", null, null), new SecurityRule("tcp", 443, 443, "0.0.0.0/0", null, "debug")]);

        var access = Checklist(world, security)["access"];

        Assert.Equal(CheckState.Fail, access.State);
        Assert.Contains("tcp 443 from 0.0.0.0/0 ('debug')", access.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Live_rules_are_compared_with_inbound_cidrs_both_ways()
    {
        var world = ForecastAlb(annotations: new() { ["alb.ingress.kubernetes.io/inbound-cidrs"] = "203.0.113.0/24,198.51.100.0/24" });
        var security = Security(albRules: [new SecurityRule("tcp", 443, 443, "203.0.113.0/24", null, null), new SecurityRule("tcp", 443, 443, "192.0.2.0/24", null, "by hand")]);

        var access = Checklist(world, security)["access"];

        Assert.Equal(CheckState.Warn, access.State);
        Assert.Contains("also allows 192.0.2.0/24, not in inbound-cidrs", access.Reason, StringComparison.Ordinal);
        Assert.Contains("does not allow 198.51.100.0/24", access.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_listener_port_no_rule_allows_fails()
    {
        var world = ForecastAlb();
        var security = Security(albRules: [new SecurityRule("tcp", 80, 80, "0.0.0.0/0", null, null)]);

        var access = Checklist(world, security)["access"];

        Assert.Equal(CheckState.Fail, access.State);
        Assert.Contains("listener port 443 is allowed by no inbound rule", access.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_node_group_must_let_the_balancer_group_reach_the_target_port()
    {
        var world = ForecastAlb();

        var missing = Checklist(world, Security(nodeRules: [new SecurityRule("tcp", 9000, 9000, null, AlbGroup, null)]))["target-port"];
        var present = Checklist(world, Security())["target-port"];

        Assert.Equal(CheckState.Fail, missing.State);
        Assert.Contains($"aws ec2 authorize-security-group-ingress --group-id {NodeGroup} --protocol tcp --port 8080 --source-group {AlbGroup}", missing.Reason, StringComparison.Ordinal);
        Assert.Contains("Target.Timeout", missing.Reason, StringComparison.Ordinal);
        Assert.Equal(CheckState.Pass, present.State);
    }

    [Theory]
    [InlineData("*.retail-forecast.com", 200, "pass", "valid until")]
    [InlineData("*.retail-forecast.com", 10, "warn", "expires on")]
    [InlineData("*.retail-forecast.com", -1, "fail", "expired on")]
    [InlineData("www.retail-forecast.com", 200, "fail", "api.retail-forecast.com is not covered")]
    [InlineData("*.forecast.com", 200, "fail", "is not covered")]
    public void The_certificate_must_cover_every_host_and_not_expire_within_30_days(string name, int daysLeft, string state, string reason)
    {
        var world = ForecastAlb();
        var certificate = new CertificateFacts { Arn = CertificateArn, DomainName = name, Names = [name], Status = "ISSUED", NotAfter = K8s.Now.AddDays(daysLeft) };

        var row = Checklist(world, Security(certificate: certificate), Https)["certificate"];

        Assert.Equal(state, row.State.ToString().ToLowerInvariant());
        Assert.Contains(reason, row.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_certificate_ACM_does_not_hold_fails()
    {
        var world = ForecastAlb();

        var row = Checklist(world, Security(certificate: new CertificateFacts { Arn = CertificateArn, Missing = true }), Https)["certificate"];

        Assert.Equal(CheckState.Fail, row.State);
        Assert.Contains("ACM has no certificate", row.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_web_acl_asked_for_must_be_the_one_associated()
    {
        var world = ForecastAlb(annotations: new() { ["alb.ingress.kubernetes.io/wafv2-acl-arn"] = AskedAcl });
        var other = new WebAclFacts("legacy-waf", "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/legacy-waf/cccc", "Allow", ["R1"]);
        var asked = new WebAclFacts("forecast-waf", AskedAcl, "Allow", ["RateLimit"]);

        var none = Checklist(world, Security(lbArn: world.Lb.LoadBalancerArn, acl: null))["waf"];
        var wrong = Checklist(world, Security(lbArn: world.Lb.LoadBalancerArn, acl: other))["waf"];
        var right = Checklist(world, Security(lbArn: world.Lb.LoadBalancerArn, acl: asked))["waf"];

        Assert.Equal(CheckState.Fail, none.State);
        Assert.Contains("web ACL forecast-waf", none.Reason, StringComparison.Ordinal);
        Assert.Equal(CheckState.Fail, wrong.State);
        Assert.Contains("associated with legacy-waf", wrong.Reason, StringComparison.Ordinal);
        Assert.Equal(CheckState.Pass, right.State);
    }

    [Fact]
    public void An_HTTP_listener_next_to_HTTPS_must_redirect()
    {
        var world = ForecastAlb();
        world.Aws.Listener(world.Lb, new Listener
        {
            ListenerArn = world.Lb.LoadBalancerArn.Replace(":loadbalancer/", ":listener/", StringComparison.Ordinal) + "/80",
            LoadBalancerArn = world.Lb.LoadBalancerArn,
            Port = 80,
            Protocol = "HTTP",
            DefaultActions = [new ListenerAction { Type = "fixed-response", FixedResponseConfig = new FixedResponseActionConfig("404", null, null) }],
        });

        var row = Checklist(world, Security(), l => l.Port == 443 ? Https(l) : l)["redirect"];

        Assert.Equal(CheckState.Warn, row.State);
        Assert.Contains("HTTP:80 serves requests in clear text", row.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_tagged_subnet_an_endpoint_without_balancer_is_told_why()
    {
        var k8s = new KubernetesSnapshot
        {
            Ingresses = [K8s.Ingress("mlops", "forecast", backends: ["forecast-svc"], annotations: new() { ["alb.ingress.kubernetes.io/scheme"] = "internet-facing" })],
            Services = [K8s.Service("mlops", "forecast-svc", type: "ClusterIP")],
        };
        var security = Security(subnets: [new SubnetFacts("subnet-a", "vpc-1", "us-east-1a", "10.0.0.0/20", 4000, true, ImmutableDictionary<string, string>.Empty)]);
        var snapshot = new AwsFixture().Build() with { Security = security };

        var checklist = TopologyBuilder.Build(k8s, snapshot, K8s.Context()).Endpoints["Ingress/mlops/forecast"].Checklist.ToImmutableDictionary(c => c.Code);

        Assert.Equal(CheckState.Fail, checklist["subnets"].State);
        Assert.Contains("kubernetes.io/role/elb=1", checklist["subnets"].Reason, StringComparison.Ordinal);
        Assert.Contains("Likely cause: No subnet", checklist["balancer"].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_part_that_failed_to_read_is_labelled_stale_with_its_age()
    {
        var world = ForecastAlb();
        var security = Security() with { Errors = ImmutableDictionary<string, string>.Empty.Add(AwsSecurity.Ec2Part, "EC2 could not be read: throttled") };

        var access = Checklist(world, security)["access"];

        Assert.Contains("stale: EC2 could not be read: throttled; data from 2025-03-01 12:00:00Z", access.Reason, StringComparison.Ordinal);
    }
}
