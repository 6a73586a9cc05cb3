using Dashboard.Sandbox.Aws;
using Dashboard.Sandbox.Kubernetes;

namespace Dashboard.Sandbox.Tests.LoadBalancerController;

/// <summary>LoadBalancer Services: the controller's NLB with ip targets, health, annotation changes, failures, deletion; the in-tree NLB.</summary>
public sealed class ServiceLoadBalancerTests
{
    private static readonly TimeSpan _minute = TimeSpan.FromMinutes(1);

    private static TargetGroup? TargetGroupOf(SimulatedAccount account, string stack) =>
        account.Aws.GetTargetGroups().FirstOrDefault(tg => account.Aws.GetTags(tg.Arn).GetValueOrDefault("service.k8s.aws/stack") == stack);

    private static async Task<(SimulatedAccount Account, TargetGroup TargetGroup)> StartWithHealthyNlbAsync()
    {
        var account = SimulatedAccount.Start();
        account.Apply(Manifests.RetailForecastDeployment);
        account.Apply(Manifests.ServiceNlbAdvanced);
        Assert.True(await account.AdvanceUntilAsync(() => TargetGroupOf(account, "mlops/retail-forecast-nlb") is { } tg
            && account.Aws.GetTargets(tg.Arn) is { Count: 3 } targets && targets.All(t => t.Health.State == TargetHealthState.Healthy), _minute),
            "three healthy targets");
        return (account, TargetGroupOf(account, "mlops/retail-forecast-nlb")!);
    }

    [Fact]
    public async Task Controller_NLB_gets_named_tagged_resources_binding_and_hostname_after_the_provisioning_delay()
    {
        await using var account = SimulatedAccount.Start();
        account.Apply(Manifests.RetailForecastDeployment);
        account.Apply(Manifests.ServiceNlbAdvanced);
        var created = account.Time.GetUtcNow();

        Assert.True(await account.AdvanceUntilAsync(() => account.Aws.GetLoadBalancers().Length == 1, TimeSpan.FromSeconds(2)), "load balancer created");
        var loadBalancer = account.Aws.GetLoadBalancers()[0];
        Assert.Equal(LoadBalancerType.Network, loadBalancer.Type);
        Assert.Equal("internet-facing", loadBalancer.Scheme);
        Assert.Matches("^k8s-mlops-retailfo-[0-9a-f]{10}$", loadBalancer.Name);
        Assert.Equal(["subnet-12345678", "subnet-87654321"], loadBalancer.AvailabilityZones.Select(z => z.SubnetId));
        Assert.Equal("true", loadBalancer.Attributes["access_logs.s3.enabled"]);
        Assert.Equal("retail-forecast-nlb-logs", loadBalancer.Attributes["access_logs.s3.bucket"]);
        Assert.Equal("true", loadBalancer.Attributes["load_balancing.cross_zone.enabled"]);
        var lbTags = account.Aws.GetTags(loadBalancer.Arn);
        Assert.Equal(account.Options.ClusterName, lbTags["elbv2.k8s.aws/cluster"]);
        Assert.Equal("mlops/retail-forecast-nlb", lbTags["service.k8s.aws/stack"]);
        Assert.Equal("LoadBalancer", lbTags["service.k8s.aws/resource"]);
        Assert.Equal("Production", lbTags["Environment"]);

        var targetGroup = TargetGroupOf(account, "mlops/retail-forecast-nlb")!;
        Assert.Matches("^k8s-mlops-retailfo-[0-9a-f]{10}$", targetGroup.Name);
        Assert.Equal(("TCP", 8080, "ip"), (targetGroup.Protocol, targetGroup.Port, targetGroup.TargetType));
        Assert.Equal(("HTTP", "8080", "/healthz", 5, 2, 2), (targetGroup.HealthCheck.Protocol, targetGroup.HealthCheck.Port,
            targetGroup.HealthCheck.Path, targetGroup.HealthCheck.IntervalSeconds, targetGroup.HealthCheck.HealthyThresholdCount, targetGroup.HealthCheck.UnhealthyThresholdCount));
        Assert.Equal("mlops/retail-forecast-nlb:80", account.Aws.GetTags(targetGroup.Arn)["service.k8s.aws/resource"]);
        var listener = Assert.Single(account.Aws.GetListeners(loadBalancer.Arn));
        Assert.Equal((80, "TCP", targetGroup.Arn), (listener.Port, listener.Protocol, listener.DefaultActions[0].TargetGroups[0].TargetGroupArn));

        var binding = account.Store.Get(ResourceTypes.TargetGroupBindings, "mlops", targetGroup.Name);
        Assert.NotNull(binding);
        Assert.Equal(targetGroup.Arn, binding["spec"]!["targetGroupARN"]!.GetValue<string>());
        Assert.Equal("ip", binding["spec"]!["targetType"]!.GetValue<string>());
        Assert.Equal("retail-forecast-nlb", binding["spec"]!["serviceRef"]!["name"]!.GetValue<string>());
        Assert.Equal(80, binding["spec"]!["serviceRef"]!["port"]!.GetValue<int>());
        Assert.Equal("mlops", binding["metadata"]!["labels"]!["service.k8s.aws/stack-namespace"]!.GetValue<string>());
        Assert.Equal("retail-forecast-nlb", binding["metadata"]!["labels"]!["service.k8s.aws/stack-name"]!.GetValue<string>());
        Assert.Equal("elbv2.k8s.aws/resources", binding["metadata"]!["finalizers"]![0]!.GetValue<string>());

        // No hostname while provisioning; the hostname (the DNS name) once active, within the delay plus a tick.
        Assert.Null(SimulatedAccount.Hostname(account.Store.Get(ResourceTypes.Services, "mlops", "retail-forecast-nlb")));
        Assert.True(await account.AdvanceUntilAsync(
            () => SimulatedAccount.Hostname(account.Store.Get(ResourceTypes.Services, "mlops", "retail-forecast-nlb")) is not null, TimeSpan.FromSeconds(5)));
        Assert.InRange(account.Time.GetUtcNow() - created, account.Options.ProvisioningDelay, account.Options.ProvisioningDelay + TimeSpan.FromSeconds(2));
        loadBalancer = account.Aws.GetLoadBalancer(loadBalancer.Arn);
        Assert.Equal(LoadBalancerStateCode.Active, loadBalancer.State);
        Assert.Equal(loadBalancer.DnsName, SimulatedAccount.Hostname(account.Store.Get(ResourceTypes.Services, "mlops", "retail-forecast-nlb")));
        Assert.Single(account.Events("mlops", "SuccessfullyReconciled"));
    }

