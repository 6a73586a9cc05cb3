using System.Collections.Immutable;
using Dashboard.Client.Model;
using Dashboard.Server.LoadBalancers;
using Dashboard.Server.Inventory;
using Dashboard.Server.Kubernetes;
using Dashboard.Server.Topology;
using k8s.Models;

namespace Dashboard.Server.Tests.Topology;

public sealed class TopologyBuilderTests
{
    private static readonly Dictionary<string, string> ControllerNlb = new() { ["service.beta.kubernetes.io/aws-load-balancer-type"] = "external", ["service.beta.kubernetes.io/aws-load-balancer-nlb-target-type"] = "ip" };

    [Fact]
    public void Ip_targets_are_joined_to_pods_through_the_TargetGroupBinding()
    {
        var aws = new AwsFixture();
        var lb = aws.Balancer("k8s-mlops-retailfo-1a2b3c4d5e");
        var tg = aws.Group(lb, "k8s-mlops-retailfo-aaaaaaaaaa");
        aws.Target(tg, "10.0.1.10", 8080).Target(tg, "10.0.2.20", 8080, "unhealthy", "Target.Timeout", "Request timed out");
        var k8s = new KubernetesSnapshot
        {
            Services = [K8s.Service("mlops", "retail-forecast-nlb", ControllerNlb)],
            Pods = [K8s.Pod("mlops", "api-1", "10.0.1.10"), K8s.Pod("mlops", "api-2", "10.0.2.20", node: "node-b")],
            TargetGroupBindings = [K8s.Binding("mlops", tg.TargetGroupArn, "retail-forecast-nlb")],
        };

        var topology = TopologyBuilder.Build(k8s, aws.Build(), K8s.Context());

        var view = Assert.Single(topology.LoadBalancers);
        Assert.Equal([new BalancerOwner(ObjectKind.Service, "mlops", "retail-forecast-nlb", 1)], view.Owners.AsEnumerable());
        Assert.Equal(LinkSource.TargetGroupBinding, view.LinkedBy);
        var group = Assert.Single(view.TargetGroups);
        Assert.Equal(LinkSource.TargetGroupBinding, group.LinkedBy);
        Assert.Equal("80", group.ServicePort);
        Assert.Equal(["api-1", "api-2"], group.Targets.Select(t => t.Pod?.Name));
        Assert.Equal((1, 2), (view.HealthyTargets, view.TotalTargets));
        Assert.Equal(LoadBalancerFlags.None, view.Flags);
        Assert.True(topology.Endpoints.ContainsKey("Service/mlops/retail-forecast-nlb"));
        Assert.Equal("10.0.2.20", Assert.Single(topology.Triage).Target.Id);
    }

    [Fact]
    public void A_join_after_a_change_of_one_kind_reuses_the_other_kinds_copies_of_the_index_and_sees_the_change()
    {
        var aws = new AwsFixture();
        var lb = aws.Balancer("k8s-mlops-retailfo-1a2b3c4d5e");
        var tg = aws.Group(lb, "k8s-mlops-retailfo-aaaaaaaaaa");
        aws.Target(tg, "10.0.1.10", 8080, "unhealthy", "Target.Timeout", "Request timed out");
        var index = ClusterIndex.Of([K8s.Service("mlops", "retail-forecast-nlb", ControllerNlb)], [], [], [], [K8s.Pod("mlops", "api-1", "10.0.1.10")], [], [],
            [K8s.Binding("mlops", tg.TargetGroupArn, "retail-forecast-nlb")]);
        var before = TopologyBuilder.Build(KubernetesIndex.Freeze(index, null), aws.Build(), K8s.Context());
        Assert.Equal("api-1", Assert.Single(before.Triage).Target.Pod!.Name);

        // Only an Event arrives: the copies of Services and pods are the previous join's.
        index.ApplyEvents([Upsert(K8s.Event("Pod", "mlops", "api-1", "Warning", "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 500"))]);
        var after = TopologyBuilder.Build(KubernetesIndex.Freeze(index, before.Index), aws.Build(), K8s.Context());

        Assert.Same(before.Index!.PodsByIp, after.Index!.PodsByIp);
        Assert.Same(before.Index.Services, after.Index.Services);
        Assert.NotSame(before.Index.EventsByObject, after.Index.EventsByObject);
        Assert.Single(after.Index.EventsOf("Pod", "mlops", "api-1"));

        // Now the pod behind the target is replaced: the pod copy is rebuilt and the join sees the new pod.
        var old = before.Index.PodsByName["mlops/api-1"];
        index.ApplyPods([new ResourceChange<V1Pod>(ResourceChangeKind.Delete, old, old), Upsert(K8s.Pod("mlops", "api-1b", "10.0.1.10"))]);
        var last = TopologyBuilder.Build(KubernetesIndex.Freeze(index, after.Index), aws.Build(), K8s.Context());

        Assert.NotSame(after.Index.PodsByIp, last.Index!.PodsByIp);
        Assert.Equal("api-1b", Assert.Single(last.Triage).Target.Pod!.Name);
    }

