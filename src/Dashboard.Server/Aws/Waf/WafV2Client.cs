using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dashboard.Server.Aws.Waf;

/// <summary>
/// WAFv2 over the JSON 1.1 protocol (<c>X-Amz-Target: AWSWAF_20190729.*</c>). Hand-written because AWSSDK.WAFV2 is not
/// served by the registry these machines reach (docs/aws.md).
/// </summary>
public sealed class WafV2Client : IWafV2Client
{
    public const string TargetPrefix = "AWSWAF_20190729";

    private readonly AwsTransport _transport;

    public WafV2Client(IHttpClientFactory httpClientFactory, IAwsEndpointResolver endpointResolver, ILogger<WafV2Client> logger)
    {
        _transport = new AwsTransport(httpClientFactory, endpointResolver, AwsService.Wafv2, logger);
    }

    public Task<WebAclSummary?> GetWebAclForResourceAsync(string resourceArn, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(resourceArn);
        return AwsJsonCall.SendAsync(_transport, TargetPrefix, "GetWebACLForResource", new JsonObject { ["ResourceArn"] = resourceArn }, root =>
        {
            if (!root.TryGetProperty("WebACL", out var acl) || acl.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            return new WebAclSummary(AwsJsonCall.String(acl, "Name") ?? "", AwsJsonCall.String(acl, "Id") ?? "", AwsJsonCall.String(acl, "ARN") ?? "")
            {
                DefaultAction = acl.TryGetProperty("DefaultAction", out var action) && action.ValueKind == JsonValueKind.Object
                    ? action.EnumerateObject().Select(p => p.Name).FirstOrDefault()
                    : null,
                Rules = [.. AwsJsonCall.Array(acl, "Rules").Select(r => AwsJsonCall.String(r, "Name") ?? "")],
            };
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<WebAclSummary>> ListWebAclsAsync(CancellationToken cancellationToken = default)
    {
        var result = new List<WebAclSummary>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? marker = null;
        do
        {
            var body = new JsonObject { ["Scope"] = "REGIONAL", ["Limit"] = 100 };
            if (marker is not null)
            {
                body["NextMarker"] = marker;
            }
            marker = await AwsJsonCall.SendAsync(_transport, TargetPrefix, "ListWebACLs", body, root =>
            {
                var page = AwsJsonCall.Array(root, "WebACLs").Select(a => new WebAclSummary(AwsJsonCall.String(a, "Name") ?? "", AwsJsonCall.String(a, "Id") ?? "", AwsJsonCall.String(a, "ARN") ?? "")).ToList();
                result.AddRange(page);
                // WAF returns a NextMarker on the last page too; an empty page ends the listing.
                return page.Count > 0 && AwsJsonCall.String(root, "NextMarker") is { Length: > 0 } next ? next : null;
            }, cancellationToken);
            if (marker is not null && !seen.Add(marker))
            {
                break;
            }
        }
        while (marker is not null);
        return result;
    }
}
