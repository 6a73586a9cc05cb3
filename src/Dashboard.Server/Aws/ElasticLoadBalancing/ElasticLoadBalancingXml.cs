using System.Xml.Linq;

namespace Dashboard.Server.Aws.ElasticLoadBalancing;

/// <summary>Reads ELBv2 Query protocol XML elements into the records of this folder.</summary>
internal static class ElasticLoadBalancingXml
{
    public static LoadBalancer LoadBalancer(XElement m) => new()
    {
        LoadBalancerArn = m.RequiredText("LoadBalancerArn"),
        LoadBalancerName = m.RequiredText("LoadBalancerName"),
        DnsName = m.Text("DNSName"),
        CanonicalHostedZoneId = m.Text("CanonicalHostedZoneId"),
        CreatedTime = m.Timestamp("CreatedTime"),
        Scheme = m.Text("Scheme"),
        VpcId = m.Text("VpcId"),
        State = m.Child("State") is { } state ? new LoadBalancerState(state.Text("Code") ?? string.Empty, state.Text("Reason")) : null,
        Type = m.Text("Type"),
        AvailabilityZones = m.Members("AvailabilityZones").Select(AvailabilityZone).ToArray(),
        SecurityGroups = m.StringMembers("SecurityGroups"),
        IpAddressType = m.Text("IpAddressType"),
    };

    private static AvailabilityZone AvailabilityZone(XElement m) => new()
    {
        ZoneName = m.RequiredText("ZoneName"),
        SubnetId = m.Text("SubnetId"),
        LoadBalancerAddresses = m.Members("LoadBalancerAddresses")
            .Select(a => new LoadBalancerAddress(a.Text("IpAddress"), a.Text("AllocationId"), a.Text("PrivateIPv4Address"), a.Text("IPv6Address")))
            .ToArray(),
    };

    public static Listener Listener(XElement m) => new()
    {
        ListenerArn = m.RequiredText("ListenerArn"),
        LoadBalancerArn = m.RequiredText("LoadBalancerArn"),
        Port = m.Int("Port"),
        Protocol = m.Text("Protocol"),
        Certificates = m.Members("Certificates").Select(c => new Certificate(c.RequiredText("CertificateArn"), c.Bool("IsDefault"))).ToArray(),
        SslPolicy = m.Text("SslPolicy"),
        DefaultActions = m.Members("DefaultActions").Select(Action).ToArray(),
        AlpnPolicy = m.StringMembers("AlpnPolicy"),
    };

    public static ListenerRule Rule(XElement m) => new()
    {
        RuleArn = m.RequiredText("RuleArn"),
        Priority = m.Text("Priority") ?? string.Empty,
        IsDefault = m.Bool("IsDefault") ?? false,
        Conditions = m.Members("Conditions").Select(Condition).ToArray(),
        Actions = m.Members("Actions").Select(Action).ToArray(),
    };

    private static ListenerAction Action(XElement m) => new()
    {
        Type = m.RequiredText("Type"),
        Order = m.Int("Order"),
        TargetGroupArn = m.Text("TargetGroupArn"),
        ForwardConfig = m.Child("ForwardConfig") is { } forward
            ? new ForwardActionConfig
            {
                TargetGroups = forward.Members("TargetGroups").Select(t => new TargetGroupTuple(t.RequiredText("TargetGroupArn"), t.Int("Weight"))).ToArray(),
                TargetGroupStickinessConfig = forward.Child("TargetGroupStickinessConfig") is { } sticky
                    ? new TargetGroupStickinessConfig(sticky.Bool("Enabled") ?? false, sticky.Int("DurationSeconds"))
                    : null,
            }
            : null,
        RedirectConfig = m.Child("RedirectConfig") is { } redirect
            ? new RedirectActionConfig
            {
                StatusCode = redirect.Text("StatusCode") ?? string.Empty,
                Protocol = redirect.Text("Protocol"),
                Port = redirect.Text("Port"),
                Host = redirect.Text("Host"),
                Path = redirect.Text("Path"),
                Query = redirect.Text("Query"),
            }
            : null,
        FixedResponseConfig = m.Child("FixedResponseConfig") is { } fixedResponse
            ? new FixedResponseActionConfig(fixedResponse.Text("StatusCode") ?? string.Empty, fixedResponse.Text("ContentType"), fixedResponse.Text("MessageBody"))
            : null,
    };

