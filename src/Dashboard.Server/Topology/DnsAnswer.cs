using System.Collections.Immutable;

namespace Dashboard.Server.Topology;

public enum DnsOutcome
{
    /// <summary>The name resolved: see <see cref="DnsAnswer.CanonicalNames"/> and <see cref="DnsAnswer.Addresses"/>.</summary>
    Resolved,
    /// <summary>The name does not exist (NXDOMAIN) or has no address records.</summary>
    NotFound,
    /// <summary>No answer could be had (no resolver, offline, timeout): nothing is known about the name.</summary>
    Unavailable,
}

/// <summary>What a DNS lookup of one host returned: the CNAME chain and the addresses, or why there is no answer.</summary>
public sealed record DnsAnswer(string Host, DnsOutcome Outcome, ImmutableArray<string> CanonicalNames, ImmutableArray<string> Addresses, string? Error, DateTimeOffset AsOf)
{
    public static DnsAnswer Unavailable(string host, string reason, DateTimeOffset asOf) => new(host, DnsOutcome.Unavailable, [], [], reason, asOf);

    /// <summary>Lower case, without the trailing dot: the form names are compared in.</summary>
    public static string Normalize(string host) => host.Trim().TrimEnd('.').ToLowerInvariant();
}
