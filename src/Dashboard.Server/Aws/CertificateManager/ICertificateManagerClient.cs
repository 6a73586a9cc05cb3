namespace Dashboard.Server.Aws.CertificateManager;

/// <summary>
/// ACM reads: the certificates of the region and one certificate's names and validity. Shaped like
/// AWSSDK.CertificateManager so that package can replace this client. Failures throw <see cref="AwsServiceException"/>
/// (<c>ResourceNotFoundException</c> for an ARN ACM does not hold).
/// </summary>
public interface ICertificateManagerClient
{
    /// <summary>Every certificate (paging followed inside).</summary>
    Task<IReadOnlyList<CertificateSummary>> ListCertificatesAsync(CancellationToken cancellationToken = default);

    Task<CertificateDetail> DescribeCertificateAsync(string certificateArn, CancellationToken cancellationToken = default);
}

/// <summary>One row of <c>ListCertificates</c>.</summary>
public sealed record CertificateSummary(string CertificateArn, string DomainName, string? Status, DateTimeOffset? NotAfter, bool InUse);

/// <summary><c>DescribeCertificate</c>: the names a certificate covers, who issued it and when it expires.</summary>
public sealed record CertificateDetail
{
    public required string CertificateArn { get; init; }
    public required string DomainName { get; init; }
    public required IReadOnlyList<string> SubjectAlternativeNames { get; init; }
    public string? Status { get; init; }
    public string? Type { get; init; }
    public string? Subject { get; init; }
    public string? Issuer { get; init; }
    public DateTimeOffset? NotBefore { get; init; }
    public DateTimeOffset? NotAfter { get; init; }
    public string? RenewalEligibility { get; init; }
    public IReadOnlyList<string> InUseBy { get; init; } = [];
}
