using Dashboard.Sandbox.Aws;
using Dashboard.Sandbox.Aws.CloudWatch;
using Microsoft.Extensions.Time.Testing;

namespace Dashboard.Sandbox.Tests.Aws;

public sealed class ElbTrafficModelTests
{
    private static (AwsWorld World, ElbTrafficModel Model, LoadBalancer Alb, TargetGroup Group) Build(int seed = 3, TimeProvider? time = null)
    {
        var world = new AwsWorld("us-east-1", "123456789012", "c", seed, time);
        var alb = world.CreateLoadBalancer(new LoadBalancerSpec { Name = "web", Type = LoadBalancerType.Application, CreatedTime = world.TimeProvider.GetUtcNow().AddDays(-20) });
        var group = world.CreateTargetGroup(new TargetGroupSpec { Name = "web", Protocol = "HTTP", Port = 80 });
        world.CreateListener(alb.Arn, new ListenerSpec { Port = 80, Protocol = "HTTP", DefaultActions = [RuleAction.Forward(group.Arn)] });
        world.RegisterTargets(group.Arn, [new TargetDescription("10.0.0.1", 80)]);
        world.SetTargetHealth(group.Arn, "10.0.0.1", 80, TargetHealthState.Healthy);
        return (world, new ElbTrafficModel(world), alb, group);
    }

    private static MetricIdentity Lb(LoadBalancer lb, string name) =>
        new("AWS/ApplicationELB", name, new Dictionary<string, string> { ["LoadBalancer"] = lb.MetricDimension });

    [Fact]
    public void Same_seed_gives_same_datapoints_and_history_follows_the_retention_tiers()
    {
        var (_, first, alb, _) = Build();
        var (_, second, _, _) = Build();
        var end = ElbTrafficModel.AlignDown(DateTimeOffset.UtcNow, 3600);
        var start = end.AddDays(-25);
        var sum = new MetricStatistic(MetricStatisticKind.Sum);

        var a = first.GetDatapoints(Lb(alb, "RequestCount"), start, end, 3600, sum);
        var b = second.GetDatapoints(Lb(alb, "RequestCount"), start, end, 3600, sum);
        var minutes = first.GetDatapoints(Lb(alb, "RequestCount"), start, end, 60, sum);

        Assert.Equal(a, b);
        // Hourly data reaches back to the creation 20 days ago; one-minute data only 15 days.
        Assert.InRange(a.Count, 20 * 24 - 1, 20 * 24 + 1);
        Assert.True(a[0].Timestamp <= alb.CreatedTime.AddHours(1));
        Assert.True(minutes[0].Timestamp >= DateTimeOffset.UtcNow - ElbTrafficModel.Retention - TimeSpan.FromMinutes(2));
    }

    [Fact]
    public void No_traffic_profile_gives_no_datapoints_but_host_counts_remain()
    {
        var (_, model, alb, group) = Build();
        model.SetProfile(alb.Arn, new TrafficProfile { PeakRequestsPerSecond = 0 });
        var end = DateTimeOffset.UtcNow;
        var hosts = new MetricIdentity("AWS/ApplicationELB", "HealthyHostCount",
            new Dictionary<string, string> { ["LoadBalancer"] = alb.MetricDimension, ["TargetGroup"] = group.MetricDimension });

        Assert.Empty(model.GetDatapoints(Lb(alb, "RequestCount"), end.AddHours(-2), end, 60, new MetricStatistic(MetricStatisticKind.Sum)));
        Assert.All(model.GetDatapoints(hosts, end.AddHours(-2), end, 60, new MetricStatistic(MetricStatisticKind.Maximum)), p => Assert.Equal(1, p.Value));
    }

    [Fact]
    public void Target_group_without_healthy_targets_fails_open_with_5xx_and_percentiles_order()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 6, 4, 14, 0, 0, TimeSpan.Zero));
        var (world, model, alb, group) = Build(time: time);
        var change = time.GetUtcNow();
        world.SetTargetHealth(group.Arn, "10.0.0.1", 80, TargetHealthState.Unhealthy, "Target.Timeout", "Request timed out");
        time.Advance(TimeSpan.FromMinutes(11));
        var sum = new MetricStatistic(MetricStatisticKind.Sum);

        var before = model.GetDatapoints(Lb(alb, "HTTPCode_Target_5XX_Count"), change.AddMinutes(-10), change, 600, sum).Sum(p => p.Value);
        var after = model.GetDatapoints(Lb(alb, "HTTPCode_Target_5XX_Count"), change, change.AddMinutes(10), 600, sum).Sum(p => p.Value);
        var requests = model.GetDatapoints(Lb(alb, "RequestCount"), change, change.AddMinutes(10), 600, sum).Sum(p => p.Value);
        var p50 = model.GetDatapoints(Lb(alb, "TargetResponseTime"), change.AddHours(-3), change.AddHours(-2), 3600, MetricStatistic.Parse("p50", "Stat"))[0].Value;
        var p99 = model.GetDatapoints(Lb(alb, "TargetResponseTime"), change.AddHours(-3), change.AddHours(-2), 3600, MetricStatistic.Parse("p99", "Stat"))[0].Value;

        Assert.True(after > 10 * Math.Max(1, before), $"5xx after {after} should dwarf 5xx before {before}");
        Assert.InRange(after / requests, 0.4, 0.6);
        Assert.True(p99 > p50 * 2, $"p99 {p99} should be well above p50 {p50}");
        Assert.Equal(1.6448536269514722, ElbTrafficModel.InverseNormal(0.95), 6);
    }

    [Fact]
    public void Hourly_lcu_is_zero_before_creation()
    {
        var (_, model, alb, _) = Build();

        Assert.Equal(0, model.HourlyLcu(alb, alb.CreatedTime.AddHours(-2)));
        Assert.True(model.HourlyLcu(alb, alb.CreatedTime.AddHours(1)) > 0);
    }
}