    [Fact]
    public async Task Pod_IPs_become_healthy_after_the_threshold_and_follow_the_pods_behaviour()
    {
        var (account, targetGroup) = await StartWithHealthyNlbAsync();
        await using var _ = account;
        var pods = account.Pods("mlops");
        Assert.Equal(pods.Select(p => p["status"]!["podIP"]!.GetValue<string>()).Order(),
            account.Aws.GetTargets(targetGroup.Arn).Select(t => t.Id).Order());
        Assert.All(account.Aws.GetTargets(targetGroup.Arn), t => Assert.Equal(8080, t.Port));

        var pod = pods[0];
        var podName = pod["metadata"]!["name"]!.GetValue<string>();
        var podIp = pod["status"]!["podIP"]!.GetValue<string>();
        RegisteredTarget Target() => account.Aws.GetTargets(targetGroup.Arn).Single(t => t.Id == podIp);
        account.Annotate(ResourceTypes.Pods, "mlops", podName, "sandbox.endpoint-dashboard.dev/health", "http-500");
        var annotated = account.Time.GetUtcNow();

        Assert.True(await account.AdvanceUntilAsync(() => Target().Health.State == TargetHealthState.Unhealthy, _minute), "target unhealthy");
        // Two failed checks five seconds apart: not before one interval, not after three.
        Assert.InRange(account.Time.GetUtcNow() - annotated, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15));
        Assert.Equal("Target.ResponseCodeMismatch", Target().Health.Reason);
        Assert.Equal("Health checks failed with these codes: [500]", Target().Health.Description);
        Assert.All(account.Aws.GetTargets(targetGroup.Arn).Where(t => t.Id != podIp), t => Assert.Equal(TargetHealthState.Healthy, t.Health.State));

