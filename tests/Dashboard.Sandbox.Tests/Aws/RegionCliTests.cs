using System.Text.Json;
using Dashboard.Sandbox.Aws;

namespace Dashboard.Sandbox.Tests.Aws;

/// <summary>The fixture's us-east-1 world plus the sandbox's second region (eu-west-1) and CLIs signing for other regions.</summary>
public sealed class RegionsFixture : AwsEmulatorFixture, IAsyncLifetime
{
    public AwsWorld Europe { get; private set; } = null!;
    public AwsCli EuropeCli { get; private set; } = null!;
    public AwsCli MumbaiCli { get; private set; } = null!;
    public AwsCli NowhereCli { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Europe = AwsWorld.SecondRegion(new SandboxOptions { SecondRegion = "eu-west-1" });
        Emulator.AddRegion(Europe);
        EuropeCli = new AwsCli(Emulator.Uri) { Region = "eu-west-1" };
        MumbaiCli = new AwsCli(Emulator.Uri) { Region = "ap-south-1" };
        NowhereCli = new AwsCli(Emulator.Uri) { Region = "moon-base-1x" };
    }

    public new async Task DisposeAsync()
    {
        EuropeCli.Dispose();
        MumbaiCli.Dispose();
        NowhereCli.Dispose();
        await base.DisposeAsync();
    }
}

