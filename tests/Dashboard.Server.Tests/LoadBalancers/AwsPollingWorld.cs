using System.Collections.Immutable;
using Dashboard.Benchmarks;
using Dashboard.Server.LoadBalancers;
using Microsoft.Extensions.Time.Testing;
using Sim = Dashboard.Sandbox.Aws;

namespace Dashboard.Server.Tests.LoadBalancers;

/// <summary>
/// A <see cref="SimulatedAwsPolling"/> on a <see cref="FakeTimeProvider"/> with short, test-friendly intervals (sweeps
/// an hour away so only the path under test reads), plus helpers that build balancers and target groups in the world.
/// </summary>
internal static class AwsPollingWorld
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);

    public static Task<SimulatedAwsPolling> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var time = new FakeTimeProvider(Start);
        var values = new Dictionary<string, string?>
        {
            ["Dashboard:Aws:Polling:ConfigurationInterval"] = "00:01:00",
            ["Dashboard:Aws:Polling:ConfigurationDetailsInterval"] = "01:00:00",
            ["Dashboard:Aws:Polling:FastInterval"] = "00:00:10",
            ["Dashboard:Aws:Polling:MetricsInterval"] = "00:01:00",
            ["Dashboard:Aws:Polling:SweepInterval"] = "01:00:00",
            ["Dashboard:Aws:Polling:MaxElbCallsPerMinute"] = "600",
            ["Dashboard:Aws:Polling:ElbBurst"] = "200",
            ["Dashboard:Aws:Polling:SweepElbCallsPerMinute"] = "600",
            ["Dashboard:Aws:Polling:BackoffInitialDelay"] = "00:00:05",
            ["Dashboard:Aws:Polling:BackoffMaxDelay"] = "00:00:20",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }
        return SimulatedAwsPolling.StartAsync(time, time.Advance, values);
    }

    public static (Sim.LoadBalancer LoadBalancer, Sim.Listener Listener) AddAlb(this Sim.AwsWorld world, string name, params (string Key, string Value)[] tags)
    {
        var alb = world.CreateLoadBalancer(new Sim.LoadBalancerSpec
        {
            Name = name,
            Type = Sim.LoadBalancerType.Application,
            State = Sim.LoadBalancerStateCode.Active,
            Tags = tags.ToImmutableDictionary(t => t.Key, t => t.Value),
        });
        var listener = world.CreateListener(alb.Arn, new Sim.ListenerSpec { Port = 80, Protocol = "HTTP", DefaultActions = [Sim.RuleAction.Fixed("404")] });
        return (alb, listener);
    }

    /// <summary>A target group behind <paramref name="listener"/> (rule at <paramref name="priority"/>) with healthy targets 10.x.y.z:8080.</summary>
    public static Sim.TargetGroup AddGroup(this Sim.AwsWorld world, Sim.Listener listener, string name, int priority, int targets)
    {
        var group = world.CreateTargetGroup(new Sim.TargetGroupSpec { Name = name, Protocol = "HTTP", Port = 8080 });
        world.CreateRule(listener.Arn, priority, [Sim.RuleCondition.PathPattern($"/{name}/*")], [Sim.RuleAction.Forward(group.Arn)]);
        var descriptions = Enumerable.Range(0, targets).Select(i => new Sim.TargetDescription(TargetIp(priority, i), 8080, "us-east-1a")).ToList();
        world.RegisterTargets(group.Arn, descriptions);
        foreach (var target in descriptions)
        {
            world.SetTargetHealth(group.Arn, target.Id, 8080, Sim.TargetHealthState.Healthy);
        }
        return group;
    }

    public static string TargetIp(int group, int index) => $"10.{group / 200}.{group % 200}.{index + 10}";

    public static TargetGroupHealth? HealthOf(this SimulatedAwsPolling aws, Sim.TargetGroup group) =>
        aws.Store.Current.TargetHealth.GetValueOrDefault(group.Arn);
}