    private static ResourceChange<T> Upsert<T>(T item) where T : class => new(ResourceChangeKind.Upsert, item, null);

    [Fact]
    public void Controller_tags_for_this_cluster_link_without_a_TargetGroupBinding_and_other_clusters_tags_do_not()
    {
        var aws = new AwsFixture();
        var ours = aws.Balancer("k8s-mlops-retailfo-1111111111", tags: new() { ["elbv2.k8s.aws/cluster"] = K8s.Cluster, ["service.k8s.aws/stack"] = "mlops/retail-forecast-nlb", ["service.k8s.aws/resource"] = "LoadBalancer" });
        aws.Group(ours, "k8s-mlops-retailfo-2222222222", tags: new() { ["elbv2.k8s.aws/cluster"] = K8s.Cluster, ["service.k8s.aws/resource"] = "mlops/retail-forecast-nlb:80" });
        var theirs = aws.Balancer("k8s-mlops-retailfo-3333333333", tags: new() { ["elbv2.k8s.aws/cluster"] = "other-cluster", ["service.k8s.aws/stack"] = "mlops/retail-forecast-nlb" });
        var k8s = new KubernetesSnapshot { Services = [K8s.Service("mlops", "retail-forecast-nlb", ControllerNlb)] };

        var topology = TopologyBuilder.Build(k8s, aws.Build(), K8s.Context());

        var linked = topology.LoadBalancers.Single(l => l.Arn == ours.LoadBalancerArn);
        Assert.Equal(LinkSource.ControllerTags, linked.LinkedBy);
        Assert.Equal("retail-forecast-nlb", Assert.Single(linked.Owners).Name);
        var group = Assert.Single(linked.TargetGroups);
        Assert.Equal((LinkSource.ControllerTags, "80"), (group.LinkedBy, group.ServicePort));
        var foreign = topology.LoadBalancers.Single(l => l.Arn == theirs.LoadBalancerArn);
        Assert.Empty(foreign.Owners);
        Assert.False(foreign.Flags.HasFlag(LoadBalancerFlags.Orphan));
    }

    [Fact]
    public void An_ingress_group_shows_the_shared_balancer_under_each_member_with_its_own_rules_and_target_groups()
    {
        var aws = new AwsFixture();
        var lb = aws.Balancer("k8s-retail-0123456789", type: "application", tags: new() { ["elbv2.k8s.aws/cluster"] = K8s.Cluster, ["ingress.k8s.aws/stack"] = "retail" });
        var forecast = aws.Group(lb, "k8s-mlops-forecast-aaaaaaaaaa", tags: new() { ["elbv2.k8s.aws/cluster"] = K8s.Cluster, ["ingress.k8s.aws/resource"] = "mlops/forecast-ing-forecast-svc:80" });
        var batch = aws.Group(lb, "k8s-mlops-batch-bbbbbbbbbb", tags: new() { ["elbv2.k8s.aws/cluster"] = K8s.Cluster, ["ingress.k8s.aws/resource"] = "mlops/batch-ing-batch-svc:80" });
        var k8s = new KubernetesSnapshot
        {
            Ingresses = [K8s.Ingress("mlops", "forecast-ing", "retail", ["forecast-svc"]), K8s.Ingress("mlops", "batch-ing", "retail", ["batch-svc"])],
            Services = [K8s.Service("mlops", "forecast-svc", type: "ClusterIP"), K8s.Service("mlops", "batch-svc", type: "ClusterIP")],
        };

        var usage = new BalancerUsage
        {
            TargetGroupRequests = ImmutableDictionary<string, double>.Empty.Add(forecast.TargetGroupArn, 3000).Add(batch.TargetGroupArn, 1000),
        };

        var topology = TopologyBuilder.Build(k8s, aws.Build() with { Usage = usage }, K8s.Context());

        var view = Assert.Single(topology.LoadBalancers);
        Assert.True(view.Flags.HasFlag(LoadBalancerFlags.Shared));
        Assert.Equal(["Ingress/mlops/batch-ing", "Ingress/mlops/forecast-ing"], view.Owners.Select(o => o.Object.Key));
        // Each member's share is its target groups' part of the requests.
        Assert.Equal([0.25, 0.75], view.Owners.Select(o => o.Share));
        Assert.Equal("retail", view.IngressGroup);
        Assert.Equal(K8s.Cluster, view.Cluster);
        Assert.Equal(new ObjectRef(ObjectKind.Ingress, "mlops", "forecast-ing"), view.TargetGroups.Single(t => t.Arn == forecast.TargetGroupArn).Member);
        Assert.Equal(new ObjectRef(ObjectKind.Service, "mlops", "batch-svc"), view.TargetGroups.Single(t => t.Arn == batch.TargetGroupArn).Service);
        var rule = Assert.Single(Assert.Single(view.Listeners).Rules);
        Assert.Equal(new ObjectRef(ObjectKind.Ingress, "mlops", "batch-ing"), rule.Member);
        Assert.Same(view, topology.Endpoints["Ingress/mlops/forecast-ing"].LoadBalancers.Single());
        Assert.Same(view, topology.Endpoints["Ingress/mlops/batch-ing"].LoadBalancers.Single());
    }

