using Dashboard.Server.LoadBalancers.Security;

namespace Dashboard.Server.LoadBalancers;

/// <summary>
/// The security part of a poll round: EC2 security groups and subnets, ACM certificates and WAF associations, read every
/// <see cref="AwsPollingOptions.SecurityInterval"/> and again (at most every <see cref="AwsPollingOptions.FastInterval"/>)
/// after the balancer configuration changed, so a new balancer's rows fill in quickly. Published in the same
/// <see cref="AwsSnapshot"/> as everything else.
/// </summary>
public sealed partial class AwsPoller
{
    private readonly AwsSecurityReader? _securityReader;
    private AwsSecurity? _security;
    private DateTimeOffset? _securityAt;
    private long _securityConfigurationVersion = -1;

    private async Task ReadSecurityIfDueAsync(CancellationToken cancellationToken)
    {
        if (_securityReader is null || _listedAt is null)
        {
            return;
        }
        var now = _time.GetUtcNow();
        var due = _securityAt is null || now >= _securityAt + _options.SecurityInterval
            || (Configuration.Version != _securityConfigurationVersion && now >= _securityAt + _options.FastInterval);
        if (!due)
        {
            return;
        }
        _securityAt = now;
        _securityConfigurationVersion = Configuration.Version;
        var snapshot = new AwsSnapshot { LoadBalancers = Configuration.LoadBalancers, Listeners = Configuration.Listeners };
        _security = await _securityReader.ReadAsync(snapshot, _security, cancellationToken);
    }
}
