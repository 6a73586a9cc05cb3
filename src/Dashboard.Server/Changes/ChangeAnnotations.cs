using Dashboard.Server.Inventory;

namespace Dashboard.Server.Changes;

/// <summary>The controller annotations a guided change writes, by form field (one table for building, reading and errors).</summary>
internal static class ChangeAnnotations
{
    private const string Svc = ServiceDecoder.Prefix + "aws-load-balancer-";
    private const string Alb = IngressDecoder.Prefix;

    public static readonly IReadOnlyDictionary<string, string> Service = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["scheme"] = ServiceDecoder.SchemeAnnotation,
        ["targetType"] = ServiceDecoder.NlbTargetTypeAnnotation,
        ["healthCheck.path"] = Svc + "healthcheck-path",
        ["healthCheck.port"] = Svc + "healthcheck-port",
        ["healthCheck.protocol"] = Svc + "healthcheck-protocol",
        ["healthCheck.successCodes"] = Svc + "healthcheck-success-codes",
        ["healthCheck.intervalSeconds"] = Svc + "healthcheck-interval",
        ["healthCheck.timeoutSeconds"] = Svc + "healthcheck-timeout",
        ["healthCheck.healthyThreshold"] = Svc + "healthcheck-healthy-threshold",
        ["healthCheck.unhealthyThreshold"] = Svc + "healthcheck-unhealthy-threshold",
        ["certificateArn"] = Svc + "ssl-cert",
        ["sslPolicy"] = Svc + "ssl-negotiation-policy",
        ["targetGroupAttributes"] = ServiceDecoder.TargetGroupAttributesAnnotation,
        ["tags"] = Svc + "additional-resource-tags",
        ["loadBalancerName"] = Svc + "name",
    };

    public static readonly IReadOnlyDictionary<string, string> Ingress = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["scheme"] = IngressDecoder.SchemeAnnotation,
        ["targetType"] = Alb + "target-type",
        ["healthCheck.path"] = Alb + "healthcheck-path",
        ["healthCheck.port"] = Alb + "healthcheck-port",
        ["healthCheck.protocol"] = Alb + "healthcheck-protocol",
        ["healthCheck.successCodes"] = Alb + "success-codes",
        ["healthCheck.intervalSeconds"] = Alb + "healthcheck-interval-seconds",
        ["healthCheck.timeoutSeconds"] = Alb + "healthcheck-timeout-seconds",
        ["healthCheck.healthyThreshold"] = Alb + "healthy-threshold-count",
        ["healthCheck.unhealthyThreshold"] = Alb + "unhealthy-threshold-count",
        ["certificateArn"] = Alb + "certificate-arn",
        ["sslRedirect"] = Alb + "ssl-redirect",
        ["listenPorts"] = Alb + "listen-ports",
        ["sslPolicy"] = Alb + "ssl-policy",
        ["wafAclArn"] = Alb + "wafv2-acl-arn",
        ["sourceRanges"] = IngressDecoder.InboundCidrsAnnotation,
        ["targetGroupAttributes"] = Alb + "target-group-attributes",
        ["tags"] = Alb + "tags",
        ["loadBalancerName"] = Alb + "load-balancer-name",
        ["group"] = Alb + "group.name",
    };

    /// <summary>The form field an annotation comes from (for an annotation lint: which field to fix).</summary>
    public static string? FieldOf(string annotation)
    {
        foreach (var table in new[] { Service, Ingress })
        {
            foreach (var (field, key) in table)
            {
                if (key == annotation)
                {
                    return field switch
                    {
                        "targetGroupAttributes" => "deregistrationDelaySeconds",
                        "listenPorts" => "certificateArn",
                        _ => field,
                    };
                }
            }
        }
        return annotation == ServiceDecoder.SourceRangesAnnotation ? "sourceRanges" : null;
    }
}