    [Fact]
    public void An_in_tree_nlb_is_linked_by_its_status_hostname()
    {
        var aws = new AwsFixture();
        var lb = aws.Balancer("a1b2c3d4e5f60718293a4b5c6d7e8f90", tags: new() { ["kubernetes.io/service-name"] = "mlops/retail-forecast-nlb", ["kubernetes.io/cluster/" + K8s.Cluster] = "owned" });
        aws.Group(lb, "k8s-tg-instance", targetType: "instance", port: 31234);
        var k8s = new KubernetesSnapshot
        {
            Services = [K8s.Service("mlops", "retail-forecast-nlb", new() { ["service.beta.kubernetes.io/aws-load-balancer-type"] = "nlb" }, hostname: lb.DnsName!.ToUpperInvariant())],
        };

        var topology = TopologyBuilder.Build(k8s, aws.Build(), K8s.Context());

        var view = Assert.Single(topology.LoadBalancers);
        Assert.Equal(LinkSource.StatusHostname, view.LinkedBy);
        Assert.Equal("Service/mlops/retail-forecast-nlb", Assert.Single(view.Owners).Object.Key);
        Assert.Equal(new ObjectRef(ObjectKind.Service, "mlops", "retail-forecast-nlb"), Assert.Single(view.TargetGroups).Service);
    }

    [Fact]
    public void Instance_targets_are_joined_to_nodes_by_the_provider_instance_id()
    {
        var aws = new AwsFixture();
        var lb = aws.Balancer("k8s-mlops-web-1234567890");
        var tg = aws.Group(lb, "k8s-mlops-web-instance", targetType: "instance", port: 31234);
        aws.Target(tg, "i-0aaa", 31234).Target(tg, "i-0bbb", 31234).Target(tg, "i-0ccc", 31234);
        var k8s = new KubernetesSnapshot
        {
            Services = [K8s.Service("mlops", "web", ControllerNlb, nodePort: 31234)],
            Nodes = [K8s.Node("node-a", "i-0aaa"), K8s.Node("node-b", "i-0bbb", ready: false, zone: "us-east-1b")],
            TargetGroupBindings = [K8s.Binding("mlops", tg.TargetGroupArn, "web", targetType: "instance")],
        };

        var targets = Assert.Single(Assert.Single(TopologyBuilder.Build(k8s, aws.Build(), K8s.Context()).LoadBalancers).TargetGroups).Targets;

        Assert.Equal(new NodeView("node-a", true, "us-east-1a", "i-0aaa"), targets[0].Node);
        Assert.Equal(new NodeView("node-b", false, "us-east-1b", "i-0bbb"), targets[1].Node);
        Assert.Null(targets[2].Node);
        Assert.All(targets, t => Assert.Null(t.Pod));
    }

    [Fact]
    public void Without_usage_an_ingress_groups_members_share_equally_and_the_shares_add_up_to_one()
    {
        Assert.Equal([0.5, 0.5], TopologyBuilder.SplitByRequests([0, 0]));
        Assert.Equal([0.75, 0.25], TopologyBuilder.SplitByRequests([300, 100]));
        Assert.Equal(1.0, TopologyBuilder.SplitByRequests([1, 2, 4]).Sum(), 9);
    }

