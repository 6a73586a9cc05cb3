using Dashboard.Client.Model;

namespace Dashboard.Client.Tests.Model;

public class AnnotationCatalogTests
{
    /// <summary>Every annotation the AWS Load Balancer Controller reads (its pkg/annotations/constants.go), by suffix.</summary>
    public static TheoryData<string> DocumentedAnnotations()
    {
        string[] service =
        [
            "aws-load-balancer-type", "aws-load-balancer-nlb-target-type", "aws-load-balancer-name", "aws-load-balancer-scheme", "aws-load-balancer-internal",
            "aws-load-balancer-proxy-protocol", "aws-load-balancer-proxy-protocol-per-target-group", "aws-load-balancer-ip-address-type",
            "aws-load-balancer-access-log-enabled", "aws-load-balancer-access-log-s3-bucket-name", "aws-load-balancer-access-log-s3-bucket-prefix",
            "aws-load-balancer-cross-zone-load-balancing-enabled", "aws-load-balancer-ssl-cert", "aws-load-balancer-ssl-ports",
            "aws-load-balancer-ssl-negotiation-policy", "aws-load-balancer-backend-protocol", "aws-load-balancer-additional-resource-tags",
            "aws-load-balancer-healthcheck-healthy-threshold", "aws-load-balancer-healthcheck-unhealthy-threshold", "aws-load-balancer-healthcheck-timeout",
            "aws-load-balancer-healthcheck-interval", "aws-load-balancer-healthcheck-protocol", "aws-load-balancer-healthcheck-port",
            "aws-load-balancer-healthcheck-path", "aws-load-balancer-healthcheck-success-codes", "aws-load-balancer-target-group-attributes",
            "aws-load-balancer-subnets", "aws-load-balancer-eip-allocations", "aws-load-balancer-private-ipv4-addresses", "aws-load-balancer-ipv6-addresses",
            "aws-load-balancer-alpn-policy", "aws-load-balancer-target-node-labels", "aws-load-balancer-attributes", "aws-load-balancer-security-groups",
            "aws-load-balancer-manage-backend-security-group-rules", "aws-load-balancer-inbound-sg-rules-on-private-link-traffic",
            "aws-load-balancer-security-group-prefix-lists", "aws-load-balancer-listener-attributes.TCP-80", "aws-load-balancer-multi-cluster-target-group",
            "aws-load-balancer-enable-prefix-for-ipv6-source-nat", "aws-load-balancer-source-nat-ipv6-prefixes", "aws-load-balancer-minimum-load-balancer-capacity",
            "aws-load-balancer-enable-icmp-for-path-mtu-discovery", "aws-load-balancer-enable-tcp-udp-listener", "aws-load-balancer-disable-nlb-sg",
            "aws-load-balancer-quic-enabled-ports", "load-balancer-source-ranges",
        ];
        string[] ingress =
        [
            "load-balancer-name", "group.name", "group.order", "tags", "ip-address-type", "scheme", "subnets", "customer-owned-ipv4-pool",
            "load-balancer-attributes", "wafv2-acl-arn", "wafv2-acl-name", "waf-acl-id", "web-acl-id", "shield-advanced-protection", "security-groups",
            "listen-ports", "ssl-redirect", "inbound-cidrs", "certificate-arn", "ssl-policy", "target-type", "backend-protocol", "backend-protocol-version",
            "target-group-attributes", "healthcheck-port", "healthcheck-protocol", "healthcheck-path", "healthcheck-interval-seconds",
            "healthcheck-timeout-seconds", "healthy-threshold-count", "unhealthy-threshold-count", "success-codes", "auth-type", "auth-idp-cognito",
            "auth-idp-oidc", "auth-on-unauthenticated-request", "auth-scope", "auth-session-cookie", "auth-session-timeout", "jwt-validation",
            "target-node-labels", "manage-backend-security-group-rules", "mutual-authentication", "security-group-prefix-lists",
            "listener-attributes.HTTPS-443", "multi-cluster-target-group", "minimum-load-balancer-capacity", "ipam-ipv4-pool-id", "enable-frontend-nlb",
            "frontend-nlb-scheme", "frontend-nlb-subnets", "frontend-nlb-security-groups", "frontend-nlb-listener-port-mapping",
            "frontend-nlb-eip-allocations", "frontend-nlb-healthcheck-port", "frontend-nlb-healthcheck-protocol", "frontend-nlb-healthcheck-path",
            "frontend-nlb-healthcheck-interval-seconds", "frontend-nlb-healthcheck-timeout-seconds", "frontend-nlb-healthcheck-healthy-threshold-count",
            "frontend-nlb-healthcheck-unhealthy-threshold-count", "frontend-nlb-healthcheck-success-codes", "frontend-nlb-attributes", "frontend-nlb-tags",
            "use-regex-path-match", "target-control-port", "create-acm-cert", "acm-pca-arn", "actions.to-https", "conditions.web", "transforms.web",
        ];
        var data = new TheoryData<string>();
        foreach (var suffix in service)
        {
            data.Add("service.beta.kubernetes.io/" + suffix);
        }
        foreach (var suffix in ingress)
        {
            data.Add("alb.ingress.kubernetes.io/" + suffix);
        }
        data.Add("kubernetes.io/ingress.class");
        return data;
    }

    [Theory]
    [MemberData(nameof(DocumentedAnnotations))]
    public void Every_annotation_the_controller_documents_has_a_meaning(string name)
    {
        var meaning = AnnotationCatalog.Meaning(name);

        Assert.False(string.IsNullOrWhiteSpace(meaning));
        Assert.DoesNotContain("typo", meaning, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_annotation_under_a_controller_prefix_is_called_out_as_having_no_effect()
    {
        Assert.Contains("no effect", AnnotationCatalog.Meaning("alb.ingress.kubernetes.io/healthcheck-paht"), StringComparison.Ordinal);
        Assert.Null(AnnotationCatalog.Meaning("example.com/owner"));
    }
}
