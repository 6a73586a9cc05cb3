namespace Dashboard.Server.Aws.ElasticLoadBalancing;

/// <summary>An Application, Network or Gateway Load Balancer (ELBv2 <c>LoadBalancer</c>).</summary>
public sealed record LoadBalancer
{
    public required string LoadBalancerArn { get; init; }
    public required string LoadBalancerName { get; init; }
    public string? DnsName { get; init; }
    public string? CanonicalHostedZoneId { get; init; }
    public DateTimeOffset? CreatedTime { get; init; }

    /// <summary><c>internet-facing</c> or <c>internal</c>.</summary>
    public string? Scheme { get; init; }
    public string? VpcId { get; init; }
    public LoadBalancerState? State { get; init; }

    /// <summary><c>application</c>, <c>network</c> or <c>gateway</c>.</summary>
    public string? Type { get; init; }
    public IReadOnlyList<AvailabilityZone> AvailabilityZones { get; init; } = [];
    public IReadOnlyList<string> SecurityGroups { get; init; } = [];

    /// <summary><c>ipv4</c>, <c>dualstack</c> or <c>dualstack-without-public-ipv4</c>.</summary>
    public string? IpAddressType { get; init; }
}

/// <summary>State of a load balancer: <c>active</c>, <c>provisioning</c>, <c>active_impaired</c> or <c>failed</c>.</summary>
public sealed record LoadBalancerState(string Code, string? Reason);

/// <summary>A zone and subnet a load balancer is enabled in, with its addresses (NLB).</summary>
public sealed record AvailabilityZone
{
    public required string ZoneName { get; init; }
    public string? SubnetId { get; init; }
    public IReadOnlyList<LoadBalancerAddress> LoadBalancerAddresses { get; init; } = [];
}

/// <summary>A static or elastic address of a Network Load Balancer in one zone.</summary>
public sealed record LoadBalancerAddress(string? IpAddress, string? AllocationId, string? PrivateIPv4Address, string? IPv6Address);

/// <summary>One load balancer attribute, e.g. <c>deletion_protection.enabled</c> = <c>false</c>.</summary>
public sealed record LoadBalancerAttribute(string Key, string Value);