    [Fact]
    public void A_balancer_tagged_for_this_cluster_whose_service_is_gone_is_an_orphan()
    {
        var aws = new AwsFixture();
        var lb = aws.Balancer("k8s-mlops-oldapi-1234567890", tags: new() { ["elbv2.k8s.aws/cluster"] = K8s.Cluster, ["service.k8s.aws/stack"] = "mlops/old-api" });
        aws.Group(lb, "k8s-mlops-oldapi-tg");
        var live = aws.Balancer("k8s-mlops-web-0000000000", tags: new() { ["elbv2.k8s.aws/cluster"] = K8s.Cluster, ["service.k8s.aws/stack"] = "mlops/web" });
        var k8s = new KubernetesSnapshot { Services = [K8s.Service("mlops", "web", ControllerNlb)] };

        // The cluster name is not configured: it is inferred from the balancer whose owner is alive.
        var topology = TopologyBuilder.Build(k8s, aws.Build(), K8s.Context(cluster: null));

        var orphan = topology.LoadBalancers.Single(l => l.Arn == lb.LoadBalancerArn);
        Assert.True(orphan.Flags.HasFlag(LoadBalancerFlags.Orphan));
        Assert.Empty(orphan.Owners);
        Assert.Equal(new ObjectRef(ObjectKind.Service, "mlops", "old-api"), orphan.TaggedOwner);
        Assert.Equal(K8s.Cluster, topology.ClusterName);
        Assert.False(topology.LoadBalancers.Single(l => l.Arn == live.LoadBalancerArn).Flags.HasFlag(LoadBalancerFlags.Orphan));
        Assert.False(topology.Endpoints.ContainsKey("Service/mlops/old-api"));
    }

    [Fact]
    public void A_service_without_a_balancer_is_a_stray_explained_by_the_controllers_warning_event()
    {
        var k8s = new KubernetesSnapshot
        {
            Services = [K8s.Service("mlops", "retail-forecast-nlb", ControllerNlb), K8s.Service("mlops", "internal-only", type: "ClusterIP")],
            Events =
            [
                K8s.Event("Service", "mlops", "retail-forecast-nlb", "Normal", "SuccessfullyReconciled", "ok", K8s.Now.AddMinutes(-30)),
                K8s.Event("Service", "mlops", "retail-forecast-nlb", "Warning", "FailedDeployModel", "Failed deploy model due to AccessDenied: elasticloadbalancing:CreateLoadBalancer", K8s.Now.AddMinutes(-2)),
            ],
        };

        var topology = TopologyBuilder.Build(k8s, new AwsFixture().Build(), K8s.Context());

        var stray = topology.Endpoints["Service/mlops/retail-forecast-nlb"];
        Assert.Empty(stray.LoadBalancers);
        Assert.Equal("FailedDeployModel: Failed deploy model due to AccessDenied: elasticloadbalancing:CreateLoadBalancer", stray.MissingBalancerReason);
        var check = stray.Checklist.Single(c => c.Code == "balancer");
        Assert.Equal(CheckState.Fail, check.State);
        Assert.Contains("AccessDenied", check.Reason, StringComparison.Ordinal);
        Assert.False(topology.Endpoints.ContainsKey("Service/mlops/internal-only"));
    }

