using System.Collections.Immutable;
using Dashboard.Sandbox;
using Dashboard.Server.Aws;
using Dashboard.Server.Aws.CloudWatch;
using Dashboard.Server.Aws.CostExplorer;
using Dashboard.Server.Aws.ElasticLoadBalancing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Sim = Dashboard.Sandbox.Aws;

namespace Dashboard.Server.Tests.Aws;

/// <summary>
/// The clients against the sandbox's emulated AWS endpoint (SigV4-checked, real wire protocols), composed as the
/// dashboard composes them in sandbox mode: <see cref="AwsSandboxEndpoint.Use"/> with <c>SandboxHost.AwsUri</c>.
/// </summary>
public sealed class SandboxAwsEndpointTests : IAsyncLifetime
{
    private SandboxHost _sandbox = null!;
    private ServiceProvider _services = null!;
    private Sim.LoadBalancer _alb = null!;
    private Sim.TargetGroup _web = null!;
    private Sim.Listener _http = null!;

    private IElasticLoadBalancingClient Elb => _services.GetRequiredService<IElasticLoadBalancingClient>();

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxHost.StartAsync(
            new SandboxOptions { KubernetesUrl = "http://127.0.0.1:0", AwsUrl = "http://127.0.0.1:0", LoadScenario = false, SimulateTargetHealth = false },
            loggerFactory: null,
            CancellationToken.None);
        var world = _sandbox.AwsWorld;
        _alb = world.CreateLoadBalancer(new Sim.LoadBalancerSpec
        {
            Name = "k8s-mlops-retailfo-0a1b2c3d4e",
            Type = Sim.LoadBalancerType.Application,
            CreatedTime = DateTimeOffset.UtcNow.AddDays(-3),
            Tags = ImmutableDictionary<string, string>.Empty.Add("elbv2.k8s.aws/cluster", "retail-forecast-cluster").Add("ingress.k8s.aws/stack", "mlops/retail-forecast"),
        });
        world.SetLoadBalancerState(_alb.Arn, Sim.LoadBalancerStateCode.Active);
        _web = world.CreateTargetGroup(new Sim.TargetGroupSpec { Name = "k8s-mlops-web-1111111111", Protocol = "HTTP", Port = 8080 });
        _http = world.CreateListener(_alb.Arn, new Sim.ListenerSpec { Port = 80, Protocol = "HTTP", DefaultActions = [Sim.RuleAction.Fixed("404", "text/plain", "not found")] });
        world.CreateRule(_http.Arn, 10, [Sim.RuleCondition.PathPattern("/predict/*")], [Sim.RuleAction.Forward(_web.Arn)]);
        world.RegisterTargets(_web.Arn, [new Sim.TargetDescription("10.0.1.10", 8080, "us-east-1a"), new Sim.TargetDescription("10.0.2.11", 8080, "us-east-1b")]);
        world.SetTargetHealth(_web.Arn, "10.0.1.10", 8080, Sim.TargetHealthState.Healthy);
        world.SetTargetHealth(_web.Arn, "10.0.2.11", 8080, Sim.TargetHealthState.Unhealthy, "Target.Timeout", "Request timed out");
        _sandbox.AwsTraffic.SetProfile(_alb.Arn, new Sim.CloudWatch.TrafficProfile { PeakRequestsPerSecond = 50 });

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Dashboard:Source"] = "Sandbox",
            ["Dashboard:Aws:Retry:BaseDelay"] = "00:00:00.010",
            ["Dashboard:Aws:Retry:MaxDelay"] = "00:00:00.050",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDashboardAws(configuration);
        _services = services.BuildServiceProvider();
        _services.GetRequiredService<AwsSandboxEndpoint>().Use(_sandbox.AwsUri);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    [Fact]
    public async Task The_load_balancer_its_listener_rules_target_group_health_and_tags_read_back()
    {
        var loadBalancer = Assert.Single(await Elb.DescribeLoadBalancersAsync());
        Assert.Equal(_alb.Arn, loadBalancer.LoadBalancerArn);
        Assert.Equal("application", loadBalancer.Type);
        Assert.Equal("active", loadBalancer.State?.Code);
        Assert.False(string.IsNullOrEmpty(loadBalancer.DnsName));

        var listener = Assert.Single(await Elb.DescribeListenersAsync(loadBalancerArn: _alb.Arn));
        Assert.Equal((80, "HTTP"), (listener.Port, listener.Protocol));

        var rules = await Elb.DescribeRulesAsync(listenerArn: listener.ListenerArn);
        var rule = Assert.Single(rules, r => !r.IsDefault);
        Assert.Equal("10", rule.Priority);
        Assert.Equal(["/predict/*"], Assert.Single(rule.Conditions).Values);
        Assert.Equal(_web.Arn, Assert.Single(rule.Actions).TargetGroupArn ?? rule.Actions[0].ForwardConfig?.TargetGroups[0].TargetGroupArn);

        var group = Assert.Single(await Elb.DescribeTargetGroupsAsync());
        Assert.Equal((_web.Arn, 8080), (group.TargetGroupArn, group.Port));

        var health = await Elb.DescribeTargetHealthAsync(_web.Arn);
        Assert.Equal(TargetHealthState.Healthy, health.Single(h => h.Target.Id == "10.0.1.10").TargetHealth.State);
        var unhealthy = health.Single(h => h.Target.Id == "10.0.2.11").TargetHealth;
        Assert.Equal((TargetHealthState.Unhealthy, "Target.Timeout"), (unhealthy.State, unhealthy.Reason));

        var tags = Assert.Single(await Elb.DescribeTagsAsync([_alb.Arn]));
        Assert.Contains(new Tag("elbv2.k8s.aws/cluster", "retail-forecast-cluster"), tags.Tags);

        Assert.NotEmpty(await Elb.DescribeLoadBalancerAttributesAsync(_alb.Arn));
        Assert.NotEmpty(await Elb.DescribeTargetGroupAttributesAsync(_web.Arn));
    }

