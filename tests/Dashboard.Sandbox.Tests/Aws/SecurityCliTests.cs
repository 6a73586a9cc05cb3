using System.Text.Json;
using Dashboard.Sandbox.Aws.CertificateManager;

namespace Dashboard.Sandbox.Tests.Aws;

/// <summary>
/// The AWS CLI as the judge of the sandbox's EC2 (Query), ACM and WAFv2 (JSON 1.1): what an operator runs when locking an
/// endpoint down — subnets and their role tags, security groups and rules, balancer interfaces, certificates, web ACLs.
/// </summary>
public sealed class SecurityCliTests(AwsEmulatorFixture fixture) : IClassFixture<AwsEmulatorFixture>
{
    private AwsCli Cli => fixture.Cli;

    private string AlbGroup => fixture.Alb.SecurityGroups[0];

    [Fact]
    public async Task DescribeSubnets_lists_public_and_private_subnets_and_filters_by_role_tag()
    {
        var all = await Cli.JsonAsync("ec2", "describe-subnets");
        var internalTagged = await Cli.JsonAsync("ec2", "describe-subnets", "--filters", "Name=tag:kubernetes.io/role/internal-elb,Values=1");
        var inZone = await Cli.JsonAsync("ec2", "describe-subnets", "--filters", "Name=availability-zone,Values=us-east-1*", "Name=tag-key,Values=kubernetes.io/role/elb");

        var subnets = all.GetProperty("Subnets").EnumerateArray().ToList();
        Assert.Equal(6, subnets.Count);
        Assert.All(subnets, s => Assert.Equal(fixture.World.DefaultVpcId, s.GetProperty("VpcId").GetString()));
        Assert.Equal(3, subnets.Count(s => s.GetProperty("MapPublicIpOnLaunch").GetBoolean()));
        // The planted mistake: the private subnet of zone c has no internal-elb role tag.
        Assert.Equal(["us-east-1a", "us-east-1b"], internalTagged.GetProperty("Subnets").EnumerateArray().Select(s => s.GetProperty("AvailabilityZone").GetString()).Order());
        Assert.Equal(3, inZone.GetProperty("Subnets").GetArrayLength());
        // The ALB's nodes take addresses from the public subnets.
        var albSubnet = fixture.Alb.AvailabilityZones[0].SubnetId;
        var free = subnets.Single(s => s.GetProperty("SubnetId").GetString() == albSubnet).GetProperty("AvailableIpAddressCount").GetInt32();
        Assert.True(free < 4091, $"free addresses {free} should count the balancers' interfaces");
    }

    [Fact]
    public async Task DescribeSecurityGroups_shows_the_balancer_group_open_on_its_listener_ports_and_the_cluster_group_letting_it_reach_the_targets()
    {
        var json = await Cli.JsonAsync("ec2", "describe-security-groups", "--group-ids", AlbGroup, fixture.World.ClusterSecurityGroupId);

        var groups = json.GetProperty("SecurityGroups").EnumerateArray().ToDictionary(g => g.GetProperty("GroupId").GetString()!);
        var alb = groups[AlbGroup];
        var inbound = alb.GetProperty("IpPermissions").EnumerateArray()
            .Select(p => (p.GetProperty("FromPort").GetInt32(), p.GetProperty("IpRanges")[0].GetProperty("CidrIp").GetString())).Order().ToList();
        Assert.Equal([(80, "0.0.0.0/0"), (443, "0.0.0.0/0")], inbound);
        var cluster = groups[fixture.World.ClusterSecurityGroupId];
        var fromAlb = cluster.GetProperty("IpPermissions").EnumerateArray()
            .Where(p => p.GetProperty("UserIdGroupPairs").EnumerateArray().Any(g => g.GetProperty("GroupId").GetString() == AlbGroup))
            .Select(p => p.GetProperty("FromPort").GetInt32()).Order().ToList();
        Assert.Equal([8080, 9000], fromAlb);
        Assert.Contains(cluster.GetProperty("Tags").EnumerateArray(), t => t.GetProperty("Key").GetString() == "aws:eks:cluster-name");
    }

