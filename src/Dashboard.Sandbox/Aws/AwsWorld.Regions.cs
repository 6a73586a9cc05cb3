using System.Collections.Immutable;
using Dashboard.Sandbox.Cluster;

namespace Dashboard.Sandbox.Aws;

public sealed partial class AwsWorld
{
    /// <summary>
    /// Whether this world holds the scenario's certificates and web ACLs (the scenario region). Other regions start
    /// without them, as a real account's other regions do.
    /// </summary>
    public bool HoldsScenarioSecurity { get; init; } = true;

    /// <summary>
    /// The small second region of the sandbox account (<c>Sandbox:SecondRegion</c>, default <c>eu-west-1</c>): one
    /// internet-facing ALB <c>retail-forecast-eu</c> made by hand (no cluster there, so no controller tags), an HTTP:80
    /// listener forwarding to the instance target group <c>retail-forecast-eu-tg</c> with two healthy instances, and an
    /// issued ACM certificate for <c>eu.retail-forecast.com</c>. Enough to prove that a request signed for this region
    /// sees this and nothing of the scenario's region.
    /// </summary>
    public static AwsWorld SecondRegion(SandboxOptions options, TimeProvider? timeProvider = null)
    {
        var region = options.SecondRegion;
        var world = new AwsWorld(region, options.AccountId, options.ClusterName, options.Seed ^ (int)(StableHash.Of(region) & 0x7fffffff), timeProvider)
        {
            HoldsScenarioSecurity = false,
        };
        var now = world.Now;
        var alb = world.CreateLoadBalancer(new LoadBalancerSpec
        {
            Name = "retail-forecast-eu",
            Type = LoadBalancerType.Application,
            CreatedTime = now.AddDays(-40),
            State = LoadBalancerStateCode.Active,
            Tags = ImmutableDictionary<string, string>.Empty.Add("Environment", "eu").Add("Owner", "retail-forecast"),
        });
        var group = world.CreateTargetGroup(new TargetGroupSpec { Name = "retail-forecast-eu-tg", Protocol = "HTTP", Port = 8080, TargetType = "instance" });
        var instances = new[] { ("i-0" + AwsArns.HexId(world.Seed, "eu/i/a")[..16], region + "a"), ("i-0" + AwsArns.HexId(world.Seed, "eu/i/b")[..16], region + "b") };
        world.RegisterTargets(group.Arn, instances.Select(i => new TargetDescription(i.Item1, 8080, i.Item2)));
        world.CreateListener(alb.Arn, new ListenerSpec { Port = 80, Protocol = "HTTP", DefaultActions = [RuleAction.Forward(group.Arn)] });
        foreach (var (id, _) in instances)
        {
            world.SetTargetHealth(group.Arn, id, 8080, TargetHealthState.Healthy);
        }
        var certificate = world.CertificateArn(StableHash.Uuid($"{world.Seed}/acm/eu"));
        world.PutCertificate(world.NewCertificate(certificate, "eu.retail-forecast.com", ["eu.retail-forecast.com"], now.AddDays(-30), now.AddDays(335)));
        return world;
    }
}
