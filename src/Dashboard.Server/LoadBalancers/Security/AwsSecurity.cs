using System.Collections.Immutable;

namespace Dashboard.Server.LoadBalancers.Security;

/// <summary>
/// What protects and places the region's balancers, as last read from EC2, ACM and WAFv2: part of the one
/// <see cref="AwsSnapshot"/>. Each part keeps its last good value when a read fails, with the failure in
/// <see cref="Errors"/> (by part: <c>ec2</c>, <c>acm</c>, <c>wafv2</c>) so the checklist can say its answer is stale.
/// </summary>
public sealed record AwsSecurity
{
    /// <summary>Security groups of the balancers' VPCs, by group id.</summary>
    public ImmutableDictionary<string, SecurityGroupFacts> SecurityGroups { get; init; } = ImmutableDictionary<string, SecurityGroupFacts>.Empty;

    /// <summary>Subnets of the balancers' VPCs (every subnet of the region when there is no balancer yet).</summary>
    public ImmutableArray<SubnetFacts> Subnets { get; init; } = [];

    /// <summary>The listeners' ACM certificates by ARN; a certificate ACM does not hold maps to one with <see cref="CertificateFacts.Missing"/>.</summary>
    public ImmutableDictionary<string, CertificateFacts> Certificates { get; init; } = ImmutableDictionary<string, CertificateFacts>.Empty;

    /// <summary>For each Application Load Balancer ARN, the web ACL associated with it (null: none).</summary>
    public ImmutableDictionary<string, WebAclFacts?> WebAcls { get; init; } = ImmutableDictionary<string, WebAclFacts?>.Empty;

    /// <summary>
    /// For each balancer ARN the ELB network interfaces found, the number with a public IPv4 address (billed per
    /// address-hour outside Elastic Load Balancing); a balancer without interfaces found is absent.
    /// </summary>
    public ImmutableDictionary<string, int> PublicIpv4ByBalancer { get; init; } = ImmutableDictionary<string, int>.Empty;

    /// <summary>The last failure of each part that failed in the latest read, by part.</summary>
    public ImmutableDictionary<string, string> Errors { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>When the parts were last read successfully, by part.</summary>
    public ImmutableDictionary<string, DateTimeOffset> AsOf { get; init; } = ImmutableDictionary<string, DateTimeOffset>.Empty;

    public const string Ec2Part = "ec2";
    public const string AcmPart = "acm";
    public const string WafPart = "wafv2";
    public const string NetworkInterfacesPart = "ec2-eni";

    /// <summary>Whether a part has been read at least once.</summary>
    public bool Has(string part) => AsOf.ContainsKey(part);
}

/// <summary>One inbound or outbound permission: protocol (<c>-1</c> = all), port range, and where from (a CIDR or a group).</summary>
public sealed record SecurityRule(string Protocol, int? FromPort, int? ToPort, string? Cidr, string? SourceGroupId, string? Description)
{
    /// <summary>Whether the rule lets TCP traffic reach <paramref name="port"/>.</summary>
    public bool AllowsTcp(int port) => Protocol == "-1" || (Protocol is "tcp" or "6" && (FromPort ?? 0) <= port && port <= (ToPort ?? 65535));

    /// <summary>Open to every address (0.0.0.0/0 or ::/0).</summary>
    public bool IsWorld => Cidr is "0.0.0.0/0" or "::/0";

    public string Ports => Protocol == "-1" ? "all traffic" : FromPort == ToPort ? $"{Protocol} {FromPort}" : $"{Protocol} {FromPort}-{ToPort}";

    public string Source => Cidr ?? SourceGroupId ?? "?";
}

public sealed record SecurityGroupFacts(string GroupId, string GroupName, string VpcId, ImmutableArray<SecurityRule> Inbound, ImmutableDictionary<string, string> Tags);

public sealed record SubnetFacts(string SubnetId, string VpcId, string AvailabilityZone, string CidrBlock, int FreeAddresses, bool Public, ImmutableDictionary<string, string> Tags);

public sealed record CertificateFacts
{
    public required string Arn { get; init; }
    public string? DomainName { get; init; }
    public ImmutableArray<string> Names { get; init; } = [];
    public string? Status { get; init; }
    public string? Issuer { get; init; }
    public DateTimeOffset? NotAfter { get; init; }

    /// <summary>ACM answered that it holds no certificate with this ARN (deleted, or in another region or account).</summary>
    public bool Missing { get; init; }

    /// <summary>Whether a certificate name covers <paramref name="host"/>: exact, or a wildcard covering exactly one label.</summary>
    public bool Covers(string host) => Names.Any(n => NameCovers(n, host));

    public static bool NameCovers(string name, string host)
    {
        name = name.TrimEnd('.').ToLowerInvariant();
        host = host.TrimEnd('.').ToLowerInvariant();
        if (name == host)
        {
            return true;
        }
        if (name.StartsWith("*.", StringComparison.Ordinal))
        {
            var dot = host.IndexOf('.', StringComparison.Ordinal);
            return dot > 0 && host[(dot + 1)..] == name[2..];
        }
        return false;
    }
}

public sealed record WebAclFacts(string Name, string Arn, string? DefaultAction, ImmutableArray<string> Rules);
