using System.Text.Json.Nodes;

namespace Dashboard.Server.Aws.CertificateManager;

/// <summary>
/// ACM over the JSON 1.1 protocol (<c>X-Amz-Target: CertificateManager.*</c>). Hand-written because
/// AWSSDK.CertificateManager is not served by the registry these machines reach (docs/aws.md).
/// </summary>
public sealed class CertificateManagerClient : ICertificateManagerClient
{
    public const string TargetPrefix = "CertificateManager";

    private readonly AwsTransport _transport;

    public CertificateManagerClient(IHttpClientFactory httpClientFactory, IAwsEndpointResolver endpointResolver, ILogger<CertificateManagerClient> logger)
    {
        _transport = new AwsTransport(httpClientFactory, endpointResolver, AwsService.CertificateManager, logger);
    }

    public async Task<IReadOnlyList<CertificateSummary>> ListCertificatesAsync(CancellationToken cancellationToken = default)
    {
        var result = new List<CertificateSummary>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            var body = new JsonObject { ["MaxItems"] = 1000 };
            if (token is not null)
            {
                body["NextToken"] = token;
            }
            token = await AwsJsonCall.SendAsync(_transport, TargetPrefix, "ListCertificates", body, root =>
            {
                result.AddRange(AwsJsonCall.Array(root, "CertificateSummaryList").Select(c => new CertificateSummary(
                    AwsJsonCall.String(c, "CertificateArn") ?? "",
                    AwsJsonCall.String(c, "DomainName") ?? "",
                    AwsJsonCall.String(c, "Status"),
                    AwsJsonCall.Time(c, "NotAfter"),
                    c.TryGetProperty("InUse", out var inUse) && inUse.ValueKind == System.Text.Json.JsonValueKind.True)));
                return AwsJsonCall.String(root, "NextToken") is { Length: > 0 } next ? next : null;
            }, cancellationToken);
            if (token is not null && !seen.Add(token))
            {
                throw new AwsServiceException(AwsService.CertificateManager.Name, "ListCertificates", 200, null, "the service returned the same NextToken twice; paging stopped", null);
            }
        }
        while (token is not null);
        return result;
    }

    public Task<CertificateDetail> DescribeCertificateAsync(string certificateArn, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(certificateArn);
        return AwsJsonCall.SendAsync(_transport, TargetPrefix, "DescribeCertificate", new JsonObject { ["CertificateArn"] = certificateArn }, root =>
        {
            var c = root.GetProperty("Certificate");
            return new CertificateDetail
            {
                CertificateArn = AwsJsonCall.String(c, "CertificateArn") ?? certificateArn,
                DomainName = AwsJsonCall.String(c, "DomainName") ?? "",
                SubjectAlternativeNames = [.. AwsJsonCall.Array(c, "SubjectAlternativeNames").Select(n => n.GetString() ?? "")],
                Status = AwsJsonCall.String(c, "Status"),
                Type = AwsJsonCall.String(c, "Type"),
                Subject = AwsJsonCall.String(c, "Subject"),
                Issuer = AwsJsonCall.String(c, "Issuer"),
                NotBefore = AwsJsonCall.Time(c, "NotBefore"),
                NotAfter = AwsJsonCall.Time(c, "NotAfter"),
                RenewalEligibility = AwsJsonCall.String(c, "RenewalEligibility"),
                InUseBy = [.. AwsJsonCall.Array(c, "InUseBy").Select(n => n.GetString() ?? "")],
            };
        }, cancellationToken);
    }
}
