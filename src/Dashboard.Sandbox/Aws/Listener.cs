using System.Collections.Immutable;

namespace Dashboard.Sandbox.Aws;

/// <summary>A listener certificate (ACM ARN); the listener's own certificate is the default one.</summary>
public sealed record ListenerCertificate(string CertificateArn, bool IsDefault);

/// <summary>A listener of a load balancer (<c>DescribeListeners</c>).</summary>
public sealed record Listener
{
    public required string Arn { get; init; }
    public required string LoadBalancerArn { get; init; }
    public required int Port { get; init; }

    /// <summary><c>HTTP</c>, <c>HTTPS</c>, <c>TCP</c>, <c>TLS</c>, <c>UDP</c>, <c>TCP_UDP</c>.</summary>
    public required string Protocol { get; init; }
    public ImmutableArray<ListenerCertificate> Certificates { get; init; } = [];
    public string? SslPolicy { get; init; }
    public ImmutableArray<string> AlpnPolicy { get; init; } = [];
    public required ImmutableArray<RuleAction> DefaultActions { get; init; }
}

/// <summary>What the controller asks for when it creates a listener.</summary>
public sealed record ListenerSpec
{
    public required int Port { get; init; }
    public required string Protocol { get; init; }
    public ImmutableArray<ListenerCertificate> Certificates { get; init; } = [];
    public string? SslPolicy { get; init; }
    public ImmutableArray<string> AlpnPolicy { get; init; } = [];
    public required ImmutableArray<RuleAction> DefaultActions { get; init; }
}
