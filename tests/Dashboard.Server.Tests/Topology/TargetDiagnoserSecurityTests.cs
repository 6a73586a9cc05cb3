using System.Collections.Immutable;
using Dashboard.Client.Model;
using Dashboard.Server.LoadBalancers.Security;
using Dashboard.Server.Topology;

namespace Dashboard.Server.Tests.Topology;

/// <summary>The "health checks do not reach the target" diagnosis reads the cluster security group when EC2 has been read.</summary>
public sealed class TargetDiagnoserSecurityTests
{
    private const string NodeGroup = "sg-0c1a2b3c4d5e6f708";

    private static TriageItem Diagnose(params SecurityRule[] nodeRules)
    {
        var aws = new AwsFixture();
        var lb = aws.Balancer("k8s-mlops-api-1234567890", type: "application", securityGroups: ["sg-0lb"]);
        var tg = aws.Group(lb, "k8s-mlops-api-tg");
        aws.Target(tg, "10.0.1.10", 8080).Target(tg, "10.0.1.11", 8080, "unhealthy", "Target.Timeout");
        var security = new AwsSecurity
        {
            SecurityGroups = ImmutableDictionary<string, SecurityGroupFacts>.Empty.Add(NodeGroup, new SecurityGroupFacts(NodeGroup, "eks-cluster-sg-forecast", "vpc-1", [.. nodeRules],
                ImmutableDictionary<string, string>.Empty.Add("aws:eks:cluster-name", K8s.Cluster))),
            AsOf = ImmutableDictionary<string, DateTimeOffset>.Empty.Add(AwsSecurity.Ec2Part, K8s.Now),
        };
        var k8s = new KubernetesSnapshot
        {
            Services = [K8s.Service("mlops", "api", new() { ["service.beta.kubernetes.io/aws-load-balancer-type"] = "external" })],
            Pods = [K8s.Pod("mlops", "api-1", "10.0.1.10"), K8s.Pod("mlops", "api-2", "10.0.1.11")],
            TargetGroupBindings = [K8s.Binding("mlops", tg.TargetGroupArn, "api")],
        };
        return TopologyBuilder.Build(k8s, aws.Build() with { Security = security }, K8s.Context()).Triage.Single(t => t.Target.Id == "10.0.1.11");
    }

    [Fact]
    public void A_missing_rule_is_named_with_the_command_that_adds_it()
    {
        var item = Diagnose(new SecurityRule("tcp", 9000, 9000, null, "sg-0lb", null));

        Assert.Equal("SecurityGroup", item.Diagnosis.Code);
        Assert.Contains($"EC2: eks-cluster-sg-forecast ({NodeGroup}) has no inbound rule for tcp 8080 from sg-0lb", item.Diagnosis.Evidence);
        Assert.StartsWith($"Add the missing rule: aws ec2 authorize-security-group-ingress --group-id {NodeGroup} --protocol tcp --port 8080 --source-group sg-0lb", item.Diagnosis.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void A_present_rule_sends_the_search_elsewhere()
    {
        var item = Diagnose(new SecurityRule("tcp", 8080, 8080, null, "sg-0lb", null));

        Assert.Equal("SecurityGroup", item.Diagnosis.Code);
        Assert.Contains(item.Diagnosis.Evidence, e => e.StartsWith("EC2: eks-cluster-sg-forecast", StringComparison.Ordinal) && e.Contains("allows tcp 8080 from sg-0lb", StringComparison.Ordinal));
        Assert.Contains("port 8080", item.Diagnosis.Fix, StringComparison.Ordinal);
    }
}
