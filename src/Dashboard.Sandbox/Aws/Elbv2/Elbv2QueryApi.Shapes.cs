using System.Collections.Immutable;
using System.Globalization;
using System.Xml.Linq;

namespace Dashboard.Sandbox.Aws.Elbv2;

/// <summary>The XML shapes of the ELBv2 query API's answers.</summary>
public sealed partial class Elbv2QueryApi
{
    // ---- shapes ------------------------------------------------------------------------------------------------

    private static XElement LoadBalancerElement(LoadBalancer lb) => new(Ns + "member",
        new XElement(Ns + "LoadBalancerArn", lb.Arn),
        new XElement(Ns + "DNSName", lb.DnsName),
        new XElement(Ns + "CanonicalHostedZoneId", lb.CanonicalHostedZoneId),
        new XElement(Ns + "CreatedTime", Timestamp(lb.CreatedTime)),
        new XElement(Ns + "LoadBalancerName", lb.Name),
        new XElement(Ns + "Scheme", lb.Scheme),
        new XElement(Ns + "VpcId", lb.VpcId),
        new XElement(Ns + "State", new XElement(Ns + "Code", StateCode(lb.State))),
        new XElement(Ns + "Type", lb.Type == LoadBalancerType.Application ? "application" : "network"),
        new XElement(Ns + "AvailabilityZones", lb.AvailabilityZones.Select(z => new XElement(Ns + "member",
            new XElement(Ns + "ZoneName", z.ZoneName), new XElement(Ns + "SubnetId", z.SubnetId), new XElement(Ns + "LoadBalancerAddresses")))),
        lb.SecurityGroups.IsEmpty ? null : new XElement(Ns + "SecurityGroups", lb.SecurityGroups.Select(s => new XElement(Ns + "member", s))),
        new XElement(Ns + "IpAddressType", lb.IpAddressType));

    private static XElement ListenerElement(Listener listener) => new(Ns + "member",
        new XElement(Ns + "ListenerArn", listener.Arn),
        new XElement(Ns + "LoadBalancerArn", listener.LoadBalancerArn),
        new XElement(Ns + "Port", listener.Port),
        new XElement(Ns + "Protocol", listener.Protocol),
        listener.Certificates.IsEmpty ? null : new XElement(Ns + "Certificates", listener.Certificates.Select(c =>
            new XElement(Ns + "member", new XElement(Ns + "CertificateArn", c.CertificateArn)))),
        listener.SslPolicy is null ? null : new XElement(Ns + "SslPolicy", listener.SslPolicy),
        listener.AlpnPolicy.IsEmpty ? null : new XElement(Ns + "AlpnPolicy", listener.AlpnPolicy.Select(a => new XElement(Ns + "member", a))),
        new XElement(Ns + "DefaultActions", ActionElements(listener.DefaultActions)));

    private static XElement SslPolicyElement(SslPolicy policy) => new(Ns + "member",
        new XElement(Ns + "SslProtocols", policy.SslProtocols.Select(p => new XElement(Ns + "member", p))),
        new XElement(Ns + "Ciphers", policy.Ciphers.Select((c, i) => new XElement(Ns + "member", new XElement(Ns + "Name", c), new XElement(Ns + "Priority", i + 1)))),
        new XElement(Ns + "Name", policy.Name),
        new XElement(Ns + "SupportedLoadBalancerTypes", policy.SupportedLoadBalancerTypes.Select(t => new XElement(Ns + "member", t))));

    private static XElement RuleElement(ListenerRule rule) => new(Ns + "member",
        new XElement(Ns + "RuleArn", rule.Arn),
        new XElement(Ns + "Priority", rule.Priority),
        new XElement(Ns + "Conditions", rule.Conditions.Select(ConditionElement)),
        new XElement(Ns + "Actions", ActionElements(rule.Actions)),
        new XElement(Ns + "IsDefault", rule.IsDefault ? "true" : "false"));

    private static XElement ConditionElement(RuleCondition condition)
    {
        var values = condition.Values.Select(v => new XElement(Ns + "member", v)).ToList();
        var config = condition.Field switch
        {
            "host-header" => new XElement(Ns + "HostHeaderConfig", new XElement(Ns + "Values", values)),
            "path-pattern" => new XElement(Ns + "PathPatternConfig", new XElement(Ns + "Values", values)),
            _ => null,
        };
        return new XElement(Ns + "member",
            new XElement(Ns + "Field", condition.Field),
            new XElement(Ns + "Values", condition.Values.Select(v => new XElement(Ns + "member", v))),
            config);
    }

