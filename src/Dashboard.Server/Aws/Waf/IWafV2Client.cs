namespace Dashboard.Server.Aws.Waf;

/// <summary>
/// WAFv2 reads (REGIONAL scope): which web ACL protects a balancer, and the region's web ACLs. Shaped like AWSSDK.WAFV2
/// so that package can replace this client. Failures throw <see cref="AwsServiceException"/>.
/// </summary>
public interface IWafV2Client
{
    /// <summary>The web ACL associated with <paramref name="resourceArn"/> (an ALB ARN), or null when none is.</summary>
    Task<WebAclSummary?> GetWebAclForResourceAsync(string resourceArn, CancellationToken cancellationToken = default);

    /// <summary>Every regional web ACL (paging followed inside).</summary>
    Task<IReadOnlyList<WebAclSummary>> ListWebAclsAsync(CancellationToken cancellationToken = default);
}

/// <summary>A web ACL: its name, id, ARN and (from GetWebACLForResource) its default action and rule names.</summary>
public sealed record WebAclSummary(string Name, string Id, string Arn)
{
    public string? DefaultAction { get; init; }
    public IReadOnlyList<string> Rules { get; init; } = [];
}
