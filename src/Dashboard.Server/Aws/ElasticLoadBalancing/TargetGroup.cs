namespace Dashboard.Server.Aws.ElasticLoadBalancing;

/// <summary>A target group: where a load balancer sends traffic and how it checks the targets' health.</summary>
public sealed record TargetGroup
{
    public required string TargetGroupArn { get; init; }
    public required string TargetGroupName { get; init; }
    public string? Protocol { get; init; }
    public string? ProtocolVersion { get; init; }
    public int? Port { get; init; }
    public string? VpcId { get; init; }
    public string? HealthCheckProtocol { get; init; }
    public string? HealthCheckPort { get; init; }
    public bool? HealthCheckEnabled { get; init; }
    public int? HealthCheckIntervalSeconds { get; init; }
    public int? HealthCheckTimeoutSeconds { get; init; }
    public int? HealthyThresholdCount { get; init; }
    public int? UnhealthyThresholdCount { get; init; }
    public string? HealthCheckPath { get; init; }
    public Matcher? Matcher { get; init; }
    public IReadOnlyList<string> LoadBalancerArns { get; init; } = [];

    /// <summary><c>instance</c>, <c>ip</c>, <c>lambda</c> or <c>alb</c>.</summary>
    public string? TargetType { get; init; }
    public string? IpAddressType { get; init; }
}

/// <summary>The codes a health check accepts as healthy, e.g. <c>200-399</c>.</summary>
public sealed record Matcher(string? HttpCode, string? GrpcCode);

/// <summary>One target group attribute, e.g. <c>deregistration_delay.timeout_seconds</c> = <c>300</c>.</summary>
public sealed record TargetGroupAttribute(string Key, string Value);