    [Fact]
    public async Task Throttling_injected_by_the_sandbox_is_retried_through()
    {
        _sandbox.AwsFaults.Add(new Sim.AwsFaultRule { Kind = Sim.AwsFaultKind.Throttle, Service = "elasticloadbalancing", Action = "DescribeTargetHealth", Count = 2 });

        var health = await Elb.DescribeTargetHealthAsync(_web.Arn);

        Assert.Equal(2, health.Count);
    }

    [Fact]
    public async Task Request_counts_come_back_from_GetMetricData()
    {
        var dimension = _alb.Arn[(_alb.Arn.IndexOf(":loadbalancer/", StringComparison.Ordinal) + ":loadbalancer/".Length)..];
        var end = DateTimeOffset.UtcNow;
        var response = await _services.GetRequiredService<ICloudWatchClient>().GetMetricDataAsync(
            [new MetricDataQuery
            {
                Id = "requests",
                MetricStat = new MetricStat
                {
                    Metric = new Metric { Namespace = "AWS/ApplicationELB", MetricName = "RequestCount", Dimensions = [new Dimension("LoadBalancer", dimension)] },
                    Period = 300,
                    Stat = "Sum",
                },
            }],
            end.AddHours(-2),
            end);

        var result = Assert.Single(response.MetricDataResults);
        Assert.NotEmpty(result.Values);
        Assert.Equal(result.Values.Count, result.Timestamps.Count);
        Assert.Contains(result.Values, v => v > 0);
    }

    [Fact]
    public async Task Load_balancing_costs_come_back_from_cost_explorer()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var costs = await _services.GetRequiredService<ICostExplorerClient>().GetCostAndUsageAsync(new CostAndUsageRequest
        {
            TimePeriod = DateInterval.Of(today.AddDays(-2), today),
            Granularity = Granularity.Daily,
            Metrics = ["UnblendedCost"],
            Filter = CostExpression.Dimension("SERVICE", "Amazon Elastic Load Balancing"),
            GroupBy = [new GroupDefinition(GroupDefinitionType.Tag, "elbv2.k8s.aws/cluster")],
        });

        Assert.Equal(2, costs.ResultsByTime.Count);
        Assert.Contains(costs.ResultsByTime.SelectMany(r => r.Groups), g => g.Keys[0] == "elbv2.k8s.aws/cluster$retail-forecast-cluster" && g.Metrics["UnblendedCost"].Amount > 0);
    }
}
