namespace Dashboard.Sandbox.Tests.Aws;

/// <summary>
/// The AWS CLI on what an operator checks next to the dashboard: security policies, listener certificates and listener
/// attributes, and the not-found errors worded as ELBv2 words them.
/// </summary>
public sealed class Elbv2ListenerSecurityCliTests(AwsEmulatorFixture fixture) : IClassFixture<AwsEmulatorFixture>
{
    private AwsCli Cli => fixture.Cli;

    private string HttpListenerArn => fixture.World.GetListeners(fixture.Alb.Arn).Single(l => l.Protocol == "HTTP").Arn;

    private string TcpListenerArn => fixture.World.GetListeners(fixture.Nlb.Arn).Single().Arn;

    /// <summary>A well-formed ARN of the same kind that names nothing (the last id replaced).</summary>
    private static string Missing(string arn) => arn[..(arn.LastIndexOf('/') + 1)] + "0123456789abcdef";

    [Fact]
    public async Task DescribeSSLPolicies_by_name_lists_protocols_and_ciphers_in_priority_order()
    {
        var json = await Cli.JsonAsync("elbv2", "describe-ssl-policies", "--names", "ELBSecurityPolicy-2016-08", "ELBSecurityPolicy-TLS13-1-2-2021-06");

        var policies = json.GetProperty("SslPolicies").EnumerateArray().ToList();
        Assert.Equal(["ELBSecurityPolicy-2016-08", "ELBSecurityPolicy-TLS13-1-2-2021-06"], policies.Select(p => p.GetProperty("Name").GetString()));
        var legacy = policies[0];
        Assert.Equal(["TLSv1", "TLSv1.1", "TLSv1.2"], legacy.GetProperty("SslProtocols").EnumerateArray().Select(p => p.GetString()));
        var ciphers = legacy.GetProperty("Ciphers").EnumerateArray().ToList();
        Assert.Equal(18, ciphers.Count);
        Assert.Equal(("ECDHE-ECDSA-AES128-GCM-SHA256", 1), (ciphers[0].GetProperty("Name").GetString(), ciphers[0].GetProperty("Priority").GetInt32()));
        Assert.Equal(("AES256-SHA", 18), (ciphers[17].GetProperty("Name").GetString(), ciphers[17].GetProperty("Priority").GetInt32()));
        Assert.Equal(["application", "network"], legacy.GetProperty("SupportedLoadBalancerTypes").EnumerateArray().Select(t => t.GetString()));
        var modern = policies[1];
        Assert.Equal(["TLSv1.2", "TLSv1.3"], modern.GetProperty("SslProtocols").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("TLS_AES_128_GCM_SHA256", modern.GetProperty("Ciphers")[0].GetProperty("Name").GetString());
        Assert.DoesNotContain(modern.GetProperty("Ciphers").EnumerateArray(), c => c.GetProperty("Name").GetString()!.EndsWith("-SHA", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DescribeSSLPolicies_lists_every_policy_a_listener_uses_and_filters_by_load_balancer_type()
    {
        var all = await Cli.JsonAsync("elbv2", "describe-ssl-policies");
        var gateway = await Cli.JsonAsync("elbv2", "describe-ssl-policies", "--load-balancer-type", "gateway");
        var firstPage = await Cli.JsonAsync("elbv2", "describe-ssl-policies", "--page-size", "2");

        var names = all.GetProperty("SslPolicies").EnumerateArray().Select(p => p.GetProperty("Name").GetString()).ToList();
        Assert.Contains("ELBSecurityPolicy-2016-08", names); // what a listener gets when none is named
        Assert.Contains(fixture.HttpsListener.SslPolicy, names);
        Assert.Empty(gateway.GetProperty("SslPolicies").EnumerateArray());
        Assert.Equal(2, firstPage.GetProperty("SslPolicies").GetArrayLength());
        Assert.False(string.IsNullOrEmpty(firstPage.GetProperty("NextMarker").GetString()));
    }

    [Fact]
    public async Task DescribeSSLPolicies_of_an_unknown_name_is_SSLPolicyNotFound()
    {
        var result = await Cli.RunAsync("elbv2", "describe-ssl-policies", "--names", "ELBSecurityPolicy-Nope");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("(SSLPolicyNotFound)", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("ELBSecurityPolicy-Nope", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DescribeListenerCertificates_marks_the_default_certificate()
    {
        var https = await Cli.JsonAsync("elbv2", "describe-listener-certificates", "--listener-arn", fixture.HttpsListener.Arn);
        var http = await Cli.JsonAsync("elbv2", "describe-listener-certificates", "--listener-arn", HttpListenerArn);

        var certificate = Assert.Single(https.GetProperty("Certificates").EnumerateArray().ToList());
        Assert.Equal(fixture.HttpsListener.Certificates[0].CertificateArn, certificate.GetProperty("CertificateArn").GetString());
        Assert.True(certificate.GetProperty("IsDefault").GetBoolean());
        Assert.Empty(http.GetProperty("Certificates").EnumerateArray());
    }

    [Fact]
    public async Task DescribeListenerAttributes_reports_the_documented_defaults_per_protocol()
    {
        var https = Attributes(await Cli.JsonAsync("elbv2", "describe-listener-attributes", "--listener-arn", fixture.HttpsListener.Arn));
        var http = Attributes(await Cli.JsonAsync("elbv2", "describe-listener-attributes", "--listener-arn", HttpListenerArn));
        var tcp = Attributes(await Cli.JsonAsync("elbv2", "describe-listener-attributes", "--listener-arn", TcpListenerArn));

        Assert.Equal("X-Amzn-Tls-Version", https["routing.http.request.x_amzn_tls_version.header_name"]);
        Assert.Equal("X-Amzn-Mtls-Clientcert", https["routing.http.request.x_amzn_mtls_clientcert.header_name"]);
        Assert.Equal("true", https["routing.http.response.server.enabled"]);
        Assert.Equal("", https["routing.http.response.strict_transport_security.header_value"]);
        Assert.Equal("true", http["routing.http.response.server.enabled"]);
        Assert.DoesNotContain("routing.http.request.x_amzn_tls_version.header_name", http.Keys);
        Assert.Equal(new Dictionary<string, string> { ["tcp.idle_timeout.seconds"] = "350" }, tcp);
    }

    [Fact]
    public async Task Listener_operations_on_a_missing_listener_are_ListenerNotFound()
    {
        var missing = Missing(fixture.HttpsListener.Arn);

        var certificates = await Cli.RunAsync("elbv2", "describe-listener-certificates", "--listener-arn", missing);
        var attributes = await Cli.RunAsync("elbv2", "describe-listener-attributes", "--listener-arn", missing);
        var rules = await Cli.RunAsync("elbv2", "describe-rules", "--listener-arn", missing);

        foreach (var result in new[] { certificates, attributes, rules })
        {
            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains("(ListenerNotFound)", result.Stderr, StringComparison.Ordinal);
            Assert.Contains(": One or more listeners not found", result.Stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Not_found_errors_name_missing_names_and_target_groups_but_not_load_balancer_arns()
    {
        var byName = await Cli.RunAsync("elbv2", "describe-load-balancers", "--names", fixture.Alb.Name, "no-such-alb");
        var byArn = await Cli.RunAsync("elbv2", "describe-load-balancers", "--load-balancer-arns", Missing(fixture.Alb.Arn));
        var attributes = await Cli.RunAsync("elbv2", "describe-load-balancer-attributes", "--load-balancer-arn", Missing(fixture.Alb.Arn));
        var listeners = await Cli.RunAsync("elbv2", "describe-listeners", "--load-balancer-arn", Missing(fixture.Alb.Arn));
        var health = await Cli.RunAsync("elbv2", "describe-target-health", "--target-group-arn", Missing(fixture.WebGroup.Arn));
        var groupsByName = await Cli.RunAsync("elbv2", "describe-target-groups", "--names", "no-such-group");

        Assert.Contains("(LoadBalancerNotFound)", byName.Stderr, StringComparison.Ordinal);
        Assert.Contains(": Load balancers '[no-such-alb]' not found", byName.Stderr, StringComparison.Ordinal);
        foreach (var result in new[] { byArn, attributes, listeners })
        {
            Assert.Contains("(LoadBalancerNotFound)", result.Stderr, StringComparison.Ordinal);
            Assert.Contains(": One or more load balancers not found", result.Stderr, StringComparison.Ordinal);
        }
        Assert.Contains("(TargetGroupNotFound)", health.Stderr, StringComparison.Ordinal);
        Assert.Contains($": Target groups '{Missing(fixture.WebGroup.Arn)}' not found", health.Stderr, StringComparison.Ordinal);
        Assert.Contains("(TargetGroupNotFound)", groupsByName.Stderr, StringComparison.Ordinal);
        Assert.Contains(": Target groups '[no-such-group]' not found", groupsByName.Stderr, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Attributes(System.Text.Json.JsonElement json) =>
        json.GetProperty("Attributes").EnumerateArray().ToDictionary(a => a.GetProperty("Key").GetString()!, a => a.GetProperty("Value").GetString()!);
}
