using System.Collections.Immutable;

namespace Dashboard.Sandbox.Aws;

/// <summary>The attribute sets and health check defaults AWS gives new load balancers and target groups.</summary>
public static class ElbDefaults
{
    public static ImmutableSortedDictionary<string, string> LoadBalancerAttributes(LoadBalancerType type) => type switch
    {
        LoadBalancerType.Application => Sorted(
            ("access_logs.s3.enabled", "false"), ("access_logs.s3.bucket", ""), ("access_logs.s3.prefix", ""),
            ("connection_logs.s3.enabled", "false"), ("deletion_protection.enabled", "false"),
            ("idle_timeout.timeout_seconds", "60"), ("client_keep_alive.seconds", "3600"),
            ("routing.http2.enabled", "true"), ("routing.http.drop_invalid_header_fields.enabled", "false"),
            ("routing.http.desync_mitigation_mode", "defensive"), ("routing.http.preserve_host_header.enabled", "false"),
            ("routing.http.xff_client_port.enabled", "false"), ("routing.http.xff_header_processing.mode", "append"),
            ("routing.http.x_amzn_tls_version_and_cipher_suite.enabled", "false"),
            ("load_balancing.cross_zone.enabled", "true"), ("waf.fail_open.enabled", "false")),
        _ => Sorted(
            ("access_logs.s3.enabled", "false"), ("access_logs.s3.bucket", ""), ("access_logs.s3.prefix", ""),
            ("deletion_protection.enabled", "false"), ("load_balancing.cross_zone.enabled", "false"),
            ("dns_record.client_routing_policy", "any_availability_zone"), ("ipv6.deny_all_igw_traffic", "false")),
    };

    public static ImmutableSortedDictionary<string, string> TargetGroupAttributes(string protocol, string targetType) =>
        IsLayer7(protocol)
            ? Sorted(
                ("deregistration_delay.timeout_seconds", "300"), ("slow_start.duration_seconds", "0"),
                ("stickiness.enabled", "false"), ("stickiness.type", "lb_cookie"),
                ("stickiness.lb_cookie.duration_seconds", "86400"), ("stickiness.app_cookie.cookie_name", ""),
                ("stickiness.app_cookie.duration_seconds", "86400"), ("load_balancing.algorithm.type", "round_robin"),
                ("load_balancing.algorithm.anomaly_mitigation", "off"),
                ("load_balancing.cross_zone.enabled", "use_load_balancer_configuration"),
                ("target_group_health.dns_failover.minimum_healthy_targets.count", "1"),
                ("target_group_health.dns_failover.minimum_healthy_targets.percentage", "off"),
                ("target_group_health.unhealthy_state_routing.minimum_healthy_targets.count", "1"),
                ("target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage", "off"))
            : Sorted(
                ("deregistration_delay.timeout_seconds", "300"), ("deregistration_delay.connection_termination.enabled", "false"),
                ("stickiness.enabled", "false"), ("stickiness.type", "source_ip"), ("proxy_protocol_v2.enabled", "false"),
                ("preserve_client_ip.enabled", targetType == "instance" ? "true" : "false"),
                ("load_balancing.cross_zone.enabled", "use_load_balancer_configuration"),
                ("target_health_state.unhealthy.connection_termination.enabled", "true"),
                ("target_group_health.dns_failover.minimum_healthy_targets.count", "1"),
                ("target_group_health.dns_failover.minimum_healthy_targets.percentage", "off"),
                ("target_group_health.unhealthy_state_routing.minimum_healthy_targets.count", "1"),
                ("target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage", "off"));

    /// <summary>The API's defaults when CreateTargetGroup names no health check settings.</summary>
    public static HealthCheck HealthCheckFor(string protocol) => IsLayer7(protocol)
        ? new HealthCheck
        {
            Protocol = protocol, Path = "/", Matcher = "200", IntervalSeconds = 30, TimeoutSeconds = 5,
            HealthyThresholdCount = 5, UnhealthyThresholdCount = 2,
        }
        : new HealthCheck
        {
            Protocol = "TCP", Path = null, Matcher = null, IntervalSeconds = 30, TimeoutSeconds = 10,
            HealthyThresholdCount = 5, UnhealthyThresholdCount = 2,
        };

    /// <summary>HTTP and HTTPS target groups belong to ALBs; the others to NLBs.</summary>
    public static bool IsLayer7(string protocol) => protocol is "HTTP" or "HTTPS";

    private static ImmutableSortedDictionary<string, string> Sorted(params (string Key, string Value)[] pairs) =>
        pairs.ToImmutableSortedDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
}
