using System.Collections.Immutable;

namespace Dashboard.Sandbox.Aws.CertificateManager;

/// <summary>An ACM certificate as <c>DescribeCertificate</c> returns it (the sandbox only holds issued, Amazon-issued ones).</summary>
public sealed record Certificate
{
    public required string Arn { get; init; }
    public required string DomainName { get; init; }

    /// <summary>Every name the certificate covers, the domain name first (as ACM lists them).</summary>
    public required ImmutableArray<string> SubjectAlternativeNames { get; init; }
    public required string Serial { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset NotBefore { get; init; }
    public required DateTimeOffset NotAfter { get; init; }
    public string Status { get; init; } = "ISSUED";
    public string Type { get; init; } = "AMAZON_ISSUED";
    public string KeyAlgorithm { get; init; } = "RSA_2048";
}