    [Fact]
    public async Task DescribeSecurityGroupRules_lists_each_rule_once_with_its_source()
    {
        var rules = await Cli.JsonAsync("ec2", "describe-security-group-rules", "--filters", $"Name=group-id,Values={AlbGroup}");

        var list = rules.GetProperty("SecurityGroupRules").EnumerateArray().ToList();
        Assert.Equal(3, list.Count); // 80 and 443 in, all out
        Assert.Single(list, r => r.GetProperty("IsEgress").GetBoolean());
        Assert.All(list.Where(r => !r.GetProperty("IsEgress").GetBoolean()), r => Assert.Equal("0.0.0.0/0", r.GetProperty("CidrIpv4").GetString()));
        Assert.All(list, r => Assert.StartsWith("sgr-", r.GetProperty("SecurityGroupRuleId").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_group_is_InvalidGroup_NotFound_and_an_unknown_filter_is_refused()
    {
        var missing = await Cli.RunAsync("ec2", "describe-security-groups", "--group-ids", "sg-0000000000000dead");
        var badFilter = await Cli.RunAsync("ec2", "describe-subnets", "--filters", "Name=colour,Values=red");

        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("(InvalidGroup.NotFound)", missing.Stderr, StringComparison.Ordinal);
        Assert.Contains("sg-0000000000000dead", missing.Stderr, StringComparison.Ordinal);
        Assert.Contains("(InvalidParameterValue)", badFilter.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DescribeNetworkInterfaces_gives_each_balancer_node_an_address_and_internet_facing_ones_a_public_ip()
    {
        var json = await Cli.JsonAsync("ec2", "describe-network-interfaces", "--filters", $"Name=description,Values=ELB {fixture.Alb.MetricDimension}");

        var interfaces = json.GetProperty("NetworkInterfaces").EnumerateArray().ToList();
        Assert.Equal(fixture.Alb.AvailabilityZones.Length, interfaces.Count);
        Assert.All(interfaces, i => Assert.StartsWith("3.", i.GetProperty("Association").GetProperty("PublicIp").GetString(), StringComparison.Ordinal));
        Assert.All(interfaces, i => Assert.StartsWith("10.0.", i.GetProperty("PrivateIpAddress").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task ACM_lists_and_describes_certificates_with_their_names_expiry_and_users()
    {
        var arn = fixture.HttpsListener.Certificates[0].CertificateArn;
        fixture.World.PutCertificate(new Certificate
        {
            Arn = arn,
            DomainName = "forecast.example.com",
            SubjectAlternativeNames = ["forecast.example.com", "*.forecast.example.com"],
            Serial = "0a:0b",
            CreatedAt = DateTimeOffset.UtcNow.AddDays(-100),
            NotBefore = DateTimeOffset.UtcNow.AddDays(-100),
            NotAfter = DateTimeOffset.UtcNow.AddDays(12),
        });

        var list = await Cli.JsonAsync("acm", "list-certificates");
        var described = await Cli.JsonAsync("acm", "describe-certificate", "--certificate-arn", arn);
        var missing = await Cli.RunAsync("acm", "describe-certificate", "--certificate-arn", arn[..^4] + "ffff");

        var summaries = list.GetProperty("CertificateSummaryList").EnumerateArray().ToList();
        Assert.Contains(summaries, s => s.GetProperty("DomainName").GetString() == "shop.example.com");
        Assert.True(summaries.Single(s => s.GetProperty("CertificateArn").GetString() == arn).GetProperty("InUse").GetBoolean());
        var certificate = described.GetProperty("Certificate");
        Assert.Equal(["forecast.example.com", "*.forecast.example.com"], certificate.GetProperty("SubjectAlternativeNames").EnumerateArray().Select(n => n.GetString()));
        var notAfter = DateTimeOffset.FromUnixTimeMilliseconds((long)(certificate.GetProperty("NotAfter").GetDouble() * 1000));
        Assert.InRange((notAfter - DateTimeOffset.UtcNow).TotalDays, 11.9, 12.1);
        Assert.Equal([fixture.Alb.Arn], certificate.GetProperty("InUseBy").EnumerateArray().Select(u => u.GetString()));
        Assert.Contains("(ResourceNotFoundException)", missing.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WAFv2_answers_nothing_for_an_unprotected_balancer_the_web_acl_once_associated_and_refuses_an_unknown_one()
    {
        var before = await Cli.RunAsync("wafv2", "get-web-acl-for-resource", "--resource-arn", fixture.Alb.Arn);
        var acls = await Cli.JsonAsync("wafv2", "list-web-acls", "--scope", "REGIONAL");
        var retail = acls.GetProperty("WebACLs").EnumerateArray().Single(a => a.GetProperty("Name").GetString() == "retail-forecast-waf").GetProperty("ARN").GetString()!;
        fixture.World.AssociateWebAcl(fixture.Alb.Arn, retail);
        try
        {
            var after = await Cli.JsonAsync("wafv2", "get-web-acl-for-resource", "--resource-arn", fixture.Alb.Arn);
            var unknown = await Cli.RunAsync("wafv2", "get-web-acl-for-resource", "--resource-arn", fixture.Alb.Arn[..^4] + "ffff");

            // WAF answers {} when nothing is associated, which the CLI prints as nothing at all.
            Assert.Equal(0, before.ExitCode);
            Assert.DoesNotContain("WebACL", before.Stdout, StringComparison.Ordinal);
            var acl = after.GetProperty("WebACL");
            Assert.Equal("retail-forecast-waf", acl.GetProperty("Name").GetString());
            Assert.Equal(JsonValueKind.Object, acl.GetProperty("DefaultAction").GetProperty("Allow").ValueKind);
            Assert.Equal(["RateLimitRule", "AWSManagedRulesCommonRuleSet"], acl.GetProperty("Rules").EnumerateArray().Select(r => r.GetProperty("Name").GetString()));
            Assert.Equal(2000, acl.GetProperty("Rules")[0].GetProperty("Statement").GetProperty("RateBasedStatement").GetProperty("Limit").GetInt32());
            Assert.Contains("(WAFNonexistentItemException)", unknown.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            fixture.World.AssociateWebAcl(fixture.Alb.Arn, null);
        }
    }
}