/// <summary>
/// Regions, judged by the AWS CLI with <c>--region</c>: an AWS account is a separate set of resources per region, so a
/// request signed for one region lists that region's load balancers, subnets, certificates and web ACLs and never another
/// region's; ARNs and DNS names carry the region; a region with nothing in it answers empty lists, not errors; a credential
/// scope that names no region is refused as AWS refuses it.
/// </summary>
public sealed class RegionCliTests(RegionsFixture fixture) : IClassFixture<RegionsFixture>
{
    private static List<string> Names(JsonElement json, string list, string field) =>
        [.. json.GetProperty(list).EnumerateArray().Select(e => e.GetProperty(field).GetString()!).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Each_region_lists_only_its_own_load_balancers()
    {
        var virginia = await fixture.Cli.JsonAsync("elbv2", "describe-load-balancers");
        var ireland = await fixture.EuropeCli.JsonAsync("elbv2", "describe-load-balancers");
        var mumbai = await fixture.MumbaiCli.JsonAsync("elbv2", "describe-load-balancers");
        var crossRegion = await fixture.EuropeCli.RunAsync("elbv2", "describe-load-balancers", "--load-balancer-arns", fixture.Alb.Arn);

        Assert.Equal(new[] { fixture.Alb.Name, fixture.Nlb.Name }.Order(StringComparer.Ordinal), Names(virginia, "LoadBalancers", "LoadBalancerName"));
        var europe = Assert.Single(ireland.GetProperty("LoadBalancers").EnumerateArray());
        Assert.Equal("retail-forecast-eu", europe.GetProperty("LoadBalancerName").GetString());
        Assert.StartsWith("arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/retail-forecast-eu/", europe.GetProperty("LoadBalancerArn").GetString(), StringComparison.Ordinal);
        Assert.Matches(@"^retail-forecast-eu-\d+\.eu-west-1\.elb\.amazonaws\.com$", europe.GetProperty("DNSName").GetString());
        Assert.All(europe.GetProperty("AvailabilityZones").EnumerateArray(), z => Assert.StartsWith("eu-west-1", z.GetProperty("ZoneName").GetString(), StringComparison.Ordinal));
        Assert.Empty(mumbai.GetProperty("LoadBalancers").EnumerateArray());
        // us-east-1's balancer does not exist in eu-west-1.
        Assert.NotEqual(0, crossRegion.ExitCode);
        Assert.Contains("(LoadBalancerNotFound)", crossRegion.Stderr, StringComparison.Ordinal);
        Assert.Contains("One or more load balancers not found", crossRegion.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Target_groups_and_health_are_regional()
    {
        var groups = await fixture.EuropeCli.JsonAsync("elbv2", "describe-target-groups");
        var group = Assert.Single(groups.GetProperty("TargetGroups").EnumerateArray());
        var health = await fixture.EuropeCli.JsonAsync("elbv2", "describe-target-health", "--target-group-arn", group.GetProperty("TargetGroupArn").GetString()!);
        var elsewhere = await fixture.Cli.RunAsync("elbv2", "describe-target-health", "--target-group-arn", group.GetProperty("TargetGroupArn").GetString()!);

        Assert.Equal("retail-forecast-eu-tg", group.GetProperty("TargetGroupName").GetString());
        Assert.Equal("instance", group.GetProperty("TargetType").GetString());
        Assert.Equal(["healthy", "healthy"], health.GetProperty("TargetHealthDescriptions").EnumerateArray().Select(d => d.GetProperty("TargetHealth").GetProperty("State").GetString()));
        Assert.NotEqual(0, elsewhere.ExitCode);
        Assert.Contains("(TargetGroupNotFound)", elsewhere.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subnets_certificates_and_web_acls_are_regional()
    {
        var subnets = await fixture.EuropeCli.JsonAsync("ec2", "describe-subnets");
        var virginiaCertificates = await fixture.Cli.JsonAsync("acm", "list-certificates");
        var irelandCertificates = await fixture.EuropeCli.JsonAsync("acm", "list-certificates");
        var virginiaAcls = await fixture.Cli.JsonAsync("wafv2", "list-web-acls", "--scope", "REGIONAL");
        var irelandAcls = await fixture.EuropeCli.JsonAsync("wafv2", "list-web-acls", "--scope", "REGIONAL");

        Assert.Equal(6, subnets.GetProperty("Subnets").GetArrayLength());
        Assert.All(subnets.GetProperty("Subnets").EnumerateArray(), s => Assert.StartsWith("eu-west-1", s.GetProperty("AvailabilityZone").GetString(), StringComparison.Ordinal));
        Assert.Equal(["eu.retail-forecast.com"], Names(irelandCertificates, "CertificateSummaryList", "DomainName"));
        Assert.StartsWith("arn:aws:acm:eu-west-1:", irelandCertificates.GetProperty("CertificateSummaryList")[0].GetProperty("CertificateArn").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("eu.retail-forecast.com", Names(virginiaCertificates, "CertificateSummaryList", "DomainName"));
        Assert.Contains("retail-forecast-waf", Names(virginiaAcls, "WebACLs", "Name"));
        Assert.Empty(irelandAcls.GetProperty("WebACLs").EnumerateArray());
    }

    [Fact]
    public async Task CloudWatch_publishes_a_balancers_metrics_in_its_own_region_only()
    {
        var alb = fixture.Europe.GetLoadBalancers().Single();
        var end = DateTimeOffset.UtcNow.AddMinutes(-5);
        var queries = JsonSerializer.Serialize(new object[]
        {
            new
            {
                Id = "requests",
                MetricStat = new
                {
                    Metric = new { Namespace = "AWS/ApplicationELB", MetricName = "RequestCount", Dimensions = new[] { new { Name = "LoadBalancer", Value = alb.MetricDimension } } },
                    Period = 300,
                    Stat = "Sum",
                },
            },
        });
        string[] Args() => ["cloudwatch", "get-metric-data", "--metric-data-queries", queries, "--start-time", end.AddHours(-2).ToString("yyyy-MM-ddTHH:mm:ssZ"), "--end-time", end.ToString("yyyy-MM-ddTHH:mm:ssZ")];

        var ireland = await fixture.EuropeCli.JsonAsync(Args());
        var virginia = await fixture.Cli.JsonAsync(Args());

        Assert.NotEmpty(ireland.GetProperty("MetricDataResults")[0].GetProperty("Values").EnumerateArray());
        Assert.Empty(virginia.GetProperty("MetricDataResults")[0].GetProperty("Values").EnumerateArray());
    }

    [Fact]
    public async Task A_credential_scope_naming_no_region_is_refused()
    {
        var result = await fixture.NowhereCli.RunAsync("elbv2", "describe-load-balancers");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("(SignatureDoesNotMatch)", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("Credential should be scoped to a valid region, not 'moon-base-1x'.", result.Stderr, StringComparison.Ordinal);
    }
}