    private static IEnumerable<XElement> ActionElements(ImmutableArray<RuleAction> actions) =>
        actions.Select((action, index) => new XElement(Ns + "member",
            new XElement(Ns + "Type", action.Type),
            action.Type == "forward" && action.TargetGroups.Length == 1 ? new XElement(Ns + "TargetGroupArn", action.TargetGroups[0].TargetGroupArn) : null,
            new XElement(Ns + "Order", action.Order ?? index + 1),
            action.FixedResponse is { } fixedResponse
                ? new XElement(Ns + "FixedResponseConfig",
                    fixedResponse.MessageBody is null ? null : new XElement(Ns + "MessageBody", fixedResponse.MessageBody),
                    new XElement(Ns + "StatusCode", fixedResponse.StatusCode),
                    fixedResponse.ContentType is null ? null : new XElement(Ns + "ContentType", fixedResponse.ContentType))
                : null,
            action.Redirect is { } redirect
                ? new XElement(Ns + "RedirectConfig",
                    new XElement(Ns + "Protocol", redirect.Protocol), new XElement(Ns + "Port", redirect.Port),
                    new XElement(Ns + "Host", redirect.Host), new XElement(Ns + "Path", redirect.Path),
                    new XElement(Ns + "Query", redirect.Query), new XElement(Ns + "StatusCode", redirect.StatusCode))
                : null,
            action.Type == "forward"
                ? new XElement(Ns + "ForwardConfig",
                    new XElement(Ns + "TargetGroups", action.TargetGroups.Select(g => new XElement(Ns + "member",
                        new XElement(Ns + "TargetGroupArn", g.TargetGroupArn), new XElement(Ns + "Weight", g.Weight)))),
                    new XElement(Ns + "TargetGroupStickinessConfig",
                        new XElement(Ns + "Enabled", action.StickinessEnabled ? "true" : "false"),
                        action.StickinessDurationSeconds is { } duration ? new XElement(Ns + "DurationSeconds", duration) : null))
                : null));

    private static XElement TargetGroupElement(TargetGroup tg) => new(Ns + "member",
        new XElement(Ns + "TargetGroupArn", tg.Arn),
        new XElement(Ns + "TargetGroupName", tg.Name),
        new XElement(Ns + "Protocol", tg.Protocol),
        new XElement(Ns + "Port", tg.Port),
        new XElement(Ns + "VpcId", tg.VpcId),
        new XElement(Ns + "HealthCheckProtocol", tg.HealthCheck.Protocol),
        new XElement(Ns + "HealthCheckPort", tg.HealthCheck.Port),
        new XElement(Ns + "HealthCheckEnabled", tg.HealthCheck.Enabled ? "true" : "false"),
        new XElement(Ns + "HealthCheckIntervalSeconds", tg.HealthCheck.IntervalSeconds),
        new XElement(Ns + "HealthCheckTimeoutSeconds", tg.HealthCheck.TimeoutSeconds),
        new XElement(Ns + "HealthyThresholdCount", tg.HealthCheck.HealthyThresholdCount),
        new XElement(Ns + "UnhealthyThresholdCount", tg.HealthCheck.UnhealthyThresholdCount),
        tg.HealthCheck.Path is null ? null : new XElement(Ns + "HealthCheckPath", tg.HealthCheck.Path),
        tg.HealthCheck.Matcher is null ? null : new XElement(Ns + "Matcher", new XElement(Ns + "HttpCode", tg.HealthCheck.Matcher)),
        new XElement(Ns + "LoadBalancerArns", tg.LoadBalancerArns.Select(a => new XElement(Ns + "member", a))),
        new XElement(Ns + "TargetType", tg.TargetType),
        tg.ProtocolVersion is null ? null : new XElement(Ns + "ProtocolVersion", tg.ProtocolVersion),
        new XElement(Ns + "IpAddressType", tg.IpAddressType));

    private static XElement TargetHealthElement(TargetGroup tg, string id, int port, string? zone, TargetHealth health) => new(Ns + "member",
        new XElement(Ns + "Target",
            new XElement(Ns + "Id", id),
            new XElement(Ns + "Port", port),
            zone is null ? null : new XElement(Ns + "AvailabilityZone", zone)),
        new XElement(Ns + "HealthCheckPort", tg.HealthCheck.Port == "traffic-port" ? port.ToString(CultureInfo.InvariantCulture) : tg.HealthCheck.Port),
        new XElement(Ns + "TargetHealth",
            new XElement(Ns + "State", health.State.ToString().ToLowerInvariant()),
            health.Reason is null ? null : new XElement(Ns + "Reason", health.Reason),
            health.Description is null ? null : new XElement(Ns + "Description", health.Description)));

    private static XElement AttributesElement(IEnumerable<KeyValuePair<string, string>> attributes) =>
        new(Ns + "Attributes", attributes.Select(a => new XElement(Ns + "member", new XElement(Ns + "Key", a.Key), new XElement(Ns + "Value", a.Value))));
}
