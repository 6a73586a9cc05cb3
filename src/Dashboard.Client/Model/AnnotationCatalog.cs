using System.Collections.Frozen;

namespace Dashboard.Client.Model;

/// <summary>One annotation on an object, with what it means when the dashboard knows it.</summary>
public sealed record DecodedAnnotation(string Name, string Value, string? Meaning);

/// <summary>
/// What the load-balancer annotations of Services and Ingresses mean, in one sentence each. Hand-written: no served
/// package carries the AWS Load Balancer Controller's annotation reference.
/// </summary>
public static class AnnotationCatalog
{
    private const string Svc = "service.beta.kubernetes.io/aws-load-balancer-";
    private const string Alb = "alb.ingress.kubernetes.io/";

    private static readonly FrozenDictionary<string, string> Meanings = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Svc + "type"] = "Which controller provisions the balancer: 'external' = AWS Load Balancer Controller, 'nlb' = in-tree NLB, unset = in-tree Classic ELB.",
        [Svc + "nlb-target-type"] = "NLB targets: 'ip' registers pod IPs, 'instance' registers nodes on the NodePort.",
        [Svc + "scheme"] = "'internet-facing' gets public addresses; 'internal' (the controller's default) stays inside the VPC.",
        [Svc + "internal"] = "Legacy in-tree switch: 'true' makes the balancer internal.",
        [Svc + "healthcheck-protocol"] = "Protocol of target health checks (TCP, HTTP, HTTPS).",
        [Svc + "healthcheck-port"] = "Port health checks use: 'traffic-port' or a number.",
        [Svc + "healthcheck-path"] = "HTTP(S) path health checks request.",
        [Svc + "healthcheck-interval"] = "Seconds between health checks of one target.",
        [Svc + "healthcheck-timeout"] = "Seconds before a health check counts as failed.",
        [Svc + "healthcheck-healthy-threshold"] = "Consecutive successes before a target is healthy.",
        [Svc + "healthcheck-unhealthy-threshold"] = "Consecutive failures before a target is unhealthy.",
        [Svc + "healthcheck-success-codes"] = "HTTP codes that count as healthy.",
        [Svc + "cross-zone-load-balancing-enabled"] = "In-tree switch: spread traffic evenly across all zones' targets.",
        [Svc + "attributes"] = "Load-balancer attributes, e.g. load_balancing.cross_zone.enabled=true, deletion_protection.enabled=true.",
        [Svc + "target-group-attributes"] = "Target-group attributes, e.g. deregistration_delay.timeout_seconds, preserve_client_ip.enabled.",
        [Svc + "ssl-cert"] = "ACM certificate ARN(s) for TLS listeners.",
        [Svc + "ssl-ports"] = "Which ports get TLS listeners (default: all).",
        [Svc + "ssl-negotiation-policy"] = "TLS security policy of the TLS listeners.",
        [Svc + "backend-protocol"] = "Protocol from the balancer to targets.",
        [Svc + "subnets"] = "Subnets (IDs or Name tags) the balancer is placed in, instead of auto-discovery.",
        [Svc + "eip-allocations"] = "Elastic IP allocations for an internet-facing NLB, one per subnet.",
        [Svc + "private-ipv4-addresses"] = "Fixed private IPs for an internal NLB, one per subnet.",
        [Svc + "ip-address-type"] = "'ipv4' or 'dualstack'.",
        [Svc + "security-groups"] = "Security groups attached to the NLB (frontend).",
        [Svc + "manage-backend-security-group-rules"] = "Whether the controller adds rules letting the NLB reach targets.",
        [Svc + "proxy-protocol"] = "'*' enables Proxy Protocol v2 towards targets.",
        [Svc + "additional-resource-tags"] = "Extra AWS tags on the balancer and target groups.",
        [Svc + "name"] = "Explicit balancer name instead of the generated k8s-… name.",
        [Svc + "load-balancer-source-ranges"] = "CIDRs allowed to reach the balancer (like spec.loadBalancerSourceRanges).",
        [Svc + "access-log-enabled"] = "In-tree switch: write access logs to S3.",
        [Svc + "connection-idle-timeout"] = "Classic ELB idle timeout in seconds.",
        [Alb + "scheme"] = "'internet-facing' gets public addresses; 'internal' (the default) stays inside the VPC.",
        [Alb + "target-type"] = "'instance' (default) registers nodes on the NodePort; 'ip' registers pod IPs.",
        [Alb + "group.name"] = "Ingresses with the same group name share one ALB.",
        [Alb + "group.order"] = "Order of this Ingress's rules within its group (lower first, -1000…1000).",
        [Alb + "listen-ports"] = "Listeners to create, e.g. [{\"HTTP\":80},{\"HTTPS\":443}].",
        [Alb + "certificate-arn"] = "ACM certificate ARN(s) for HTTPS listeners.",
        [Alb + "ssl-policy"] = "TLS security policy of HTTPS listeners.",
        [Alb + "ssl-redirect"] = "Port to which every HTTP request is redirected (usually 443).",
        [Alb + "wafv2-acl-arn"] = "AWS WAFv2 web ACL attached to the ALB.",
        [Alb + "waf-acl-id"] = "Classic AWS WAF web ACL attached to the ALB.",
        [Alb + "shield-advanced-protection"] = "Turns AWS Shield Advanced on for the ALB.",
        [Alb + "inbound-cidrs"] = "CIDRs allowed to reach the ALB.",
        [Alb + "security-groups"] = "Security groups attached to the ALB instead of the managed one.",
        [Alb + "subnets"] = "Subnets the ALB is placed in, instead of auto-discovery.",
        [Alb + "healthcheck-protocol"] = "Protocol of target health checks.",
        [Alb + "healthcheck-port"] = "Port health checks use: 'traffic-port' or a number.",
        [Alb + "healthcheck-path"] = "HTTP path health checks request.",
        [Alb + "healthcheck-interval-seconds"] = "Seconds between health checks of one target.",
        [Alb + "healthcheck-timeout-seconds"] = "Seconds before a health check counts as failed.",
        [Alb + "healthy-threshold-count"] = "Consecutive successes before a target is healthy.",
        [Alb + "unhealthy-threshold-count"] = "Consecutive failures before a target is unhealthy.",
        [Alb + "success-codes"] = "HTTP codes that count as healthy.",
        [Alb + "backend-protocol"] = "Protocol from the ALB to targets (HTTP or HTTPS).",
        [Alb + "target-group-attributes"] = "Target-group attributes, e.g. stickiness.enabled, deregistration_delay.timeout_seconds.",
        [Alb + "load-balancer-attributes"] = "ALB attributes, e.g. idle_timeout.timeout_seconds, access_logs.s3.enabled.",
        [Alb + "actions.*"] = "A custom action (redirect, fixed response, weighted forward) a path can name as its backend.",
        [Alb + "conditions.*"] = "Extra rule conditions (headers, query strings, source IPs) for a backend.",
        [Alb + "load-balancer-name"] = "Explicit ALB name instead of the generated k8s-… name.",
        [Alb + "tags"] = "Extra AWS tags on the ALB and target groups.",
        [Alb + "ip-address-type"] = "'ipv4' or 'dualstack'.",
        [Alb + "auth-type"] = "Authentication at the ALB: none, oidc or cognito.",
        ["kubernetes.io/ingress.class"] = "Deprecated way to pick the ingress controller; wins over spec.ingressClassName for the AWS controller. Move it to spec.ingressClassName.",
        ["kubectl.kubernetes.io/last-applied-configuration"] = "The object as last applied with kubectl apply (used for three-way merges).",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The meaning of an annotation name, or null when the dashboard does not know it.</summary>
    public static string? Meaning(string name)
    {
        if (Meanings.TryGetValue(name, out var meaning))
        {
            return meaning;
        }
        foreach (var prefix in (ReadOnlySpan<string>)[Alb + "actions.", Alb + "conditions."])
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                return Meanings[prefix + "*"];
            }
        }
        return null;
    }

    /// <summary>Every annotation with its meaning; known ones first, then by name.</summary>
    public static IReadOnlyList<DecodedAnnotation> Decode(IReadOnlyDictionary<string, string> annotations) =>
        [.. annotations
            .Select(static a => new DecodedAnnotation(a.Key, a.Value, Meaning(a.Key)))
            .OrderBy(static a => a.Meaning is null)
            .ThenBy(static a => a.Name, StringComparer.Ordinal)];
}