        account.Annotate(ResourceTypes.Pods, "mlops", podName, "sandbox.endpoint-dashboard.dev/health", "timeout");
        Assert.True(await account.AdvanceUntilAsync(() => Target().Health.Reason == "Target.Timeout", _minute), "reason follows the failure");

        account.Annotate(ResourceTypes.Pods, "mlops", podName, "sandbox.endpoint-dashboard.dev/health", "ok");
        Assert.True(await account.AdvanceUntilAsync(() => Target().Health.State == TargetHealthState.Healthy, _minute), "healthy again");
        Assert.Null(Target().Health.Reason);
    }

    [Fact]
    public async Task An_unrelated_pod_annotation_leaves_its_healthy_target_registered_and_healthy()
    {
        var (account, targetGroup) = await StartWithHealthyNlbAsync();
        await using var _ = account;
        var pod = account.Pods("mlops")[0];
        var podIp = pod["status"]!["podIP"]!.GetValue<string>();
        RegisteredTarget Target() => account.Aws.GetTargets(targetGroup.Arn).Single(t => t.Id == podIp);
        var before = Target();
        var seen = new List<TargetHealthState>();
        var changes = 0;
        account.Aws.Changed += arn =>
        {
            if (arn == targetGroup.Arn)
            {
                Interlocked.Increment(ref changes);
            }
        };

        account.Annotate(ResourceTypes.Pods, "mlops", pod["metadata"]!["name"]!.GetValue<string>(), "team.example.com/owner", "forecasting");
        // Two health-check intervals (5 s each) of reconciles and checks after the update.
        Assert.False(await account.AdvanceUntilAsync(() =>
        {
            seen.Add(Target().Health.State);
            return Target().Health.State != TargetHealthState.Healthy;
        }, TimeSpan.FromSeconds(11)), "the target left healthy: " + string.Join(", ", seen));
        Assert.Equal(before, Target());
        Assert.Equal(0, changes);
    }

    [Fact]
    public async Task A_pod_that_turns_not_ready_drains_for_the_deregistration_delay_then_leaves()
    {
        var (account, targetGroup) = await StartWithHealthyNlbAsync();
        await using var _ = account;
        var pod = account.Pods("mlops")[0];
        var podIp = pod["status"]!["podIP"]!.GetValue<string>();
        account.Store.Mutate(ResourceTypes.Pods, "mlops", pod["metadata"]!["name"]!.GetValue<string>(), p =>
        {
            foreach (var condition in p["status"]!["conditions"]!.AsArray())
            {
                if (condition!["type"]!.GetValue<string>() is "Ready" or "ContainersReady")
                {
                    condition["status"] = "False";
                }
            }
            return p;
        }, statusOnly: true);

        Assert.True(await account.AdvanceUntilAsync(
            () => account.Aws.GetTargets(targetGroup.Arn).FirstOrDefault(t => t.Id == podIp)?.Health.State == TargetHealthState.Draining, TimeSpan.FromSeconds(5)));
        Assert.Equal("Target.DeregistrationInProgress", account.Aws.GetTargets(targetGroup.Arn).Single(t => t.Id == podIp).Health.Reason);
        var draining = account.Time.GetUtcNow();
        Assert.True(await account.AdvanceUntilAsync(() => account.Aws.GetTargets(targetGroup.Arn).All(t => t.Id != podIp), _minute));
        // deregistration_delay.timeout_seconds=10 from the target-group-attributes annotation.
        Assert.InRange(account.Time.GetUtcNow() - draining, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(12));
        Assert.Equal(2, account.Aws.GetTargets(targetGroup.Arn).Count);
    }

    [Fact]
    public async Task Changing_the_health_check_path_updates_the_target_group_and_an_unserved_path_fails_with_404()
    {
        var (account, targetGroup) = await StartWithHealthyNlbAsync();
        await using var _ = account;
        var reconciled = SimulatedAccount.Count(account.Events("mlops", "SuccessfullyReconciled").Single());
        account.Annotate(ResourceTypes.Services, "mlops", "retail-forecast-nlb", "service.beta.kubernetes.io/aws-load-balancer-healthcheck-path", "/ready");

        Assert.True(await account.AdvanceUntilAsync(() => account.Aws.GetTargetGroup(targetGroup.Arn).HealthCheck.Path == "/ready", TimeSpan.FromSeconds(3)));
        Assert.True(await account.AdvanceUntilAsync(
            () => account.Aws.GetTargets(targetGroup.Arn).All(t => t.Health.State == TargetHealthState.Unhealthy), _minute));
        Assert.All(account.Aws.GetTargets(targetGroup.Arn), t => Assert.Equal("Health checks failed with these codes: [404]", t.Health.Description));
        Assert.Equal(reconciled + 1, SimulatedAccount.Count(account.Events("mlops", "SuccessfullyReconciled").Single()));
    }

    [Fact]
    public async Task An_invalid_annotation_is_a_warning_event_and_changes_nothing()
    {
        var (account, targetGroup) = await StartWithHealthyNlbAsync();
        await using var _ = account;
        account.Mutate(ResourceTypes.Services, "mlops", "retail-forecast-nlb", s =>
        {
            s["metadata"]!["annotations"]!["service.beta.kubernetes.io/aws-load-balancer-healthcheck-interval"] = "abc";
            s["metadata"]!["annotations"]!["service.beta.kubernetes.io/aws-load-balancer-healthcheck-path"] = "/ready";
        });
        Assert.True(await account.AdvanceUntilAsync(() => account.Events("mlops", "FailedBuildModel").Count == 1, TimeSpan.FromSeconds(3)));
        var warning = account.Events("mlops", "FailedBuildModel")[0];
        Assert.Equal("Warning", warning["type"]!.GetValue<string>());
        Assert.Equal("Service", warning["involvedObject"]!["kind"]!.GetValue<string>());
        Assert.Equal("retail-forecast-nlb", warning["involvedObject"]!["name"]!.GetValue<string>());
        Assert.Equal("Failed build model due to failed to parse int32 annotation, service.beta.kubernetes.io/aws-load-balancer-healthcheck-interval: abc: "
            + "strconv.ParseInt: parsing \"abc\": invalid syntax", warning["message"]!.GetValue<string>());
        Assert.Equal(targetGroup.HealthCheck, account.Aws.GetTargetGroup(targetGroup.Arn).HealthCheck);

        // A second bad value: its own event; the same bad value again is counted on the first.
        account.Annotate(ResourceTypes.Services, "mlops", "retail-forecast-nlb", "service.beta.kubernetes.io/aws-load-balancer-healthcheck-protocol", "GOPHER");
        Assert.True(await account.AdvanceUntilAsync(() => account.Events("mlops", "FailedBuildModel").Count == 2, TimeSpan.FromSeconds(3)));
        Assert.Contains(account.Events("mlops", "FailedBuildModel"),
            e => e["message"]!.GetValue<string>() == "Failed build model due to unsupported health check protocol GOPHER");
        account.Annotate(ResourceTypes.Services, "mlops", "retail-forecast-nlb", "service.beta.kubernetes.io/aws-load-balancer-healthcheck-protocol", "HTTP");
        Assert.True(await account.AdvanceUntilAsync(
            () => account.Events("mlops", "FailedBuildModel").Any(e => SimulatedAccount.Count(e) == 2), TimeSpan.FromSeconds(3)));
        Assert.Equal(targetGroup.HealthCheck, account.Aws.GetTargetGroup(targetGroup.Arn).HealthCheck);
        Assert.All(account.Aws.GetTargets(targetGroup.Arn), t => Assert.Equal(TargetHealthState.Healthy, t.Health.State));
    }

    [Fact]
    public async Task An_unknown_target_type_falls_back_to_instance_targets_as_the_controller_does()
    {
        var (account, targetGroup) = await StartWithHealthyNlbAsync();
        await using var _ = account;

        account.Annotate(ResourceTypes.Services, "mlops", "retail-forecast-nlb", "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type", "banana");

        Assert.True(await account.AdvanceUntilAsync(() => TargetGroupOf(account, "mlops/retail-forecast-nlb") is { TargetType: "instance" }, _minute),
            "an instance target group replaces the ip one");
        Assert.Empty(account.Events("mlops", "FailedBuildModel"));
        Assert.Null(account.Aws.GetTargetGroups().FirstOrDefault(tg => tg.Arn == targetGroup.Arn));
    }

    [Fact]
    public async Task Changing_the_scheme_replaces_the_load_balancer_and_deleting_the_Service_removes_everything()
    {
        var (account, targetGroup) = await StartWithHealthyNlbAsync();
        await using var _ = account;
        var first = account.Aws.GetLoadBalancers().Single();
        account.Annotate(ResourceTypes.Services, "mlops", "retail-forecast-nlb", "service.beta.kubernetes.io/aws-load-balancer-scheme", "internal");
        Assert.True(await account.AdvanceUntilAsync(() => account.Aws.GetLoadBalancers() is [{ Scheme: "internal" }]
            && SimulatedAccount.Hostname(account.Store.Get(ResourceTypes.Services, "mlops", "retail-forecast-nlb"))?.StartsWith("internal-", StringComparison.Ordinal) == true, _minute));
        Assert.NotEqual(first.Name, account.Aws.GetLoadBalancers()[0].Name);
        Assert.Equal(targetGroup.Arn, TargetGroupOf(account, "mlops/retail-forecast-nlb")!.Arn);

        account.Store.Delete(ResourceTypes.Services, "mlops", "retail-forecast-nlb");
        Assert.True(await account.AdvanceUntilAsync(() => account.Aws.GetLoadBalancers().IsEmpty && account.Aws.GetTargetGroups().IsEmpty
            && account.Store.Count(ResourceTypes.TargetGroupBindings) == 0, TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public async Task In_tree_NLB_is_named_after_the_uid_tagged_as_the_cloud_provider_does_with_instance_targets_and_no_binding()
    {
        await using var account = SimulatedAccount.Start();
        account.Apply(Manifests.RetailForecastDeployment);
        account.Apply(Manifests.InTreeNlb);
        var service = account.Store.Get(ResourceTypes.Services, "mlops", "retail-forecast-loadbalancer")!;
        var uid = service["metadata"]!["uid"]!.GetValue<string>();

        Assert.True(await account.AdvanceUntilAsync(() => account.Aws.GetLoadBalancers().Length == 1
            && SimulatedAccount.Hostname(account.Store.Get(ResourceTypes.Services, "mlops", "retail-forecast-loadbalancer")) is not null, TimeSpan.FromSeconds(10)));
        var loadBalancer = account.Aws.GetLoadBalancers()[0];
        Assert.Equal(("a" + uid.Replace("-", "", StringComparison.Ordinal))[..32], loadBalancer.Name);
        Assert.Equal(32, loadBalancer.Name.Length);
        Assert.Equal("internet-facing", loadBalancer.Scheme);
        var tags = account.Aws.GetTags(loadBalancer.Arn);
        Assert.Equal("mlops/retail-forecast-loadbalancer", tags["kubernetes.io/service-name"]);
        Assert.Equal("owned", tags["kubernetes.io/cluster/" + account.Options.ClusterName]);
        Assert.DoesNotContain("elbv2.k8s.aws/cluster", tags.Keys);

        var nodePort = account.Store.Get(ResourceTypes.Services, "mlops", "retail-forecast-loadbalancer")!["spec"]!["ports"]![0]!["nodePort"]!.GetValue<int>();
        var targetGroup = account.Aws.GetTargetGroupsOf(loadBalancer.Arn).Single();
        Assert.Equal(("instance", nodePort), (targetGroup.TargetType, targetGroup.Port));
        Assert.True(await account.AdvanceUntilAsync(() => account.Aws.GetTargets(targetGroup.Arn) is { Count: 3 } targets
            && targets.All(t => t.Health.State == TargetHealthState.Healthy), _minute));
        Assert.Equal(account.Cluster.Nodes.Select(n => n.InstanceId).Order(), account.Aws.GetTargets(targetGroup.Arn).Select(t => t.Id).Order());
        Assert.All(account.Aws.GetTargets(targetGroup.Arn), t => Assert.Equal(nodePort, t.Port));
        Assert.Equal(0, account.Store.Count(ResourceTypes.TargetGroupBindings));
        Assert.Single(account.Events("mlops", "EnsuredLoadBalancer"));
    }
}
