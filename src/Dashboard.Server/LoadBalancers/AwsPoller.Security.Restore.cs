namespace Dashboard.Server.LoadBalancers;

public sealed partial class AwsPoller
{
    /// <summary>
    /// On a takeover: the EC2/ACM/WAFv2 part the previous leader published stays in the snapshot (it is not dropped from
    /// the next publication) and is read again when its oldest part is due, not at once by every new leader.
    /// </summary>
    private void RestoreSecurity(AwsSnapshot published)
    {
        if (published.Security is not { } security || _security is not null)
        {
            return;
        }
        _security = security;
        _securityAt = security.AsOf.IsEmpty ? null : security.AsOf.Values.Min();
        _securityConfigurationVersion = Configuration.Version;
    }
}
