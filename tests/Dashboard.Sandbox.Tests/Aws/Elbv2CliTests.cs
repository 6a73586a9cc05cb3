using System.Text.Json;

namespace Dashboard.Sandbox.Tests.Aws;

/// <summary>The AWS CLI against the ELBv2 emulator: every Describe call it needs, parsed and compared with the world.</summary>
public sealed class Elbv2CliTests(AwsEmulatorFixture fixture) : IClassFixture<AwsEmulatorFixture>
{
    private AwsCli Cli => fixture.Cli;

    [Fact]
    public async Task DescribeLoadBalancers_returns_world_shapes()
    {
        var json = await Cli.JsonAsync("elbv2", "describe-load-balancers");

        var lbs = json.GetProperty("LoadBalancers").EnumerateArray().ToList();
        Assert.Equal(2, lbs.Count);
        var alb = lbs.Single(lb => lb.GetProperty("LoadBalancerArn").GetString() == fixture.Alb.Arn);
        Assert.Equal(fixture.Alb.DnsName, alb.GetProperty("DNSName").GetString());
        Assert.Equal("application", alb.GetProperty("Type").GetString());
        Assert.Equal("active", alb.GetProperty("State").GetProperty("Code").GetString());
        Assert.Equal("internet-facing", alb.GetProperty("Scheme").GetString());
        Assert.Equal(fixture.World.DefaultVpcId, alb.GetProperty("VpcId").GetString());
        Assert.Equal(3, alb.GetProperty("AvailabilityZones").GetArrayLength());
        Assert.Equal("sg-0123456789abcdef0", alb.GetProperty("SecurityGroups")[0].GetString());
        Assert.Equal(fixture.Alb.CreatedTime.ToUnixTimeSeconds(), DateTimeOffset.Parse(alb.GetProperty("CreatedTime").GetString()!, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds());
    }

    [Fact]
    public async Task DescribeLoadBalancers_page_size_one_returns_NextMarker_and_marker_fetches_next_page()
    {
        // CLI v1 treats --page-size as a manual paging argument for ELBv2 (its limit key is literally PageSize) and
        // turns automatic paging off, so the marker comes back and the next page is fetched by hand.
        var first = await Cli.JsonAsync("elbv2", "describe-load-balancers", "--page-size", "1");
        var marker = first.GetProperty("NextMarker").GetString()!;
        var second = await Cli.JsonAsync("elbv2", "describe-load-balancers", "--page-size", "1", "--marker", marker);

        Assert.Equal(fixture.Alb.Arn, Assert.Single(first.GetProperty("LoadBalancers").EnumerateArray().ToList()).GetProperty("LoadBalancerArn").GetString());
        Assert.Equal(fixture.Nlb.Arn, Assert.Single(second.GetProperty("LoadBalancers").EnumerateArray().ToList()).GetProperty("LoadBalancerArn").GetString());
        Assert.False(second.TryGetProperty("NextMarker", out _));
    }

    [Fact]
    public async Task DescribeLoadBalancers_by_unknown_name_is_LoadBalancerNotFound()
    {
        var result = await Cli.RunAsync("elbv2", "describe-load-balancers", "--names", "nope");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("LoadBalancerNotFound", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DescribeTargetGroups_of_load_balancer_with_health_check()
    {
        var json = await Cli.JsonAsync("elbv2", "describe-target-groups", "--load-balancer-arn", fixture.Alb.Arn);

        var groups = json.GetProperty("TargetGroups").EnumerateArray().ToList();
        Assert.Equal(new[] { fixture.WebGroup.Name, fixture.ApiGroup.Name }.Order(), groups.Select(g => g.GetProperty("TargetGroupName").GetString()).Order());
        var web = groups.Single(g => g.GetProperty("TargetGroupArn").GetString() == fixture.WebGroup.Arn);
        Assert.Equal(8080, web.GetProperty("Port").GetInt32());
        Assert.Equal("HTTP", web.GetProperty("HealthCheckProtocol").GetString());
        Assert.Equal("/", web.GetProperty("HealthCheckPath").GetString());
        Assert.Equal("200", web.GetProperty("Matcher").GetProperty("HttpCode").GetString());
        Assert.Equal(fixture.Alb.Arn, web.GetProperty("LoadBalancerArns")[0].GetString());
        Assert.Equal("ip", web.GetProperty("TargetType").GetString());
    }

    [Fact]
    public async Task DescribeTargetHealth_reports_states_and_reasons()
    {
        var json = await Cli.JsonAsync("elbv2", "describe-target-health", "--target-group-arn", fixture.WebGroup.Arn);

        var byId = json.GetProperty("TargetHealthDescriptions").EnumerateArray()
            .ToDictionary(d => d.GetProperty("Target").GetProperty("Id").GetString()!, d => d.GetProperty("TargetHealth"));
        Assert.Equal("healthy", byId["10.0.1.10"].GetProperty("State").GetString());
        Assert.Equal("unhealthy", byId["10.0.2.11"].GetProperty("State").GetString());
        Assert.Equal("Target.ResponseCodeMismatch", byId["10.0.2.11"].GetProperty("Reason").GetString());
        Assert.Equal("Health checks failed with these codes: [502]", byId["10.0.2.11"].GetProperty("Description").GetString());
    }

    [Fact]
    public async Task DescribeTargetHealth_of_unregistered_target_is_unused_NotRegistered()
    {
        var json = await Cli.JsonAsync("elbv2", "describe-target-health", "--target-group-arn", fixture.WebGroup.Arn, "--targets", "Id=10.9.9.9,Port=8080");

        var health = Assert.Single(json.GetProperty("TargetHealthDescriptions").EnumerateArray().ToList()).GetProperty("TargetHealth");
        Assert.Equal("unused", health.GetProperty("State").GetString());
        Assert.Equal("Target.NotRegistered", health.GetProperty("Reason").GetString());
    }

    [Fact]
    public async Task DescribeListeners_and_rules_carry_certificates_conditions_and_weights()
    {
        var listeners = await Cli.JsonAsync("elbv2", "describe-listeners", "--load-balancer-arn", fixture.Alb.Arn);
        var https = listeners.GetProperty("Listeners").EnumerateArray().Single(l => l.GetProperty("Port").GetInt32() == 443);
        Assert.Equal("HTTPS", https.GetProperty("Protocol").GetString());
        Assert.Equal("ELBSecurityPolicy-TLS13-1-2-2021-06", https.GetProperty("SslPolicy").GetString());
        Assert.StartsWith("arn:aws:acm:", https.GetProperty("Certificates")[0].GetProperty("CertificateArn").GetString(), StringComparison.Ordinal);
        Assert.Equal("404", https.GetProperty("DefaultActions")[0].GetProperty("FixedResponseConfig").GetProperty("StatusCode").GetString());

        var rules = (await Cli.JsonAsync("elbv2", "describe-rules", "--listener-arn", fixture.HttpsListener.Arn)).GetProperty("Rules").EnumerateArray().ToList();
        Assert.Equal(["10", "20", "default"], rules.Select(r => r.GetProperty("Priority").GetString()));
        Assert.True(rules[2].GetProperty("IsDefault").GetBoolean());
        var conditions = rules[0].GetProperty("Conditions").EnumerateArray().ToDictionary(c => c.GetProperty("Field").GetString()!, c => c.GetProperty("Values")[0].GetString());
        Assert.Equal("forecast.example.com", conditions["host-header"]);
        Assert.Equal("/api/*", conditions["path-pattern"]);
        Assert.Equal(fixture.ApiGroup.Arn, rules[0].GetProperty("Actions")[0].GetProperty("TargetGroupArn").GetString());
        var weights = rules[1].GetProperty("Actions")[0].GetProperty("ForwardConfig").GetProperty("TargetGroups").EnumerateArray()
            .ToDictionary(t => t.GetProperty("TargetGroupArn").GetString()!, t => t.GetProperty("Weight").GetInt32());
        Assert.Equal(80, weights[fixture.WebGroup.Arn]);
        Assert.Equal(20, weights[fixture.ApiGroup.Arn]);
    }

    [Fact]
    public async Task DescribeTags_returns_tags_per_arn()
    {
        var json = await Cli.JsonAsync("elbv2", "describe-tags", "--resource-arns", fixture.Alb.Arn, fixture.WebGroup.Arn);

        var byArn = json.GetProperty("TagDescriptions").EnumerateArray().ToDictionary(
            d => d.GetProperty("ResourceArn").GetString()!,
            d => d.GetProperty("Tags").EnumerateArray().ToDictionary(t => t.GetProperty("Key").GetString()!, t => t.GetProperty("Value").GetString()));
        Assert.Equal("mlops/retail-forecast", byArn[fixture.Alb.Arn]["ingress.k8s.aws/stack"]);
        Assert.Equal("retail-forecast-cluster", byArn[fixture.Alb.Arn]["elbv2.k8s.aws/cluster"]);
        Assert.Equal("forecast", byArn[fixture.WebGroup.Arn]["team"]);
    }

    [Fact]
    public async Task DescribeAttributes_of_load_balancer_and_target_group()
    {
        var lb = await Cli.JsonAsync("elbv2", "describe-load-balancer-attributes", "--load-balancer-arn", fixture.Alb.Arn);
        var tg = await Cli.JsonAsync("elbv2", "describe-target-group-attributes", "--target-group-arn", fixture.TcpGroup.Arn);

        Assert.Equal(fixture.World.GetLoadBalancer(fixture.Alb.Arn).Attributes, ToDictionary(lb));
        Assert.Equal(fixture.World.GetTargetGroup(fixture.TcpGroup.Arn).Attributes, ToDictionary(tg));
    }

    [Fact]
    public async Task Malformed_arn_is_a_ValidationError_naming_it()
    {
        var result = await Cli.RunAsync("elbv2", "describe-target-health", "--target-group-arn", "arn:aws:elasticloadbalancing:us-east-1:123:tg/bad");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("(ValidationError)", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("'arn:aws:elasticloadbalancing:us-east-1:123:tg/bad' is not a valid target group ARN", result.Stderr, StringComparison.Ordinal);
    }

    private static SortedDictionary<string, string> ToDictionary(JsonElement json) =>
        new(json.GetProperty("Attributes").EnumerateArray().ToDictionary(a => a.GetProperty("Key").GetString()!, a => a.GetProperty("Value").GetString()!), StringComparer.Ordinal);
}
