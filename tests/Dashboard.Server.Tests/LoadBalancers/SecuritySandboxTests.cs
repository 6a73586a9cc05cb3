using System.Collections.Immutable;
using Amazon.EC2.Model;
using Dashboard.Sandbox;
using Dashboard.Server.Aws;
using Dashboard.Server.Aws.CertificateManager;
using Dashboard.Server.Aws.Ec2;
using Dashboard.Server.Aws.ElasticLoadBalancing;
using Dashboard.Server.Aws.Waf;
using Dashboard.Server.LoadBalancers;
using Dashboard.Server.LoadBalancers.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Sim = Dashboard.Sandbox.Aws;

namespace Dashboard.Server.Tests.LoadBalancers;

/// <summary>
/// The security clients as the dashboard composes them in sandbox mode — AWSSDK.EC2 for EC2, the thin ACM and WAFv2
/// clients — signing real requests to the sandbox's AWS endpoint, and the reader that turns their answers into the
/// snapshot's security part (keeping the last good answer of a part that fails).
/// </summary>
public sealed class SecuritySandboxTests : IAsyncLifetime
{
    private SandboxHost _sandbox = null!;
    private ServiceProvider _services = null!;
    private Sim.LoadBalancer _alb = null!;
    private Sim.Listener _https = null!;
    private string _shopCertificate = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxHost.StartAsync(
            new SandboxOptions { KubernetesUrl = "http://127.0.0.1:0", AwsUrl = "http://127.0.0.1:0", LoadScenario = false, SimulateTargetHealth = false },
            loggerFactory: null,
            CancellationToken.None);
        var world = _sandbox.AwsWorld;
        _shopCertificate = world.GetCertificates().Single(c => c.DomainName == "shop.example.com").Arn;
        _alb = world.CreateLoadBalancer(new Sim.LoadBalancerSpec
        {
            Name = "k8s-shop-0a1b2c3d4e",
            Type = Sim.LoadBalancerType.Application,
            SecurityGroups = ["sg-0aaaabbbbccccdddd"],
            Tags = ImmutableDictionary<string, string>.Empty.Add("elbv2.k8s.aws/cluster", "retail-forecast-cluster").Add("ingress.k8s.aws/stack", "storefront/web"),
        });
        world.SetLoadBalancerState(_alb.Arn, Sim.LoadBalancerStateCode.Active);
        var web = world.CreateTargetGroup(new Sim.TargetGroupSpec { Name = "k8s-shop-web-1111111111", Protocol = "HTTP", Port = 3000, TargetType = "ip" });
        _https = world.CreateListener(_alb.Arn, new Sim.ListenerSpec
        {
            Port = 443,
            Protocol = "HTTPS",
            Certificates = [new Sim.ListenerCertificate(_shopCertificate, true)],
            DefaultActions = [Sim.RuleAction.Forward(web.Arn)],
        });
        world.RegisterTargets(web.Arn, [new Sim.TargetDescription("10.0.1.10", 3000, "us-east-1a")]);

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Dashboard:Source"] = "Sandbox",
            ["Dashboard:Aws:Retry:MaxAttempts"] = "1",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddDashboardAws(configuration);
        services.AddAwsCallMetering();
        services.AddSingleton<AwsSecurityReader>();
        _services = services.BuildServiceProvider();
        _services.GetRequiredService<AwsSandboxEndpoint>().Use(_sandbox.AwsUri);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    [Fact]
    public async Task AWSSDK_EC2_reads_the_sandbox_subnets_and_the_balancer_security_group_over_the_wire()
    {
        var ec2 = _services.GetRequiredService<Ec2ClientProvider>().Client;

        var subnets = await ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest
        {
            Filters = [new Filter { Name = "tag:kubernetes.io/role/internal-elb", Values = ["1"] }],
        });
        var groups = await ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { GroupIds = ["sg-0aaaabbbbccccdddd"] });
        var missing = await Assert.ThrowsAsync<Amazon.EC2.AmazonEC2Exception>(() => ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { GroupIds = ["sg-0000000000000dead"] }));

        Assert.Equal(["us-east-1a", "us-east-1b"], subnets.Subnets.Select(s => s.AvailabilityZone).Order());
        var group = Assert.Single(groups.SecurityGroups);
        var permission = Assert.Single(group.IpPermissions);
        Assert.Equal((443, 443, "0.0.0.0/0"), (permission.FromPort, permission.ToPort, Assert.Single(permission.Ipv4Ranges).CidrIp));
        Assert.Equal("InvalidGroup.NotFound", missing.ErrorCode);
        // The SDK's requests pass the dashboard's call metering like every other AWS call (the CloudWatch/API budget).
        var calls = _services.GetRequiredService<AwsCallStatistics>().Snapshot().ByAction;
        Assert.Equal(1, calls.GetValueOrDefault("Ec2:DescribeSubnets"));
        Assert.Equal(2, calls.GetValueOrDefault("Ec2:DescribeSecurityGroups"));
        Assert.DoesNotContain("Ec2:unknown", calls.Keys);
    }

    [Fact]
    public async Task The_ACM_client_describes_a_certificate_and_names_a_missing_one()
    {
        var acm = _services.GetRequiredService<ICertificateManagerClient>();

        var detail = await acm.DescribeCertificateAsync(_shopCertificate);
        var list = await acm.ListCertificatesAsync();
        var missing = await Assert.ThrowsAsync<AwsServiceException>(() => acm.DescribeCertificateAsync(_shopCertificate[..^4] + "ffff"));

        Assert.Equal("shop.example.com", detail.DomainName);
        Assert.Equal(["shop.example.com", "*.shop.example.com"], detail.SubjectAlternativeNames);
        Assert.InRange((detail.NotAfter!.Value - DateTimeOffset.UtcNow).TotalDays, 19.5, 20.5);
        Assert.Equal([_alb.Arn], detail.InUseBy);
        Assert.Contains(list, c => c.CertificateArn == _shopCertificate && c.InUse);
        Assert.Equal("ResourceNotFoundException", missing.ErrorCode);
    }

    [Fact]
    public async Task The_WAFv2_client_answers_null_until_a_web_acl_is_associated()
    {
        var waf = _services.GetRequiredService<IWafV2Client>();

        var before = await waf.GetWebAclForResourceAsync(_alb.Arn);
        var acls = await waf.ListWebAclsAsync();
        _sandbox.AwsWorld.AssociateWebAcl(_alb.Arn, acls.Single(a => a.Name == "shop-waf").Arn);
        var after = await waf.GetWebAclForResourceAsync(_alb.Arn);

        Assert.Null(before);
        Assert.Equal(["retail-forecast-waf", "shop-waf"], acls.Select(a => a.Name));
        Assert.Equal(("shop-waf", "Allow"), (after!.Name, after.DefaultAction));
        Assert.Equal(["AWSManagedRulesCommonRuleSet"], after.Rules);
    }

    [Fact]
    public async Task The_reader_fills_every_part_and_keeps_the_last_good_part_when_ACM_fails()
    {
        var elb = _services.GetRequiredService<IElasticLoadBalancingClient>();
        var reader = _services.GetRequiredService<AwsSecurityReader>();
        var balancers = await elb.DescribeLoadBalancersAsync();
        var listeners = await elb.DescribeListenersAsync(loadBalancerArn: _alb.Arn);
        var snapshot = new AwsSnapshot
        {
            LoadBalancers = [.. balancers],
            Listeners = ImmutableDictionary<string, ImmutableArray<Listener>>.Empty.Add(_alb.Arn, [.. listeners]),
        };

        var first = await reader.ReadAsync(snapshot, null, CancellationToken.None);
        _sandbox.AwsFaults.Add(new Sim.AwsFaultRule { Kind = Sim.AwsFaultKind.ServerError, Service = "acm", StatusCode = 500 });
        var second = await reader.ReadAsync(snapshot, first, CancellationToken.None);

        Assert.Empty(first.Errors);
        Assert.True(first.SecurityGroups.ContainsKey("sg-0aaaabbbbccccdddd"));
        Assert.Equal(6, first.Subnets.Length);
        Assert.True(first.Certificates[_shopCertificate].Covers("www.shop.example.com"));
        Assert.False(first.Certificates[_shopCertificate].Covers("a.b.shop.example.com"));
        Assert.True(first.WebAcls.ContainsKey(_alb.Arn));
        Assert.Contains("ACM could not be read", second.Errors[AwsSecurity.AcmPart], StringComparison.Ordinal);
        Assert.Same(first.Certificates, second.Certificates);
        Assert.Equal(first.AsOf[AwsSecurity.AcmPart], second.AsOf[AwsSecurity.AcmPart]);
        Assert.False(second.Errors.ContainsKey(AwsSecurity.Ec2Part));
    }
}
