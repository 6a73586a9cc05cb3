using System.Collections.Immutable;

namespace Dashboard.Sandbox.Aws;

/// <summary>ELBv2 load balancer type, as the API spells it (<c>application</c>, <c>network</c>).</summary>
public enum LoadBalancerType
{
    Application,
    Network,
}

/// <summary>ELBv2 load balancer state code (<c>provisioning</c>, <c>active</c>, <c>active_impaired</c>, <c>failed</c>).</summary>
public enum LoadBalancerStateCode
{
    Provisioning,
    Active,
    ActiveImpaired,
    Failed,
}

/// <summary>A subnet the load balancer has a node in.</summary>
public sealed record LoadBalancerAvailabilityZone(string ZoneName, string SubnetId);

/// <summary>An Application or Network Load Balancer as <c>DescribeLoadBalancers</c> returns it.</summary>
public sealed record LoadBalancer
{
    public required string Arn { get; init; }
    public required string Name { get; init; }

    /// <summary>The 16 hex digits that end the ARN.</summary>
    public required string Id { get; init; }
    public required LoadBalancerType Type { get; init; }

    /// <summary><c>internet-facing</c> or <c>internal</c>.</summary>
    public required string Scheme { get; init; }
    public required string DnsName { get; init; }
    public required string CanonicalHostedZoneId { get; init; }
    public required LoadBalancerStateCode State { get; init; }
    public required string VpcId { get; init; }
    public required ImmutableArray<LoadBalancerAvailabilityZone> AvailabilityZones { get; init; }
    public required ImmutableArray<string> SecurityGroups { get; init; }

    /// <summary><c>ipv4</c> or <c>dualstack</c>.</summary>
    public required string IpAddressType { get; init; }
    public required DateTimeOffset CreatedTime { get; init; }

    /// <summary>Load balancer attributes (<c>idle_timeout.timeout_seconds</c>, <c>deletion_protection.enabled</c>, …).</summary>
    public required ImmutableSortedDictionary<string, string> Attributes { get; init; }

    /// <summary>The CloudWatch <c>LoadBalancer</c> dimension: <c>app/{name}/{id}</c> or <c>net/{name}/{id}</c>.</summary>
    public string MetricDimension => $"{AwsArns.TypeSegment(Type)}/{Name}/{Id}";
}

/// <summary>What the controller asks for when it creates a load balancer.</summary>
public sealed record LoadBalancerSpec
{
    public required string Name { get; init; }
    public required LoadBalancerType Type { get; init; }
    public string Scheme { get; init; } = "internet-facing";
    public string IpAddressType { get; init; } = "ipv4";
    public string? VpcId { get; init; }

    /// <summary>Subnets; when empty the world picks one per availability zone of its default VPC.</summary>
    public ImmutableArray<LoadBalancerAvailabilityZone> AvailabilityZones { get; init; } = [];
    public ImmutableArray<string> SecurityGroups { get; init; } = [];
    public ImmutableDictionary<string, string> Attributes { get; init; } = ImmutableDictionary<string, string>.Empty;
    public ImmutableDictionary<string, string> Tags { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>When it was created; null means now. Set it in the past to get metric and cost history.</summary>
    public DateTimeOffset? CreatedTime { get; init; }

    /// <summary>Initial state; the controller usually creates <c>provisioning</c> and later activates.</summary>
    public LoadBalancerStateCode State { get; init; } = LoadBalancerStateCode.Provisioning;
}