    [Fact]
    public void Drift_shows_the_annotated_and_the_live_health_check_path_and_interval()
    {
        var annotations = new Dictionary<string, string>(ControllerNlb)
        {
            ["service.beta.kubernetes.io/aws-load-balancer-healthcheck-path"] = "/healthz",
            ["service.beta.kubernetes.io/aws-load-balancer-healthcheck-interval"] = "30",
            ["service.beta.kubernetes.io/aws-load-balancer-healthcheck-timeout"] = "5",
        };
        var aws = new AwsFixture();
        var lb = aws.Balancer("k8s-mlops-retailfo-1a2b3c4d5e");
        var tg = aws.Group(lb, "k8s-mlops-retailfo-aaaaaaaaaa", configure: t => t with { HealthCheckPath = "/", HealthCheckIntervalSeconds = 10 });
        var k8s = new KubernetesSnapshot
        {
            Services = [K8s.Service("mlops", "retail-forecast-nlb", annotations)],
            TargetGroupBindings = [K8s.Binding("mlops", tg.TargetGroupArn, "retail-forecast-nlb")],
        };

        var view = Assert.Single(TopologyBuilder.Build(k8s, aws.Build(), K8s.Context()).LoadBalancers);

        Assert.True(view.Flags.HasFlag(LoadBalancerFlags.Drift));
        Assert.Equal(
            [
                new DriftItem("health-check path", "/healthz", "/", "service.beta.kubernetes.io/aws-load-balancer-healthcheck-path"),
                new DriftItem("health-check interval (s)", "30", "10", "service.beta.kubernetes.io/aws-load-balancer-healthcheck-interval"),
            ],
            Assert.Single(view.TargetGroups).Drift.Select(d => d with { Why = null, Fix = null }));
        Assert.Contains(view.Drift, d => d.Setting == "health-check path (k8s-mlops-retailfo-aaaaaaaaaa)");
        // An HTTP check that does not follow the annotation matters, and says why.
        Assert.All(Assert.Single(view.TargetGroups).Drift, d =>
        {
            Assert.True(d.Matters);
            Assert.Contains("the controller has not applied it", d.Why, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Ingress_drift_prefers_the_backend_services_alb_annotation_and_names_it()
    {
        var aws = new AwsFixture();
        var lb = aws.Balancer("k8s-mlops-forecast-1234567890", type: "application", tags: new() { ["elbv2.k8s.aws/cluster"] = K8s.Cluster, ["ingress.k8s.aws/stack"] = "mlops/forecast-ing" });
        aws.Group(lb, "k8s-mlops-forecast-aaaaaaaaaa", tags: new() { ["elbv2.k8s.aws/cluster"] = K8s.Cluster, ["ingress.k8s.aws/resource"] = "mlops/forecast-ing-forecast-svc:80" });
        var service = K8s.Service("mlops", "forecast-svc", new() { ["alb.ingress.kubernetes.io/healthcheck-path"] = "/ready" }, type: "ClusterIP");
        var k8s = new KubernetesSnapshot
        {
            Ingresses = [K8s.Ingress("mlops", "forecast-ing", backends: ["forecast-svc"], annotations: new() { ["alb.ingress.kubernetes.io/healthcheck-path"] = "/healthz", ["alb.ingress.kubernetes.io/scheme"] = "internal" })],
            Services = [service],
        };

        var view = Assert.Single(TopologyBuilder.Build(k8s, aws.Build(), K8s.Context()).LoadBalancers);

        Assert.Contains(new DriftItem("scheme", "internal", "internet-facing", "alb.ingress.kubernetes.io/scheme"), view.Drift);
        Assert.Equal(new DriftItem("health-check path", "/ready", "/healthz", "alb.ingress.kubernetes.io/healthcheck-path on service/forecast-svc"),
            Assert.Single(Assert.Single(view.TargetGroups).Drift) with { Why = null, Fix = null });
    }

    [Fact]
    public void Target_groups_with_every_target_unhealthy_flag_the_balancer_and_are_outages_first_in_triage()
    {
        var aws = new AwsFixture();
        var down = aws.Balancer("k8s-mlops-down-1234567890");
        var downTg = aws.Group(down, "k8s-mlops-down-tg");
        aws.Target(downTg, "10.0.1.10", 8080, "unhealthy", "Target.Timeout").Target(downTg, "10.0.1.11", 8080, "unhealthy", "Target.Timeout");
        var some = aws.Balancer("k8s-mlops-some-1234567890");
        var someTg = aws.Group(some, "k8s-mlops-some-tg");
        aws.Target(someTg, "10.0.2.10", 8080).Target(someTg, "10.0.2.11", 8080, "unhealthy", "Target.Timeout");
        var k8s = new KubernetesSnapshot
        {
            Services = [K8s.Service("mlops", "down", ControllerNlb), K8s.Service("mlops", "some", ControllerNlb)],
            TargetGroupBindings = [K8s.Binding("mlops", downTg.TargetGroupArn, "down"), K8s.Binding("mlops", someTg.TargetGroupArn, "some")],
        };

        var topology = TopologyBuilder.Build(k8s, aws.Build(), K8s.Context());

        Assert.True(topology.LoadBalancers.Single(l => l.Name.Contains("down", StringComparison.Ordinal)).Flags.HasFlag(LoadBalancerFlags.AllUnhealthy));
        Assert.Equal([TriageSeverity.Outage, TriageSeverity.Outage, TriageSeverity.Degraded], topology.Triage.Select(t => t.Severity));
        Assert.Contains(topology.Triage[0].Diagnosis.Evidence, e => e.Contains("fails open", StringComparison.Ordinal));
        Assert.Equal(new ObjectRef(ObjectKind.Service, "mlops", "down"), topology.Triage[0].Endpoint);
    }
}
