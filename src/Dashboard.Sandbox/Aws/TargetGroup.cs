using System.Collections.Immutable;

namespace Dashboard.Sandbox.Aws;

/// <summary>The health check of a target group.</summary>
public sealed record HealthCheck
{
    public bool Enabled { get; init; } = true;
    public string Protocol { get; init; } = "HTTP";

    /// <summary>A port number as text, or <c>traffic-port</c>.</summary>
    public string Port { get; init; } = "traffic-port";

    /// <summary>Null for TCP health checks.</summary>
    public string? Path { get; init; } = "/";
    public int IntervalSeconds { get; init; } = 15;
    public int TimeoutSeconds { get; init; } = 5;
    public int HealthyThresholdCount { get; init; } = 2;
    public int UnhealthyThresholdCount { get; init; } = 2;

    /// <summary>HTTP codes such as <c>200</c> or <c>200-399</c>; null for TCP.</summary>
    public string? Matcher { get; init; } = "200";
}

/// <summary>A target group (<c>DescribeTargetGroups</c>); its targets live in <see cref="AwsWorld"/>.</summary>
public sealed record TargetGroup
{
    public required string Arn { get; init; }
    public required string Name { get; init; }
    public required string Id { get; init; }

    /// <summary><c>HTTP</c>, <c>HTTPS</c>, <c>TCP</c>, <c>TLS</c>, <c>UDP</c>, <c>TCP_UDP</c>.</summary>
    public required string Protocol { get; init; }
    public required int Port { get; init; }
    public required string VpcId { get; init; }

    /// <summary><c>instance</c>, <c>ip</c>, <c>lambda</c>, <c>alb</c>.</summary>
    public required string TargetType { get; init; }

    /// <summary><c>HTTP1</c>, <c>HTTP2</c>, <c>GRPC</c> for HTTP(S) groups; null otherwise.</summary>
    public string? ProtocolVersion { get; init; }
    public string IpAddressType { get; init; } = "ipv4";
    public required HealthCheck HealthCheck { get; init; }

    /// <summary>Attributes (<c>deregistration_delay.timeout_seconds</c>, <c>stickiness.enabled</c>, …).</summary>
    public required ImmutableSortedDictionary<string, string> Attributes { get; init; }

    /// <summary>Load balancers whose listeners or rules forward here (maintained by the world).</summary>
    public ImmutableArray<string> LoadBalancerArns { get; init; } = [];

    /// <summary>The CloudWatch <c>TargetGroup</c> dimension: <c>targetgroup/{name}/{id}</c>.</summary>
    public string MetricDimension => $"targetgroup/{Name}/{Id}";
}

/// <summary>What the controller asks for when it creates a target group.</summary>
public sealed record TargetGroupSpec
{
    public required string Name { get; init; }
    public required string Protocol { get; init; }
    public required int Port { get; init; }
    public string TargetType { get; init; } = "ip";
    public string? VpcId { get; init; }
    public string? ProtocolVersion { get; init; }
    public string IpAddressType { get; init; } = "ipv4";

    /// <summary>Null picks the AWS defaults for the protocol (HTTP path <c>/</c> matcher 200, or TCP).</summary>
    public HealthCheck? HealthCheck { get; init; }
    public ImmutableDictionary<string, string> Attributes { get; init; } = ImmutableDictionary<string, string>.Empty;
    public ImmutableDictionary<string, string> Tags { get; init; } = ImmutableDictionary<string, string>.Empty;
}
