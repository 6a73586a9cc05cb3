using Dashboard.Server.Aws;
using Dashboard.Server.Feed;

namespace Dashboard.Server.LoadBalancers;

/// <summary>
/// The region the AWS source reads: the one ELBv2 requests are signed for (<c>Dashboard:Aws:Region</c>, in sandbox mode
/// else <c>Sandbox:Region</c>). An AWS account is separate per region, so this says which load balancers the dashboard
/// can see at all.
/// </summary>
public sealed class AwsRegionScope(IAwsEndpointResolver? endpoints) : ISourceScope
{
    public string Key => AwsPoller.SourceKey;

    public string? Scope
    {
        get
        {
            try
            {
                return endpoints?.Resolve(AwsService.ElasticLoadBalancing).SigningRegion;
            }
            catch (InvalidOperationException)
            {
                // No region configured: AWS is off, and its status says why.
                return null;
            }
        }
    }
}
