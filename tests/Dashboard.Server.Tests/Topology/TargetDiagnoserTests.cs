using Dashboard.Client.Model;
using Dashboard.Server.Aws.ElasticLoadBalancing;
using Dashboard.Server.Topology;
using k8s.Models;

namespace Dashboard.Server.Tests.Topology;

/// <summary>One test per diagnosis: each builds the evidence that should lead to it and checks code, evidence and severity.</summary>
public sealed class TargetDiagnoserTests
{
    private static readonly Dictionary<string, string> IpNlb = new() { ["service.beta.kubernetes.io/aws-load-balancer-type"] = "external", ["service.beta.kubernetes.io/aws-load-balancer-nlb-target-type"] = "ip" };

    private sealed record Scenario(AwsFixture Aws, LoadBalancer Lb, TargetGroup Tg);

    private static Scenario Nlb(string targetType = "ip", Func<TargetGroup, TargetGroup>? configure = null, string[]? securityGroups = null, bool attach = true, string type = "network")
    {
        var aws = new AwsFixture();
        var lb = aws.Balancer("k8s-mlops-api-1234567890", type: type, securityGroups: securityGroups);
        var tg = aws.Group(lb, "k8s-mlops-api-tg", targetType: targetType, configure: configure, attach: attach);
        return new Scenario(aws, lb, tg);
    }

    private static TriageItem Diagnose(Scenario s, KubernetesSnapshot k8s, string targetId) =>
        TopologyBuilder.Build(k8s with { TargetGroupBindings = [.. k8s.TargetGroupBindings, K8s.Binding("mlops", s.Tg.TargetGroupArn, "api", targetType: s.Tg.TargetType!)] }, s.Aws.Build(), K8s.Context())
            .Triage.Single(t => t.Target.Id == targetId);

    private static KubernetesSnapshot Api(params V1Pod[] pods) => new() { Services = [K8s.Service("mlops", "api", IpNlb)], Pods = [.. pods] };

