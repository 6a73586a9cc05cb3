using System.Collections.Immutable;

namespace Dashboard.Sandbox.Aws.Ec2;

/// <summary>A VPC subnet as <c>DescribeSubnets</c> returns it.</summary>
public sealed record Subnet
{
    public required string SubnetId { get; init; }
    public required string VpcId { get; init; }
    public required string CidrBlock { get; init; }
    public required string AvailabilityZone { get; init; }
    public required int AvailableIpAddressCount { get; init; }

    /// <summary>Public subnets map a public address on launch (the route to an internet gateway is implied).</summary>
    public required bool MapPublicIpOnLaunch { get; init; }
    public required ImmutableSortedDictionary<string, string> Tags { get; init; }
}

/// <summary>Where an inbound or outbound rule lets traffic come from (or go to): one CIDR or one security group.</summary>
public sealed record RuleSource(string? CidrIpv4 = null, string? CidrIpv6 = null, string? GroupId = null, string? Description = null);

/// <summary>One security group rule (<c>DescribeSecurityGroupRules</c>); protocol <c>-1</c> means all traffic.</summary>
public sealed record SecurityGroupRule
{
    public required string RuleId { get; init; }
    public required string GroupId { get; init; }
    public required bool IsEgress { get; init; }
    public required string IpProtocol { get; init; }
    public required int FromPort { get; init; }
    public required int ToPort { get; init; }
    public required RuleSource Source { get; init; }
}

/// <summary>A security group with its rules (<c>DescribeSecurityGroups</c>).</summary>
public sealed record SecurityGroup
{
    public required string GroupId { get; init; }
    public required string GroupName { get; init; }
    public required string Description { get; init; }
    public required string VpcId { get; init; }
    public required ImmutableArray<SecurityGroupRule> Rules { get; init; }
    public required ImmutableSortedDictionary<string, string> Tags { get; init; }
}

/// <summary>An elastic network interface of a load balancer node (<c>DescribeNetworkInterfaces</c>).</summary>
public sealed record NetworkInterface
{
    public required string NetworkInterfaceId { get; init; }
    public required string SubnetId { get; init; }
    public required string VpcId { get; init; }
    public required string AvailabilityZone { get; init; }
    public required string Description { get; init; }
    public required string PrivateIpAddress { get; init; }

    /// <summary>The public IPv4 address of an internet-facing balancer's node (charged per hour); null when internal.</summary>
    public string? PublicIp { get; init; }
    public required ImmutableArray<string> Groups { get; init; }
}
