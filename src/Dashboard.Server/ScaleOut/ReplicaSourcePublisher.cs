using Dashboard.Client.Model;
using Dashboard.Server.Feed;
using Dashboard.Server.LoadBalancers;
using Microsoft.Extensions.Options;

namespace Dashboard.Server.ScaleOut;

/// <summary>
/// With several replicas, the source indicator gets a <see cref="SourceKey"/> entry: which replica polls AWS (this one or
/// another) and, on a follower, how old the data it serves is. Syncing until a Lease holder is known.
/// </summary>
public sealed class ReplicaSourcePublisher(
    IReplicaLeadership leadership,
    AwsSnapshotSharing sharing,
    SourceStatusRegistry sources,
    IOptions<LeadershipOptions> options,
    IOptions<AwsPollingOptions> polling,
    TimeProvider time) : BackgroundService
{
    public const string SourceKey = "replicas";
    public const string DisplayName = "Replicas";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        SourceStatus? last = null;
        var tick = options.Value.RetryPeriod / 2;
        while (!stoppingToken.IsCancellationRequested)
        {
            var status = Current();
            // The age moves every tick; republish it when it moved a retry period, or when anything else changed.
            if (last is null || status with { LastGoodAt = last.LastGoodAt } != last
                || (status.LastGoodAt - last.LastGoodAt)?.Duration() >= options.Value.RetryPeriod)
            {
                sources.Publish(status);
                last = status;
            }
            try
            {
                await Task.Delay(tick, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>How old a publication may be before a follower calls it stale: a lease duration and two fast intervals.</summary>
    internal TimeSpan StaleAfter => options.Value.LeaseDuration + (2 * polling.Value.FastInterval);

    internal SourceStatus Current()
    {
        var holder = leadership.LeaseHolder;
        if (leadership.IsLeader)
        {
            return new SourceStatus
            {
                Key = SourceKey, DisplayName = DisplayName, State = SourceState.Live, LastGoodAt = time.GetUtcNow(),
                PolledBy = leadership.Replica, PolledHere = true,
                Message = $"This replica ({leadership.Replica}) holds the Lease {leadership.Lease} and polls AWS",
            };
        }
        if (holder is null)
        {
            return new SourceStatus
            {
                Key = SourceKey, DisplayName = DisplayName, State = SourceState.Syncing,
                Message = $"Waiting for a replica to take the Lease {leadership.Lease}; this is {leadership.Replica}",
            };
        }
        var published = sharing.Published;
        // A live leader republishes at least once per fast interval (its AWS status's age moves); far older means its
        // publishing stopped (a dead holder before the Lease expires, or a store it cannot write).
        var stale = published is not null && time.GetUtcNow() - published.PublishedAt > StaleAfter;
        return new SourceStatus
        {
            Key = SourceKey,
            DisplayName = DisplayName,
            State = stale ? SourceState.Stale : SourceState.Live,
            LastGoodAt = published?.PublishedAt,
            PolledBy = holder,
            Message = published is null
                ? $"Replica {holder} polls AWS; nothing published yet (this is {leadership.Replica})"
                : stale
                    ? $"Replica {holder} holds the Lease but last published {published.PublishedAt:u} (this is {leadership.Replica})"
                    : $"Replica {holder} polls AWS; its data was published {published.PublishedAt:u} (this is {leadership.Replica})",
        };
    }
}
