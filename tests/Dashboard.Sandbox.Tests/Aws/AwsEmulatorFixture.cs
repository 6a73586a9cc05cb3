using System.Collections.Immutable;
using Dashboard.Sandbox.Aws;
using Dashboard.Sandbox.Aws.CloudWatch;
using Dashboard.Sandbox.Aws.CostExplorer;
using Dashboard.Sandbox.Aws.Emulator;

namespace Dashboard.Sandbox.Tests.Aws;

/// <summary>
/// One emulator on 127.0.0.1:0 with a small world built here: an ALB with two listeners, host and path rules and a
/// weighted forward; an NLB; targets in several health states; tags; history since ten days ago.
/// </summary>
public class AwsEmulatorFixture : IAsyncLifetime
{
    public AwsWorld World { get; } = new("us-east-1", "123456789012", "retail-forecast-cluster", seed: 42);
    public AwsFaults Faults { get; } = new(seed: 42);
    public AwsEmulator Emulator { get; private set; } = null!;
    public ElbTrafficModel Traffic { get; private set; } = null!;
    public AwsCli Cli { get; private set; } = null!;

    public LoadBalancer Alb { get; private set; } = null!;
    public LoadBalancer Nlb { get; private set; } = null!;
    public TargetGroup WebGroup { get; private set; } = null!;
    public TargetGroup ApiGroup { get; private set; } = null!;
    public TargetGroup TcpGroup { get; private set; } = null!;
    public Listener HttpsListener { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        var created = DateTimeOffset.UtcNow.AddDays(-10);
        Alb = World.CreateLoadBalancer(new LoadBalancerSpec
        {
            Name = "k8s-mlops-retailfo-0a1b2c3d4e",
            Type = LoadBalancerType.Application,
            CreatedTime = created,
            SecurityGroups = ["sg-0123456789abcdef0"],
            Tags = ImmutableDictionary<string, string>.Empty
                .Add("elbv2.k8s.aws/cluster", "retail-forecast-cluster")
                .Add("ingress.k8s.aws/stack", "mlops/retail-forecast")
                .Add("team", "forecast"),
        });
        Nlb = World.CreateLoadBalancer(new LoadBalancerSpec
        {
            Name = "k8s-mlops-retailap-5f6a7b8c9d",
            Type = LoadBalancerType.Network,
            CreatedTime = created.AddDays(2),
            Tags = ImmutableDictionary<string, string>.Empty.Add("service.k8s.aws/stack", "mlops/retail-api"),
        });
        World.SetLoadBalancerState(Alb.Arn, LoadBalancerStateCode.Active);
        World.SetLoadBalancerState(Nlb.Arn, LoadBalancerStateCode.Active);

        WebGroup = World.CreateTargetGroup(new TargetGroupSpec { Name = "k8s-mlops-web-1111111111", Protocol = "HTTP", Port = 8080, Tags = ImmutableDictionary<string, string>.Empty.Add("team", "forecast") });
        ApiGroup = World.CreateTargetGroup(new TargetGroupSpec { Name = "k8s-mlops-api-2222222222", Protocol = "HTTP", Port = 9000 });
        TcpGroup = World.CreateTargetGroup(new TargetGroupSpec { Name = "k8s-mlops-tcp-3333333333", Protocol = "TCP", Port = 5000 });

        World.CreateListener(Alb.Arn, new ListenerSpec { Port = 80, Protocol = "HTTP", DefaultActions = [RuleAction.Forward(WebGroup.Arn)] });
        HttpsListener = World.CreateListener(Alb.Arn, new ListenerSpec
        {
            Port = 443,
            Protocol = "HTTPS",
            Certificates = [new ListenerCertificate("arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666", true)],
            SslPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06",
            DefaultActions = [RuleAction.Fixed("404", "text/plain", "not found")],
        });
        World.CreateRule(HttpsListener.Arn, 10, [RuleCondition.HostHeader("forecast.example.com"), RuleCondition.PathPattern("/api/*")], [RuleAction.Forward(ApiGroup.Arn)]);
        World.CreateRule(HttpsListener.Arn, 20, [RuleCondition.PathPattern("/*")],
            [RuleAction.ForwardWeighted(new WeightedTargetGroup(WebGroup.Arn, 80), new WeightedTargetGroup(ApiGroup.Arn, 20))]);
        World.CreateListener(Nlb.Arn, new ListenerSpec { Port = 5000, Protocol = "TCP", DefaultActions = [RuleAction.Forward(TcpGroup.Arn)] });

        World.RegisterTargets(WebGroup.Arn, [new TargetDescription("10.0.1.10", 8080, "us-east-1a"), new TargetDescription("10.0.2.11", 8080, "us-east-1b")]);
        World.RegisterTargets(ApiGroup.Arn, [new TargetDescription("10.0.1.20", 9000, "us-east-1a")]);
        World.RegisterTargets(TcpGroup.Arn, [new TargetDescription("10.0.3.30", 5000, "us-east-1c")]);
        World.SetTargetHealth(WebGroup.Arn, "10.0.1.10", 8080, TargetHealthState.Healthy);
        World.SetTargetHealth(WebGroup.Arn, "10.0.2.11", 8080, TargetHealthState.Unhealthy, "Target.ResponseCodeMismatch", "Health checks failed with these codes: [502]");
        World.SetTargetHealth(ApiGroup.Arn, "10.0.1.20", 9000, TargetHealthState.Healthy);
        World.SetTargetHealth(TcpGroup.Arn, "10.0.3.30", 5000, TargetHealthState.Healthy);

        Traffic = new ElbTrafficModel(World);
        Traffic.SetProfile(Alb.Arn, new TrafficProfile { PeakRequestsPerSecond = 50 });
        Emulator = await AwsEmulator.StartAsync("http://127.0.0.1:0", World, Faults, Traffic, new ElbCostModel(Traffic), loggerFactory: null, CancellationToken.None);
        Cli = new AwsCli(Emulator.Uri);
    }

    public async Task DisposeAsync()
    {
        Cli.Dispose();
        await Emulator.DisposeAsync();
    }
}

/// <summary>The same world with one item per ELBv2 page and two groups per Cost Explorer page.</summary>
public sealed class PagedAwsEmulatorFixture : AwsEmulatorFixture
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Emulator.Elbv2DefaultPageSize = 1;
        Emulator.CostExplorerMaxGroupsPerPage = 2;
    }
}
