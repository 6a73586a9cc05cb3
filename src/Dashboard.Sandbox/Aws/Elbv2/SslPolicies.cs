using System.Collections.Immutable;

namespace Dashboard.Sandbox.Aws.Elbv2;

/// <summary>A predefined ELB security policy: the TLS versions and ciphers (in server preference order) it negotiates.</summary>
public sealed record SslPolicy(string Name, ImmutableArray<string> SslProtocols, ImmutableArray<string> Ciphers, ImmutableArray<string> SupportedLoadBalancerTypes);

/// <summary>
/// The predefined security policies that <c>DescribeSSLPolicies</c> lists, as the Application and Network Load Balancer
/// guides document them ("Security policies"). A subset: the policies in common use (the CLI default
/// <c>ELBSecurityPolicy-2016-08</c>, the TLS 1.3 family, the TLS 1.2-only and forward-secrecy ones); the FIPS and
/// post-quantum families are not listed.
/// </summary>
public static class SslPolicies
{
    private static readonly ImmutableArray<string> Tls13Ciphers = ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"];

    private static readonly ImmutableArray<string> EcdheGcm =
        ["ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384"];

    private static readonly ImmutableArray<string> EcdheSha2 =
    [
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES128-SHA256", "ECDHE-RSA-AES128-SHA256",
        "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-ECDSA-AES256-SHA384", "ECDHE-RSA-AES256-SHA384",
    ];

    /// <summary>The 2016-08 cipher list: ECDHE first, SHA-1 suites kept for old clients, then static RSA.</summary>
    private static readonly ImmutableArray<string> Compatible =
    [
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES128-SHA256", "ECDHE-RSA-AES128-SHA256",
        "ECDHE-ECDSA-AES128-SHA", "ECDHE-RSA-AES128-SHA", "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-AES256-SHA384", "ECDHE-RSA-AES256-SHA384", "ECDHE-RSA-AES256-SHA", "ECDHE-ECDSA-AES256-SHA",
        "AES128-GCM-SHA256", "AES128-SHA256", "AES128-SHA", "AES256-GCM-SHA384", "AES256-SHA256", "AES256-SHA",
    ];

    private static readonly ImmutableArray<string> ApplicationAndNetwork = ["application", "network"];

    /// <summary>The policies in the order DescribeSSLPolicies lists them.</summary>
    public static ImmutableArray<SslPolicy> All { get; } =
    [
        Policy("ELBSecurityPolicy-2016-08", ["TLSv1", "TLSv1.1", "TLSv1.2"], Compatible),
        Policy("ELBSecurityPolicy-TLS13-1-2-2021-06", ["TLSv1.2", "TLSv1.3"], [.. Tls13Ciphers, .. EcdheSha2]),
        Policy("ELBSecurityPolicy-TLS13-1-2-Res-2021-06", ["TLSv1.2", "TLSv1.3"], [.. Tls13Ciphers, .. EcdheGcm]),
        Policy("ELBSecurityPolicy-TLS13-1-3-2021-06", ["TLSv1.3"], Tls13Ciphers),
        Policy("ELBSecurityPolicy-TLS-1-2-2017-01", ["TLSv1.2"], [.. EcdheSha2, "AES128-GCM-SHA256", "AES128-SHA256", "AES256-GCM-SHA384", "AES256-SHA256"]),
        Policy("ELBSecurityPolicy-TLS-1-2-Ext-2018-06", ["TLSv1.2"], Compatible),
        Policy("ELBSecurityPolicy-TLS-1-1-2017-01", ["TLSv1.1", "TLSv1.2"], Compatible),
        Policy("ELBSecurityPolicy-FS-1-2-Res-2020-10", ["TLSv1.2"], EcdheGcm),
        Policy("ELBSecurityPolicy-2015-05", ["TLSv1", "TLSv1.1", "TLSv1.2"], Compatible),
    ];

    public static SslPolicy? Find(string name) => All.FirstOrDefault(p => p.Name == name);

    private static SslPolicy Policy(string name, ImmutableArray<string> protocols, ImmutableArray<string> ciphers) =>
        new(name, protocols, ciphers, ApplicationAndNetwork);
}
