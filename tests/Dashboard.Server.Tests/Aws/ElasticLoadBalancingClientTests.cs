using Dashboard.Server.Aws;
using Dashboard.Server.Aws.ElasticLoadBalancing;
using static Dashboard.Server.Tests.Aws.ElasticLoadBalancingSamples;

namespace Dashboard.Server.Tests.Aws;

public sealed class ElasticLoadBalancingClientTests : IAsyncLifetime
{
    private AwsTestHost _host = null!;

    public async Task InitializeAsync() => _host = await AwsTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task DescribeLoadBalancers_posts_the_query_form_and_parses_every_field()
    {
        _host.Server.RespondInOrder(CannedResponse.Xml(LoadBalancersPage(null, AlbMember(), NlbMember)));

        var loadBalancers = await _host.ElasticLoadBalancing.DescribeLoadBalancersAsync();

        var request = Assert.Single(_host.Server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/", request.Path);
        Assert.StartsWith("application/x-www-form-urlencoded", request.Header("Content-Type"));
        Assert.Equal("DescribeLoadBalancers", request.Form["Action"]);
        Assert.Equal("2015-12-01", request.Form["Version"]);
        Assert.False(request.Form.ContainsKey("Marker"));

        Assert.Equal(2, loadBalancers.Count);
        var alb = loadBalancers[0];
        Assert.Equal(AlbArn, alb.LoadBalancerArn);
        Assert.Equal("k8s-mlops-retailfo-3f2a1b9c7d", alb.LoadBalancerName);
        Assert.Equal("k8s-mlops-retailfo-3f2a1b9c7d-424835706.eu-west-1.elb.amazonaws.com", alb.DnsName);
        Assert.Equal("Z2P70J7EXAMPLE", alb.CanonicalHostedZoneId);
        Assert.Equal(new DateTimeOffset(2016, 3, 25, 21, 26, 12, 920, TimeSpan.Zero), alb.CreatedTime);
        Assert.Equal("internet-facing", alb.Scheme);
        Assert.Equal("vpc-3ac0fb5f", alb.VpcId);
        Assert.Equal(new LoadBalancerState("active", null), alb.State);
        Assert.Equal("application", alb.Type);
        Assert.Equal("ipv4", alb.IpAddressType);
        Assert.Equal(["eu-west-1a", "eu-west-1b"], alb.AvailabilityZones.Select(z => z.ZoneName));
        Assert.Equal("subnet-b7d581c0", alb.AvailabilityZones[1].SubnetId);
        Assert.Equal(["sg-5943793c"], alb.SecurityGroups);

        var nlb = loadBalancers[1];
        Assert.Equal("network", nlb.Type);
        Assert.Equal("internal", nlb.Scheme);
        Assert.Equal("provisioning", nlb.State?.Code);
        Assert.Empty(nlb.SecurityGroups);
        Assert.Equal("10.0.1.25", Assert.Single(Assert.Single(nlb.AvailabilityZones).LoadBalancerAddresses).PrivateIPv4Address);
    }

    [Fact]
    public async Task DescribeLoadBalancers_follows_NextMarker_until_the_last_page()
    {
        const string marker1 = "c29tZS1tYXJrZXItMQ==";
        const string marker2 = "c29tZS1tYXJrZXItMg==";
        _host.Server.Respond((request, index) => (index, request.Form.GetValueOrDefault("Marker")) switch
        {
            (0, null) => CannedResponse.Xml(LoadBalancersPage(marker1, AlbMember(AlbArn.Replace("50dc", "0001"), "lb-1"))),
            (1, marker1) => CannedResponse.Xml(LoadBalancersPage(marker2, AlbMember(AlbArn.Replace("50dc", "0002"), "lb-2"))),
            (2, marker2) => CannedResponse.Xml(LoadBalancersPage(null, AlbMember(AlbArn.Replace("50dc", "0003"), "lb-3"))),
            _ => CannedResponse.Xml(Error("ValidationError", "unexpected marker"), 400),
        });

        var loadBalancers = await _host.ElasticLoadBalancing.DescribeLoadBalancersAsync();

        Assert.Equal(["lb-1", "lb-2", "lb-3"], loadBalancers.Select(lb => lb.LoadBalancerName));
        Assert.Equal(3, _host.Server.Requests.Count);
    }

    [Fact]
    public async Task DescribeLoadBalancers_by_arn_sends_at_most_20_arns_per_call()
    {
        var arns = Enumerable.Range(0, 45).Select(i => $"{AlbArn[..^4]}{i:x4}").ToArray();
        _host.Server.Respond((request, _) =>
        {
            var sent = request.Form.Where(p => p.Key.StartsWith("LoadBalancerArns.member.", StringComparison.Ordinal)).Select(p => p.Value);
            return CannedResponse.Xml(LoadBalancersPage(null, sent.Select(arn => AlbMember(arn, "lb-" + arn[^4..])).ToArray()));
        });

        var loadBalancers = await _host.ElasticLoadBalancing.DescribeLoadBalancersAsync(loadBalancerArns: arns);

        Assert.Equal([20, 20, 5], _host.Server.Requests.Select(r => r.Form.Keys.Count(k => k.StartsWith("LoadBalancerArns.member.", StringComparison.Ordinal))));
        Assert.Equal("LoadBalancerArns.member.20", _host.Server.Requests[0].Form.Keys.Last(k => k.StartsWith("LoadBalancerArns", StringComparison.Ordinal)));
        Assert.Equal(arns, loadBalancers.Select(lb => lb.LoadBalancerArn));
    }

    [Fact]
    public async Task DescribeLoadBalancerAttributes_parses_key_value_pairs_including_empty_values()
    {
        _host.Server.RespondInOrder(CannedResponse.Xml(LoadBalancerAttributes));

        var attributes = await _host.ElasticLoadBalancing.DescribeLoadBalancerAttributesAsync(AlbArn);

        Assert.Equal(AlbArn, Assert.Single(_host.Server.Requests).Form["LoadBalancerArn"]);
        Assert.Equal(
            [new("deletion_protection.enabled", "false"), new("idle_timeout.timeout_seconds", "60"), new LoadBalancerAttribute("access_logs.s3.bucket", "")],
            attributes);
    }

    [Fact]
    public async Task DescribeListeners_parses_certificates_forward_and_redirect_actions()
    {
        _host.Server.RespondInOrder(CannedResponse.Xml(Listeners));

        var listeners = await _host.ElasticLoadBalancing.DescribeListenersAsync(loadBalancerArn: AlbArn);

        Assert.Equal(AlbArn, Assert.Single(_host.Server.Requests).Form["LoadBalancerArn"]);
        var https = listeners[0];
        Assert.Equal(ListenerArn, https.ListenerArn);
        Assert.Equal(443, https.Port);
        Assert.Equal("HTTPS", https.Protocol);
        Assert.Equal("ELBSecurityPolicy-TLS13-1-2-2021-06", https.SslPolicy);
        Assert.EndsWith("3dcb0a41-bd72-4774-9ad9-756919c40557", Assert.Single(https.Certificates).CertificateArn);
        var forward = Assert.Single(https.DefaultActions);
        Assert.Equal("forward", forward.Type);
        Assert.Equal(TargetGroupArn, forward.TargetGroupArn);
        Assert.Equal(new TargetGroupTuple(TargetGroupArn, 1), Assert.Single(forward.ForwardConfig!.TargetGroups));
        Assert.False(forward.ForwardConfig.TargetGroupStickinessConfig!.Enabled);

        var redirect = Assert.Single(listeners[1].DefaultActions);
        Assert.Equal("redirect", redirect.Type);
        Assert.Equal(1, redirect.Order);
        Assert.Equal(new RedirectActionConfig { StatusCode = "HTTP_301", Protocol = "HTTPS", Port = "443", Host = "#{host}", Path = "/#{path}", Query = "#{query}" }, redirect.RedirectConfig);
    }

    [Fact]
    public async Task DescribeListeners_without_a_load_balancer_or_listener_arns_is_refused_before_any_call()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => _host.ElasticLoadBalancing.DescribeListenersAsync());
        Assert.Contains("loadBalancerArn", error.Message);
        Assert.Empty(_host.Server.Requests);
    }

    [Fact]
    public async Task DescribeRules_parses_conditions_weighted_forwards_and_the_default_rule()
    {
        _host.Server.RespondInOrder(CannedResponse.Xml(Rules));

        var rules = await _host.ElasticLoadBalancing.DescribeRulesAsync(listenerArn: ListenerArn);

        Assert.Equal(ListenerArn, Assert.Single(_host.Server.Requests).Form["ListenerArn"]);
        var rule = rules[0];
        Assert.Equal("10", rule.Priority);
        Assert.False(rule.IsDefault);
        Assert.Equal(["path-pattern", "host-header", "http-header", "query-string"], rule.Conditions.Select(c => c.Field));
        Assert.Equal(["/predict/*"], rule.Conditions[0].Values);
        Assert.Equal(["forecast.example.com"], rule.Conditions[1].Values);
        Assert.Equal("X-Canary", rule.Conditions[2].HttpHeaderName);
        Assert.Equal(["true"], rule.Conditions[2].Values);
        Assert.Equal(new QueryStringKeyValuePair("version", "v2"), Assert.Single(rule.Conditions[3].QueryStrings));
        var forward = Assert.Single(rule.Actions).ForwardConfig!;
        Assert.Equal([80, 20], forward.TargetGroups.Select(t => t.Weight));
        Assert.Equal(new TargetGroupStickinessConfig(true, 3600), forward.TargetGroupStickinessConfig);

        var fallback = rules[1];
        Assert.True(fallback.IsDefault);
        Assert.Equal("default", fallback.Priority);
        Assert.Empty(fallback.Conditions);
        Assert.Equal(new FixedResponseActionConfig("404", "text/plain", "not found"), Assert.Single(fallback.Actions).FixedResponseConfig);
    }

    [Fact]
    public async Task DescribeTargetGroups_parses_the_health_check_settings()
    {
        _host.Server.RespondInOrder(CannedResponse.Xml(TargetGroups));

        var targetGroups = await _host.ElasticLoadBalancing.DescribeTargetGroupsAsync(loadBalancerArn: AlbArn);

        Assert.Equal(AlbArn, Assert.Single(_host.Server.Requests).Form["LoadBalancerArn"]);
        var group = Assert.Single(targetGroups);
        Assert.Equal(TargetGroupArn, group.TargetGroupArn);
        Assert.Equal("k8s-mlops-retailfo-1a2b3c4d5e", group.TargetGroupName);
        Assert.Equal(("HTTP", "HTTP1", 8080), (group.Protocol, group.ProtocolVersion, group.Port));
        Assert.Equal("ip", group.TargetType);
        Assert.Equal(("HTTP", "traffic-port", "/healthz"), (group.HealthCheckProtocol, group.HealthCheckPort, group.HealthCheckPath));
        Assert.Equal((true, 15, 5, 5, 2), (group.HealthCheckEnabled, group.HealthCheckIntervalSeconds, group.HealthCheckTimeoutSeconds, group.HealthyThresholdCount, group.UnhealthyThresholdCount));
        Assert.Equal(new Matcher("200-399", null), group.Matcher);
        Assert.Equal([AlbArn], group.LoadBalancerArns);
    }

    [Fact]
    public async Task DescribeTargetGroupAttributes_parses_key_value_pairs()
    {
        _host.Server.RespondInOrder(CannedResponse.Xml(TargetGroupAttributes));

        var attributes = await _host.ElasticLoadBalancing.DescribeTargetGroupAttributesAsync(TargetGroupArn);

        Assert.Equal(TargetGroupArn, Assert.Single(_host.Server.Requests).Form["TargetGroupArn"]);
        Assert.Equal([new("deregistration_delay.timeout_seconds", "300"), new TargetGroupAttribute("stickiness.type", "lb_cookie")], attributes);
    }

    [Fact]
    public async Task DescribeTargetHealth_parses_states_reasons_and_sends_the_targets_asked_for()
    {
        _host.Server.RespondInOrder(CannedResponse.Xml(TargetHealthXml));

        var health = await _host.ElasticLoadBalancing.DescribeTargetHealthAsync(TargetGroupArn, [new TargetDescription("10.0.1.17", 8080, null)]);

        var form = Assert.Single(_host.Server.Requests).Form;
        Assert.Equal(TargetGroupArn, form["TargetGroupArn"]);
        Assert.Equal("10.0.1.17", form["Targets.member.1.Id"]);
        Assert.Equal("8080", form["Targets.member.1.Port"]);
        Assert.False(form.ContainsKey("Targets.member.1.AvailabilityZone"));

        Assert.Equal(
            [TargetHealthState.Healthy, TargetHealthState.Unhealthy, TargetHealthState.Draining, TargetHealthState.UnhealthyDraining],
            health.Select(h => h.TargetHealth.State));
        Assert.Equal(new TargetDescription("10.0.1.17", 8080, "eu-west-1a"), health[0].Target);
        Assert.Equal("8080", health[0].HealthCheckPort);
        Assert.Null(health[0].TargetHealth.Reason);
        Assert.Equal(new TargetHealth(TargetHealthState.Unhealthy, "unhealthy", "Target.ResponseCodeMismatch", "Health checks failed with these codes: [503]"), health[1].TargetHealth);
        Assert.Equal("Target.DeregistrationInProgress", health[2].TargetHealth.Reason);
        Assert.Equal(new TargetDescription("10.0.3.10", null, null), health[3].Target);
    }

    [Fact]
    public async Task DescribeTags_batches_20_arns_per_call_and_parses_tags()
    {
        var arns = Enumerable.Range(0, 25).Select(i => $"{TargetGroupArn[..^4]}{i:x4}").ToArray();
        _host.Server.Respond((request, _) => CannedResponse.Xml(Tags(request.Form.Where(p => p.Key.StartsWith("ResourceArns.member.", StringComparison.Ordinal)).Select(p => p.Value))));

        var tags = await _host.ElasticLoadBalancing.DescribeTagsAsync(arns);

        Assert.Equal([20, 5], _host.Server.Requests.Select(r => r.Form.Keys.Count(k => k.StartsWith("ResourceArns.member.", StringComparison.Ordinal))));
        Assert.All(_host.Server.Requests, r => Assert.Equal("DescribeTags", r.Form["Action"]));
        Assert.Equal(arns, tags.Select(t => t.ResourceArn));
        Assert.Equal([new Tag("elbv2.k8s.aws/cluster", "retail-forecast-cluster"), new Tag("ingress.k8s.aws/stack", "mlops/retail-forecast")], tags[0].Tags);
    }

    [Fact]
    public async Task A_response_without_the_action_result_is_reported_as_unreadable()
    {
        _host.Server.RespondInOrder(CannedResponse.Xml("<html><body>captive portal</body></html>"));

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => _host.ElasticLoadBalancing.DescribeTargetGroupsAsync());

        Assert.Equal("DescribeTargetGroups", error.Action);
        Assert.Contains("unreadable", error.Message);
    }
}
