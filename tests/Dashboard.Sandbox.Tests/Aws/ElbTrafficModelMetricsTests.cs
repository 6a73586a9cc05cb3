using Dashboard.Sandbox.Aws;
using Dashboard.Sandbox.Aws.CloudWatch;
using Microsoft.Extensions.Time.Testing;

namespace Dashboard.Sandbox.Tests.Aws;

/// <summary>The metrics the charts add: connection errors and 502s while targets are unhealthy, and the publication delay.</summary>
public sealed class ElbTrafficModelMetricsTests
{
    private static readonly MetricStatistic Sum = new(MetricStatisticKind.Sum);

    private static (AwsWorld World, ElbTrafficModel Model, LoadBalancer Alb, TargetGroup Group, FakeTimeProvider Time) Build()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 6, 4, 14, 0, 0, TimeSpan.Zero));
        var world = new AwsWorld("us-east-1", "123456789012", "c", 5, time);
        var alb = world.CreateLoadBalancer(new LoadBalancerSpec { Name = "web", Type = LoadBalancerType.Application, CreatedTime = time.GetUtcNow().AddDays(-1) });
        var group = world.CreateTargetGroup(new TargetGroupSpec { Name = "web", Protocol = "HTTP", Port = 80 });
        world.CreateListener(alb.Arn, new ListenerSpec { Port = 80, Protocol = "HTTP", DefaultActions = [RuleAction.Forward(group.Arn)] });
        world.RegisterTargets(group.Arn, [new TargetDescription("10.0.0.1", 80), new TargetDescription("10.0.0.2", 80)]);
        world.SetTargetHealth(group.Arn, "10.0.0.1", 80, TargetHealthState.Healthy);
        world.SetTargetHealth(group.Arn, "10.0.0.2", 80, TargetHealthState.Healthy);
        var model = new ElbTrafficModel(world);
        model.SetProfile(alb.Arn, new TrafficProfile { PeakRequestsPerSecond = 100 });
        return (world, model, alb, group, time);
    }

    private static MetricIdentity Lb(LoadBalancer lb, string name) =>
        new("AWS/ApplicationELB", name, new Dictionary<string, string> { ["LoadBalancer"] = lb.MetricDimension });

    [Fact]
    public void An_unhealthy_target_brings_502s_and_connection_errors_from_the_minute_it_turned()
    {
        var (world, model, alb, group, time) = Build();
        var turned = time.GetUtcNow();
        world.SetTargetHealth(group.Arn, "10.0.0.2", 80, TargetHealthState.Unhealthy, "Target.Timeout", "Request timed out");
        time.Advance(TimeSpan.FromMinutes(10));

        var errors = model.GetDatapoints(Lb(alb, "TargetConnectionErrorCount"), turned.AddMinutes(-10), turned.AddMinutes(9), 60, Sum);
        var before = model.GetDatapoints(Lb(alb, "HTTPCode_ELB_502_Count"), turned.AddMinutes(-10), turned, 60, Sum).Sum(p => p.Value);
        var after = model.GetDatapoints(Lb(alb, "HTTPCode_ELB_502_Count"), turned, turned.AddMinutes(9), 60, Sum).Sum(p => p.Value);

        Assert.NotEmpty(errors);
        Assert.All(errors, p => Assert.True(p.Timestamp >= turned, $"connection errors at {p.Timestamp:O}, before the target turned"));
        Assert.True(after > before * 2, $"502s after {after}, before {before} (same number of minutes)");
    }

    [Fact]
    public void Counts_appear_only_after_the_publication_delay()
    {
        var (_, model, alb, _, time) = Build();
        var now = time.GetUtcNow();
        var requests = Lb(alb, "RequestCount");

        var immediate = model.GetDatapoints(requests, now.AddMinutes(-10), now, 60, Sum);
        model.PublicationDelay = TimeSpan.FromMinutes(2);
        var delayed = model.GetDatapoints(requests, now.AddMinutes(-10), now, 60, Sum);

        Assert.Equal(now.AddMinutes(-1), immediate[^1].Timestamp);
        Assert.Equal(now.AddMinutes(-3), delayed[^1].Timestamp);
        Assert.Equal(immediate.SkipLast(2), delayed);
    }

    [Fact]
    public void Host_counts_per_zone_count_the_targets_of_that_zone()
    {
        var (world, model, alb, _, _) = Build();
        var group = world.CreateTargetGroup(new TargetGroupSpec { Name = "zoned", Protocol = "HTTP", Port = 81 });
        world.CreateListener(alb.Arn, new ListenerSpec { Port = 81, Protocol = "HTTP", DefaultActions = [RuleAction.Forward(group.Arn)] });
        var zones = alb.AvailabilityZones.Select(z => z.ZoneName).ToList();
        world.RegisterTargets(group.Arn, [new TargetDescription("10.0.1.1", 81, zones[0]), new TargetDescription("10.0.1.2", 81, zones[0]), new TargetDescription("10.0.2.1", 81, zones[1])]);
        foreach (var ip in new[] { "10.0.1.1", "10.0.1.2", "10.0.2.1" })
        {
            world.SetTargetHealth(group.Arn, ip, 81, TargetHealthState.Healthy);
        }
        var now = time(world);

        double Healthy(string zone) => model.GetDatapoints(new MetricIdentity("AWS/ApplicationELB", "HealthyHostCount", new Dictionary<string, string>
        {
            ["LoadBalancer"] = alb.MetricDimension,
            ["TargetGroup"] = group.MetricDimension,
            ["AvailabilityZone"] = zone,
        }), now.AddMinutes(-3), now.AddMinutes(1), 60, new MetricStatistic(MetricStatisticKind.Maximum))[^1].Value;

        Assert.Equal(2, Healthy(zones[0]));
        Assert.Equal(1, Healthy(zones[1]));

        static DateTimeOffset time(AwsWorld w) => w.TimeProvider.GetUtcNow();
    }
}
