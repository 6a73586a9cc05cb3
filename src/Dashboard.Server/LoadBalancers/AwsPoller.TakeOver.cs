namespace Dashboard.Server.LoadBalancers;

public sealed partial class AwsPoller
{
    /// <summary>
    /// Called by the polling loop when this replica starts polling (it became the leader, or it starts warm from a stored
    /// snapshot): when <paramref name="published"/> — what the previous leader published, or what the store held — is
    /// newer than what this poller read itself, the poller continues from it rather than reading everything again: it lists once, then reads only what is due.
    /// Returns true when it did. Must run on the poll loop (between rounds).
    /// </summary>
    public bool TakeOver(AwsSnapshot published)
    {
        ArgumentNullException.ThrowIfNull(published);
        if (published.ConfigurationAsOf is not { } asOf || (_listedAt is { } listedAt && listedAt >= asOf))
        {
            return false;
        }
        var now = _time.GetUtcNow();
        Configuration.Restore(published, now, _options.ConfigurationDetailsInterval, _options.Jitter, Random.Shared);
        Health.Restore(published, now, _options.SweepInterval, _options.Jitter, Random.Shared);
        _listedAt = asOf;
        _usage = published.Usage;
        _usageAt = published.Usage?.AsOf;
        RestoreSecurity(published);
        // The published data is as good as its listing time until this replica's own reads move it on.
        _lastSuccess[Key("ElasticLoadBalancing", "published snapshot")] = asOf;
        // One listing at once (two paged calls) confirms what exists and catches what changed while nobody polled; the
        // per-resource details (listeners, attributes, tags) and health keep their own schedules. Until it succeeds the
        // source is not live.
        _relist = true;
        _synced = false;
        _publishedConfigurationVersion = Configuration.Version;
        _publishedListedAt = _listedAt;
        LogTookOver(_logger, Configuration.LoadBalancers.Length, Configuration.TargetGroups.Length, asOf);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "AWS polling continues from the published snapshot ({LoadBalancers} load balancers, {TargetGroups} target groups, listed at {ListedAt:O})")]
    private static partial void LogTookOver(ILogger logger, int loadBalancers, int targetGroups, DateTimeOffset listedAt);
}
