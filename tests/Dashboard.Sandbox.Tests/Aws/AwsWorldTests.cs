using System.Collections.Immutable;
using Dashboard.Sandbox.Aws;

namespace Dashboard.Sandbox.Tests.Aws;

public sealed class AwsWorldTests
{
    private static AwsWorld NewWorld() => new("us-east-1", "123456789012", "test-cluster", seed: 7);

    [Fact]
    public void CreateLoadBalancer_uses_real_arn_and_dns_shapes()
    {
        var world = NewWorld();
        var alb = world.CreateLoadBalancer(new LoadBalancerSpec { Name = "k8s-mlops-web", Type = LoadBalancerType.Application });
        var nlb = world.CreateLoadBalancer(new LoadBalancerSpec { Name = "k8s-mlops-api", Type = LoadBalancerType.Network, Scheme = "internal" });

        Assert.Matches(@"^arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/k8s-mlops-web/[0-9a-f]{16}$", alb.Arn);
        Assert.Matches(@"^k8s-mlops-web-\d{10}\.us-east-1\.elb\.amazonaws\.com$", alb.DnsName);
        Assert.Matches(@"^internal-k8s-mlops-api-[0-9a-f]{16}\.elb\.us-east-1\.amazonaws\.com$", nlb.DnsName);
        Assert.Equal($"net/k8s-mlops-api/{nlb.Id}", nlb.MetricDimension);
        Assert.True(AwsArns.IsLoadBalancerArn(alb.Arn));
        Assert.Equal(LoadBalancerStateCode.Provisioning, alb.State);
        Assert.Equal("60", alb.Attributes["idle_timeout.timeout_seconds"]);
    }

    [Fact]
    public void Same_seed_gives_same_ids()
    {
        var first = NewWorld().CreateLoadBalancer(new LoadBalancerSpec { Name = "a", Type = LoadBalancerType.Application });
        var second = NewWorld().CreateLoadBalancer(new LoadBalancerSpec { Name = "a", Type = LoadBalancerType.Application });
        Assert.Equal(first.Arn, second.Arn);
        Assert.Equal(first.DnsName, second.DnsName);
    }

    [Fact]
    public void Listener_links_target_groups_and_targets_leave_unused()
    {
        var world = NewWorld();
        var alb = world.CreateLoadBalancer(new LoadBalancerSpec { Name = "web", Type = LoadBalancerType.Application });
        var group = world.CreateTargetGroup(new TargetGroupSpec { Name = "web-tg", Protocol = "HTTP", Port = 8080 });
        world.RegisterTargets(group.Arn, [new TargetDescription("10.0.1.5", 8080, "us-east-1a")]);
        Assert.Equal(TargetHealthState.Unused, world.GetTargets(group.Arn)[0].Health.State);

        var listener = world.CreateListener(alb.Arn, new ListenerSpec { Port = 80, Protocol = "HTTP", DefaultActions = [RuleAction.Forward(group.Arn)] });

        Assert.Equal(alb.Arn, Assert.Single(world.GetTargetGroup(group.Arn).LoadBalancerArns));
        var target = world.GetTargets(group.Arn)[0];
        Assert.Equal(TargetHealthState.Initial, target.Health.State);
        Assert.Equal("Elb.RegistrationInProgress", target.Health.Reason);
        var rules = world.GetRules(listener.Arn);
        Assert.True(Assert.Single(rules).IsDefault);
        Assert.Equal("default", rules[0].Priority);
    }

    [Fact]
    public void Registering_a_registered_target_again_keeps_its_health_and_changes_nothing()
    {
        var world = NewWorld();
        var alb = world.CreateLoadBalancer(new LoadBalancerSpec { Name = "web", Type = LoadBalancerType.Application });
        var group = world.CreateTargetGroup(new TargetGroupSpec { Name = "web-tg", Protocol = "HTTP", Port = 8080 });
        world.CreateListener(alb.Arn, new ListenerSpec { Port = 80, Protocol = "HTTP", DefaultActions = [RuleAction.Forward(group.Arn)] });
        world.RegisterTargets(group.Arn, [new TargetDescription("10.0.1.5", 8080, "us-east-1a")]);
        world.SetTargetHealth(group.Arn, "10.0.1.5", 8080, TargetHealthState.Healthy, null, null);
        var healthy = Assert.Single(world.GetTargets(group.Arn));
        var version = world.Version;
        var changes = 0;
        world.Changed += _ => changes++;

        var again = world.RegisterTargets(group.Arn, [new TargetDescription("10.0.1.5", 8080, "us-east-1a")]);

        Assert.Equal(healthy, Assert.Single(again));
        Assert.Equal(TargetHealthState.Healthy, again[0].Health.State);
        Assert.Equal((version, 0), (world.Version, changes));

        // The same address on another port is another target; the registered one stays as it was.
        world.RegisterTargets(group.Arn, [new TargetDescription("10.0.1.5", 8080, "us-east-1a"), new TargetDescription("10.0.1.5", 9090, "us-east-1a")]);
        Assert.Equal([(8080, TargetHealthState.Healthy), (9090, TargetHealthState.Initial)],
            world.GetTargets(group.Arn).Select(t => (t.Port, t.Health.State)).OrderBy(t => t.Port));
        Assert.Equal(1, changes);
    }