    // AWS fills both the legacy Values and the field's own config; prefer the config, fall back to Values.
    private static RuleCondition Condition(XElement m)
    {
        var field = m.RequiredText("Field");
        var configValues = field switch
        {
            "host-header" => m.Child("HostHeaderConfig").StringMembers("Values"),
            "path-pattern" => m.Child("PathPatternConfig").StringMembers("Values"),
            "http-header" => m.Child("HttpHeaderConfig").StringMembers("Values"),
            "http-request-method" => m.Child("HttpRequestMethodConfig").StringMembers("Values"),
            "source-ip" => m.Child("SourceIpConfig").StringMembers("Values"),
            _ => [],
        };
        var queryStrings = m.Child("QueryStringConfig").Members("Values")
            .Select(v => new QueryStringKeyValuePair(v.Text("Key"), v.Text("Value") ?? string.Empty))
            .ToArray();
        return new RuleCondition
        {
            Field = field,
            Values = configValues.Count > 0 ? configValues : m.StringMembers("Values"),
            HttpHeaderName = m.Child("HttpHeaderConfig").Text("HttpHeaderName"),
            QueryStrings = queryStrings,
        };
    }

    public static TargetGroup TargetGroup(XElement m) => new()
    {
        TargetGroupArn = m.RequiredText("TargetGroupArn"),
        TargetGroupName = m.RequiredText("TargetGroupName"),
        Protocol = m.Text("Protocol"),
        ProtocolVersion = m.Text("ProtocolVersion"),
        Port = m.Int("Port"),
        VpcId = m.Text("VpcId"),
        HealthCheckProtocol = m.Text("HealthCheckProtocol"),
        HealthCheckPort = m.Text("HealthCheckPort"),
        HealthCheckEnabled = m.Bool("HealthCheckEnabled"),
        HealthCheckIntervalSeconds = m.Int("HealthCheckIntervalSeconds"),
        HealthCheckTimeoutSeconds = m.Int("HealthCheckTimeoutSeconds"),
        HealthyThresholdCount = m.Int("HealthyThresholdCount"),
        UnhealthyThresholdCount = m.Int("UnhealthyThresholdCount"),
        HealthCheckPath = m.Text("HealthCheckPath"),
        Matcher = m.Child("Matcher") is { } matcher ? new Matcher(matcher.Text("HttpCode"), matcher.Text("GrpcCode")) : null,
        LoadBalancerArns = m.StringMembers("LoadBalancerArns"),
        TargetType = m.Text("TargetType"),
        IpAddressType = m.Text("IpAddressType"),
    };

    public static TargetHealthDescription TargetHealthDescription(XElement m)
    {
        var target = m.Child("Target") ?? throw new FormatException("TargetHealthDescription has no <Target>.");
        var health = m.Child("TargetHealth");
        var rawState = health.Text("State") ?? string.Empty;
        return new TargetHealthDescription
        {
            Target = new TargetDescription(target.RequiredText("Id"), target.Int("Port"), target.Text("AvailabilityZone")),
            HealthCheckPort = m.Text("HealthCheckPort"),
            TargetHealth = new TargetHealth(ParseState(rawState), rawState, health.Text("Reason"), health.Text("Description")),
        };
    }

    public static TargetHealthState ParseState(string raw) => raw switch
    {
        "initial" => TargetHealthState.Initial,
        "healthy" => TargetHealthState.Healthy,
        "unhealthy" => TargetHealthState.Unhealthy,
        "unhealthy.draining" => TargetHealthState.UnhealthyDraining,
        "unused" => TargetHealthState.Unused,
        "draining" => TargetHealthState.Draining,
        "unavailable" => TargetHealthState.Unavailable,
        _ => TargetHealthState.Unknown,
    };

    public static TagDescription TagDescription(XElement m) => new(
        m.RequiredText("ResourceArn"),
        m.Members("Tags").Select(t => new Tag(t.RequiredText("Key"), t.Text("Value"))).ToArray());
}