    [Fact]
    public void Response_code_mismatch_puts_the_health_check_path_next_to_the_readiness_probe_and_what_the_pod_answered()
    {
        var s = Nlb(configure: t => t with { HealthCheckPath = "/", Matcher = new Matcher("200", null) });
        s.Aws.Target(s.Tg, "10.0.1.10", 8080).Target(s.Tg, "10.0.1.11", 8080, "unhealthy", "Target.ResponseCodeMismatch", "Health checks failed with these codes: [404]");
        var k8s = Api(K8s.Pod("mlops", "api-1", "10.0.1.10"), K8s.Pod("mlops", "api-2", "10.0.1.11", probePath: "/healthz")) with
        {
            Events = [K8s.Event("Pod", "mlops", "api-2", "Warning", "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 500", count: 7)],
        };

        var item = Diagnose(s, k8s, "10.0.1.11");

        Assert.Equal("ResponseCodeMismatch", item.Diagnosis.Code);
        Assert.Equal(TriageSeverity.Degraded, item.Severity);
        Assert.Contains(item.Diagnosis.Evidence, e => e.Contains("GET / on the traffic port, success codes 200", StringComparison.Ordinal));
        Assert.Contains("pod api-2 readiness probe: GET /healthz on port 8080", item.Diagnosis.Evidence);
        Assert.Contains(item.Diagnosis.Evidence, e => e.Contains("statuscode: 500", StringComparison.Ordinal) && e.Contains("×7", StringComparison.Ordinal));
        Assert.Contains("service.beta.kubernetes.io/aws-load-balancer-healthcheck-path: /healthz", item.Diagnosis.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Timeout_on_a_port_the_pod_does_not_listen_on_is_a_port_mismatch()
    {
        var s = Nlb(configure: t => t with { Port = 80 });
        s.Aws.Target(s.Tg, "10.0.1.10", 80, "unhealthy", "Target.Timeout", "Request timed out");

        var item = Diagnose(s, Api(K8s.Pod("mlops", "api-1", "10.0.1.10", containerPort: 8080)), "10.0.1.10");

        Assert.Equal("PortMismatch", item.Diagnosis.Code);
        Assert.Contains("traffic goes to port 80, but pod api-1 listens on 8080", item.Diagnosis.Evidence);
        Assert.Equal(TriageSeverity.Outage, item.Severity);
    }

    [Fact]
    public void A_crash_looping_pod_is_named_with_its_restarts_and_last_exit()
    {
        var s = Nlb();
        s.Aws.Target(s.Tg, "10.0.1.10", 8080).Target(s.Tg, "10.0.1.11", 8080, "unhealthy", "Target.FailedHealthChecks", "Health checks failed");

        var item = Diagnose(s, Api(K8s.Pod("mlops", "api-1", "10.0.1.10"), K8s.Pod("mlops", "api-2", "10.0.1.11", ready: false, crashLooping: true, restarts: 12)), "10.0.1.11");

        Assert.Equal("PodCrashLooping", item.Diagnosis.Code);
        Assert.Contains("pod api-2: container api in CrashLoopBackOff, 12 restarts, last exit 1 (Error)", item.Diagnosis.Evidence);
    }

    [Fact]
    public void A_pod_failing_its_own_readiness_probe_is_not_ready()
    {
        var s = Nlb();
        s.Aws.Target(s.Tg, "10.0.1.10", 8080).Target(s.Tg, "10.0.1.11", 8080, "unhealthy", "Target.Timeout");
        var k8s = Api(K8s.Pod("mlops", "api-1", "10.0.1.10"), K8s.Pod("mlops", "api-2", "10.0.1.11", ready: false)) with
        {
            Events = [K8s.Event("Pod", "mlops", "api-2", "Warning", "Unhealthy", "Readiness probe failed: Get \"http://10.0.1.11:8080/healthz\": context deadline exceeded")],
        };

        var item = Diagnose(s, k8s, "10.0.1.11");

        Assert.Equal("PodNotReady", item.Diagnosis.Code);
        Assert.Contains("pod api-2 is not Ready (Running, ContainersNotReady)", item.Diagnosis.Evidence);
        Assert.Contains(item.Diagnosis.Evidence, e => e.Contains("context deadline exceeded", StringComparison.Ordinal));
    }

    [Fact]
    public void A_target_on_a_node_that_is_not_ready_names_the_node()
    {
        var s = Nlb(targetType: "instance", configure: t => t with { Port = 31234 });
        s.Aws.Target(s.Tg, "i-0aaa", 31234).Target(s.Tg, "i-0bbb", 31234, "unhealthy", "Target.Timeout");
        var k8s = new KubernetesSnapshot
        {
            Services = [K8s.Service("mlops", "api", IpNlb, nodePort: 31234)],
            Nodes = [K8s.Node("node-a", "i-0aaa"), K8s.Node("node-b", "i-0bbb", ready: false)],
        };

        var item = Diagnose(s, k8s, "i-0bbb");

        Assert.Equal("NodeNotReady", item.Diagnosis.Code);
        Assert.Contains("node node-b is not Ready", item.Diagnosis.Evidence);
    }

    [Fact]
    public void A_timeout_nothing_in_kubernetes_explains_points_at_security_groups()
    {
        var s = Nlb(type: "application", securityGroups: ["sg-0lb"]);
        s.Aws.Target(s.Tg, "10.0.1.10", 8080).Target(s.Tg, "10.0.1.11", 8080, "unhealthy", "Target.Timeout");

        var item = Diagnose(s, Api(K8s.Pod("mlops", "api-1", "10.0.1.10"), K8s.Pod("mlops", "api-2", "10.0.1.11")), "10.0.1.11");

        Assert.Equal("SecurityGroup", item.Diagnosis.Code);
        Assert.Contains("the balancer's security groups: sg-0lb", item.Diagnosis.Evidence);
        Assert.Contains("port 8080", item.Diagnosis.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unused_target_of_a_group_no_listener_forwards_to_is_not_in_use()
    {
        var s = Nlb(attach: false);
        s.Aws.Target(s.Tg, "10.0.1.10", 8080, "unused", "Target.NotInUse", "Target group is not configured to receive traffic from the load balancer");
        var k8s = Api(K8s.Pod("mlops", "api-1", "10.0.1.10"));

        var item = TopologyBuilder.Build(k8s with { TargetGroupBindings = [K8s.Binding("mlops", s.Tg.TargetGroupArn, "api")] }, s.Aws.Build(), K8s.Context()).Triage.Single();

        Assert.Equal("TargetGroupNotInUse", item.Diagnosis.Code);
        Assert.Equal(TriageSeverity.Notice, item.Severity);
        Assert.Equal(new ObjectRef(ObjectKind.Service, "mlops", "api"), item.Endpoint);
    }

    [Fact]
    public void An_unused_target_in_a_zone_the_balancer_does_not_use_is_zone_not_enabled()
    {
        var s = Nlb();
        s.Aws.Target(s.Tg, "10.0.3.10", 8080, "unused", "Target.NotInUse", zone: "us-east-1c");

        var item = Diagnose(s, Api(K8s.Pod("mlops", "api-1", "10.0.3.10")), "10.0.3.10");

        Assert.Equal("ZoneNotEnabled", item.Diagnosis.Code);
        Assert.Contains("the target is in us-east-1c; k8s-mlops-api-1234567890 is enabled in us-east-1a, us-east-1b", item.Diagnosis.Evidence);
    }

    [Fact]
    public void Draining_shows_the_remaining_deregistration_delay_and_becomes_stuck_past_it()
    {
        var s = Nlb();
        s.Aws.Attributes(s.Tg, ("deregistration_delay.timeout_seconds", "30"));
        s.Aws.Target(s.Tg, "10.0.1.10", 8080, "draining", "Target.DeregistrationInProgress", since: K8s.Now.AddSeconds(-10))
            .Target(s.Tg, "10.0.1.11", 8080, "draining", "Target.DeregistrationInProgress", since: K8s.Now.AddMinutes(-3));
        var k8s = Api();

        var fresh = Diagnose(s, k8s, "10.0.1.10");
        var stuck = Diagnose(s, k8s, "10.0.1.11");

        Assert.Equal(("DeregistrationInProgress", TriageSeverity.Notice), (fresh.Diagnosis.Code, fresh.Severity));
        Assert.Contains("about 20s of the delay remain", fresh.Diagnosis.Evidence);
        Assert.Equal(("DrainingStuck", TriageSeverity.Stuck), (stuck.Diagnosis.Code, stuck.Severity));
        Assert.Contains("draining 2m 30s longer than the delay", stuck.Diagnosis.Evidence);
    }

    [Fact]
    public void Initial_health_checking_longer_than_interval_times_threshold_is_stuck()
    {
        var s = Nlb(configure: t => t with { HealthCheckIntervalSeconds = 10, HealthyThresholdCount = 3 });
        s.Aws.Target(s.Tg, "10.0.1.10", 8080, "initial", "Elb.InitialHealthChecking", since: K8s.Now.AddSeconds(-20))
            .Target(s.Tg, "10.0.1.11", 8080, "initial", "Elb.InitialHealthChecking", since: K8s.Now.AddMinutes(-4));
        var k8s = Api(K8s.Pod("mlops", "api-1", "10.0.1.10"), K8s.Pod("mlops", "api-2", "10.0.1.11"));

        Assert.Equal(("Initial", TriageSeverity.Notice), (Diagnose(s, k8s, "10.0.1.10").Diagnosis.Code, Diagnose(s, k8s, "10.0.1.10").Severity));
        var stuck = Diagnose(s, k8s, "10.0.1.11");
        Assert.Equal(("InitialStuck", TriageSeverity.Stuck), (stuck.Diagnosis.Code, stuck.Severity));
        Assert.Contains("health checks every 10 s, 3 passes needed: healthy after about 30s", stuck.Diagnosis.Evidence);
    }

    [Fact]
    public void Local_traffic_policy_with_instance_targets_explains_nodes_without_a_pod()
    {
        var s = Nlb(targetType: "instance", configure: t => t with { Port = 31234 });
        s.Aws.Target(s.Tg, "i-0aaa", 31234).Target(s.Tg, "i-0bbb", 31234, "unhealthy", "Target.FailedHealthChecks");
        var k8s = new KubernetesSnapshot
        {
            Services = [K8s.Service("mlops", "api", new() { ["service.beta.kubernetes.io/aws-load-balancer-type"] = "nlb" }, nodePort: 31234, trafficPolicy: "Local")],
            Nodes = [K8s.Node("node-a", "i-0aaa"), K8s.Node("node-b", "i-0bbb")],
            EndpointSlices = [K8s.Slice("mlops", "api", ("10.0.1.10", "node-a", true))],
        };

        var item = Diagnose(s, k8s, "i-0bbb");

        Assert.Equal(("TrafficPolicyLocal", TriageSeverity.Notice), (item.Diagnosis.Code, item.Severity));
        Assert.Contains("api has externalTrafficPolicy: Local and node node-b runs no ready pod of it", item.Diagnosis.Evidence);
        Assert.Contains("nlb-target-type: ip", item.Diagnosis.Fix, StringComparison.Ordinal);
    }
}