    [Fact]
    public void Rules_are_ordered_by_priority_and_priorities_are_unique()
    {
        var world = NewWorld();
        var alb = world.CreateLoadBalancer(new LoadBalancerSpec { Name = "web", Type = LoadBalancerType.Application });
        var group = world.CreateTargetGroup(new TargetGroupSpec { Name = "web-tg", Protocol = "HTTP", Port = 80 });
        var listener = world.CreateListener(alb.Arn, new ListenerSpec { Port = 80, Protocol = "HTTP", DefaultActions = [RuleAction.Fixed("404")] });
        world.CreateRule(listener.Arn, 20, [RuleCondition.PathPattern("/b/*")], [RuleAction.Forward(group.Arn)]);
        world.CreateRule(listener.Arn, 10, [RuleCondition.HostHeader("a.example.com")], [RuleAction.Forward(group.Arn)]);

        Assert.Equal(["10", "20", "default"], world.GetRules(listener.Arn).Select(r => r.Priority));
        var error = Assert.Throws<AwsApiException>(() => world.CreateRule(listener.Arn, 10, [RuleCondition.PathPattern("/c")], [RuleAction.Forward(group.Arn)]));
        Assert.Equal("PriorityInUse", error.Code);
    }

    [Fact]
    public void Health_since_moves_only_on_state_change()
    {
        var world = NewWorld();
        var alb = world.CreateLoadBalancer(new LoadBalancerSpec { Name = "web", Type = LoadBalancerType.Application });
        var group = world.CreateTargetGroup(new TargetGroupSpec { Name = "web-tg", Protocol = "HTTP", Port = 80 });
        world.CreateListener(alb.Arn, new ListenerSpec { Port = 80, Protocol = "HTTP", DefaultActions = [RuleAction.Forward(group.Arn)] });
        world.RegisterTargets(group.Arn, [new TargetDescription("10.0.0.1", 80)]);

        var first = world.SetTargetHealth(group.Arn, "10.0.0.1", 80, TargetHealthState.Unhealthy, "Target.Timeout", "Request timed out");
        var second = world.SetTargetHealth(group.Arn, "10.0.0.1", 80, TargetHealthState.Unhealthy, "Target.ResponseCodeMismatch", "Health checks failed with these codes: [502]");

        Assert.Equal(first.Health.Since, second.Health.Since);
        Assert.Equal("Target.ResponseCodeMismatch", second.Health.Reason);
    }

    [Fact]
    public void Deregister_drains_in_use_targets_and_target_group_in_use_cannot_be_deleted()
    {
        var world = NewWorld();
        var alb = world.CreateLoadBalancer(new LoadBalancerSpec { Name = "web", Type = LoadBalancerType.Application });
        var group = world.CreateTargetGroup(new TargetGroupSpec { Name = "web-tg", Protocol = "HTTP", Port = 80 });
        world.CreateListener(alb.Arn, new ListenerSpec { Port = 80, Protocol = "HTTP", DefaultActions = [RuleAction.Forward(group.Arn)] });
        world.RegisterTargets(group.Arn, [new TargetDescription("10.0.0.1", 80)]);

        world.DeregisterTargets(group.Arn, [new TargetDescription("10.0.0.1", 80)]);

        Assert.Equal(TargetHealthState.Draining, world.GetTargets(group.Arn)[0].Health.State);
        Assert.Equal("ResourceInUse", Assert.Throws<AwsApiException>(() => world.DeleteTargetGroup(group.Arn)).Code);
        world.DeleteLoadBalancer(alb.Arn);
        Assert.Empty(world.GetTargetGroup(group.Arn).LoadBalancerArns);
        world.DeleteTargetGroup(group.Arn);
        Assert.Null(world.FindTargetGroup(group.Arn));
    }

    [Fact]
    public void Bad_input_names_the_field()
    {
        var world = NewWorld();
        var group = world.CreateTargetGroup(new TargetGroupSpec { Name = "tg", Protocol = "HTTP", Port = 80 });

        var unknown = Assert.Throws<AwsApiException>(() => world.ModifyTargetGroupAttributes(group.Arn, ImmutableDictionary<string, string>.Empty.Add("nope", "1")));
        var range = Assert.Throws<AwsApiException>(() => world.ModifyTargetGroupAttributes(group.Arn, ImmutableDictionary<string, string>.Empty.Add("deregistration_delay.timeout_seconds", "9000")));
        var nlbGroupOnAlb = world.CreateTargetGroup(new TargetGroupSpec { Name = "tcp", Protocol = "TCP", Port = 80 });
        var alb = world.CreateLoadBalancer(new LoadBalancerSpec { Name = "web", Type = LoadBalancerType.Application });
        var mismatch = Assert.Throws<AwsApiException>(() => world.CreateListener(alb.Arn, new ListenerSpec { Port = 80, Protocol = "HTTP", DefaultActions = [RuleAction.Forward(nlbGroupOnAlb.Arn)] }));

        Assert.Equal("ValidationError", unknown.Code);
        Assert.Contains("nope", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("deregistration_delay.timeout_seconds", range.Message, StringComparison.Ordinal);
        Assert.Equal("InvalidConfigurationRequest", mismatch.Code);
    }
}
