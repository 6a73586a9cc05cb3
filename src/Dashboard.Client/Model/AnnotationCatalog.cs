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
        ["service.beta.kubernetes.io/load-balancer-source-ranges"] = "CIDRs allowed to reach the balancer; spec.loadBalancerSourceRanges wins when set.",
        [Svc + "target-type"] = "Not read by any controller (a common slip for aws-load-balancer-nlb-target-type): the target type stays as the controller's default.",
        [Svc + "healthy-threshold"] = "Not read by the AWS Load Balancer Controller (it reads aws-load-balancer-healthcheck-healthy-threshold).",
        [Svc + "unhealthy-threshold"] = "Not read by the AWS Load Balancer Controller (it reads aws-load-balancer-healthcheck-unhealthy-threshold).",
        [Svc + "proxy-protocol-per-target-group"] = "Service ports (comma-separated) whose target groups get Proxy Protocol v2.",
        [Svc + "access-log-s3-bucket-name"] = "S3 bucket for access logs (with access-log-enabled).",
        [Svc + "access-log-s3-bucket-prefix"] = "Key prefix of the access logs in the bucket.",
        [Svc + "ipv6-addresses"] = "Fixed IPv6 addresses for a dualstack NLB, one per subnet.",
        [Svc + "alpn-policy"] = "ALPN policy of TLS listeners: HTTP1Only, HTTP2Only, HTTP2Optional, HTTP2Preferred or None.",
        [Svc + "target-node-labels"] = "Only nodes with these labels (k=v,…) are registered as instance targets.",
        [Svc + "inbound-sg-rules-on-private-link-traffic"] = "'on' or 'off': whether the NLB's security-group rules also apply to PrivateLink traffic.",
        [Svc + "security-group-prefix-lists"] = "Managed prefix lists allowed in by the NLB's managed security group.",
        [Svc + "listener-attributes.*"] = "Listener attributes (k=v,…) of the listener named by the suffix, e.g. listener-attributes.TCP-80.",
        [Svc + "multi-cluster-target-group"] = "Lets other clusters register targets in the same target groups (true/false).",
        [Svc + "enable-prefix-for-ipv6-source-nat"] = "'on' or 'off': IPv6 source-NAT prefixes for UDP on a dualstack NLB.",
        [Svc + "source-nat-ipv6-prefixes"] = "IPv6 source-NAT prefixes, one per subnet.",
        [Svc + "minimum-load-balancer-capacity"] = "Reserved capacity, e.g. CapacityUnits=1000.",
        [Svc + "enable-icmp-for-path-mtu-discovery"] = "'on' adds security-group rules for ICMP path-MTU discovery.",
        [Svc + "enable-tcp-udp-listener"] = "Merges a TCP and a UDP port of the same number into one TCP_UDP listener.",
        [Svc + "disable-nlb-sg"] = "Makes the NLB without security groups (true/false).",
        [Svc + "quic-enabled-ports"] = "UDP ports whose listeners use QUIC.",
        [Svc + "target-group-attributes.*"] = "Target-group attributes for one Service port (suffix = port), over aws-load-balancer-target-group-attributes.",
        [Svc + "connection-draining-enabled"] = "In-tree Classic ELB: finish in-flight requests before deregistering.",
        [Svc + "connection-draining-timeout"] = "In-tree Classic ELB: seconds of connection draining.",
        [Svc + "extra-security-groups"] = "In-tree Classic ELB: security groups added to the balancer.",
        [Svc + "access-log-emit-interval"] = "In-tree Classic ELB: minutes between access-log writes (5 or 60).",
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
        [Alb + "auth-idp-cognito"] = "Cognito user pool, client and domain (JSON) for auth-type cognito.",
        [Alb + "auth-idp-oidc"] = "OIDC issuer, endpoints and the Secret holding the client credentials (JSON) for auth-type oidc.",
        [Alb + "auth-on-unauthenticated-request"] = "What an unauthenticated request gets: authenticate (default), allow or deny.",
        [Alb + "auth-scope"] = "OIDC/Cognito scopes requested (default: openid).",
        [Alb + "auth-session-cookie"] = "Name of the ALB's session cookie (default AWSELBAuthSessionCookie).",
        [Alb + "auth-session-timeout"] = "Seconds an authenticated session lasts (default 604800).",
        [Alb + "jwt-validation"] = "JWT validation at the ALB: JWKS endpoint, issuer and claims (JSON).",
        [Alb + "customer-owned-ipv4-pool"] = "Outposts: customer-owned IPv4 pool for the ALB.",
        [Alb + "wafv2-acl-name"] = "AWS WAFv2 web ACL, by name, attached to the ALB.",
        [Alb + "web-acl-id"] = "Deprecated spelling of waf-acl-id (Classic AWS WAF web ACL).",
        [Alb + "backend-protocol-version"] = "Protocol version to targets: HTTP1 (default), HTTP2 or GRPC.",
        [Alb + "target-node-labels"] = "Only nodes with these labels (k=v,…) are registered as instance targets.",
        [Alb + "manage-backend-security-group-rules"] = "Whether the controller adds rules letting the ALB reach targets.",
        [Alb + "mutual-authentication"] = "Mutual TLS per HTTPS port: off, passthrough or verify with a trust store (JSON).",
        [Alb + "security-group-prefix-lists"] = "Managed prefix lists allowed in by the ALB's managed security group.",
        [Alb + "listener-attributes.*"] = "Listener attributes (k=v,…) of the listener named by the suffix, e.g. listener-attributes.HTTPS-443.",
        [Alb + "multi-cluster-target-group"] = "Lets other clusters register targets in the same target groups (true/false).",
        [Alb + "minimum-load-balancer-capacity"] = "Reserved capacity, e.g. CapacityUnits=1000.",
        [Alb + "ipam-ipv4-pool-id"] = "IPAM pool the ALB's public IPv4 addresses come from.",
        [Alb + "enable-frontend-nlb"] = "Puts an NLB in front of the ALB (static IPs, PrivateLink).",
        [Alb + "frontend-nlb-scheme"] = "Scheme of the frontend NLB.",
        [Alb + "frontend-nlb-subnets"] = "Subnets of the frontend NLB.",
        [Alb + "frontend-nlb-security-groups"] = "Security groups of the frontend NLB.",
        [Alb + "frontend-nlb-listener-port-mapping"] = "Which NLB port forwards to which ALB port (k=v,…).",
        [Alb + "frontend-nlb-eip-allocations"] = "Elastic IPs of the frontend NLB, one per subnet.",
        [Alb + "frontend-nlb-healthcheck-port"] = "Health-check port of the frontend NLB's target group (the ALB).",
        [Alb + "frontend-nlb-healthcheck-protocol"] = "Health-check protocol of the frontend NLB's target group.",
        [Alb + "frontend-nlb-healthcheck-path"] = "Health-check path of the frontend NLB's target group.",
        [Alb + "frontend-nlb-healthcheck-interval-seconds"] = "Seconds between the frontend NLB's health checks.",
        [Alb + "frontend-nlb-healthcheck-timeout-seconds"] = "Timeout of the frontend NLB's health checks.",
        [Alb + "frontend-nlb-healthcheck-healthy-threshold-count"] = "Successes before the frontend NLB counts the ALB healthy.",
        [Alb + "frontend-nlb-healthcheck-unhealthy-threshold-count"] = "Failures before the frontend NLB counts the ALB unhealthy.",
        [Alb + "frontend-nlb-healthcheck-success-codes"] = "HTTP codes the frontend NLB's health check accepts.",
        [Alb + "frontend-nlb-attributes"] = "Load-balancer attributes of the frontend NLB.",
        [Alb + "frontend-nlb-tags"] = "Extra AWS tags on the frontend NLB.",
        [Alb + "use-regex-path-match"] = "Treat this Ingress's paths as regular expressions (ALB regex path conditions).",
        [Alb + "target-control-port"] = "Port of the target-control agent on ip targets.",
        [Alb + "create-acm-cert"] = "Let the controller request ACM certificates for the Ingress's hosts.",
        [Alb + "acm-pca-arn"] = "ACM Private CA that issues the certificates create-acm-cert requests.",
        [Alb + "dry-run-plan"] = "Written by the controller in dry-run mode: the plan it would apply.",
        [Alb + "transforms.*"] = "Header or URL rewrites (JSON) for the rules of the backend named by the suffix.",
        ["elbv2.k8s.aws/checkpoint"] = "Written by the controller: a fingerprint of the last state it reconciled.",
        ["elbv2.k8s.aws/checkpoint-timestamp"] = "Written by the controller: when it last reconciled (Unix seconds).",
        ["kubernetes.io/ingress.class"] = "Deprecated way to pick the ingress controller; wins over spec.ingressClassName for the AWS controller. Move it to spec.ingressClassName.",
        ["kubectl.kubernetes.io/last-applied-configuration"] = "The object as last applied with kubectl apply (used for three-way merges).",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// The meaning of an annotation name: every annotation the AWS Load Balancer Controller documents, the in-tree
    /// provider's, and a warning for an unknown one under their prefixes; null for annotations of other tools.
    /// </summary>
    public static string? Meaning(string name)
    {
        if (Meanings.TryGetValue(name, out var meaning))
        {
            return meaning;
        }
        foreach (var prefix in (ReadOnlySpan<string>)[Alb + "actions.", Alb + "conditions.", Alb + "transforms.", Alb + "listener-attributes.",
            Svc + "listener-attributes.", Svc + "target-group-attributes."])
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                return Meanings[prefix + "*"];
            }
        }
        if (name.StartsWith(Svc, StringComparison.Ordinal) || name.StartsWith(Alb, StringComparison.Ordinal))
        {
            return "Not an annotation the AWS Load Balancer Controller or the in-tree provider reads (a typo?): it has no effect.";
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
