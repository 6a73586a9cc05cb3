namespace Dashboard.Server.LoadBalancers;

public sealed partial class TargetHealthTracker
{
    /// <summary>
    /// Takes over a published snapshot's target health (a failover, or a warm restart): each group keeps the targets'
    /// <see cref="ObservedTargetHealth.Since"/> times, so triage history has no gap; a group with a target not healthy is
    /// read at the fast interval as before, the others are swept over <paramref name="sweepInterval"/> from their read
    /// time; a group without health is read at once.
    /// </summary>
    public void Restore(AwsSnapshot snapshot, DateTimeOffset now, TimeSpan sweepInterval, double jitter, Random random)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        _groups.Clear();
        var known = snapshot.TargetGroups.Select(tg => tg.TargetGroupArn).ToHashSet(StringComparer.Ordinal);
        var unknown = snapshot.TargetHealth.Keys.Where(arn => !known.Contains(arn)).ToList();
        // The same instance when nothing is dropped: the poller then sees nothing new to publish.
        Health = unknown.Count == 0 ? snapshot.TargetHealth : snapshot.TargetHealth.RemoveRange(unknown);
        foreach (var (arn, health) in Health)
        {
            _groups[arn] = new TrackedGroup
            {
                AddedAt = health.AsOf,
                ReadAt = health.AsOf,
                NextSweepAt = health.AsOf + (sweepInterval * (jitter + ((1 - jitter) * random.NextDouble()))),
                Healthy = health.Targets.Count(t => t.Description.TargetHealth.State == Aws.ElasticLoadBalancing.TargetHealthState.Healthy),
                Unhealthy = health.Targets.Count(t => t.Description.TargetHealth.State is Aws.ElasticLoadBalancing.TargetHealthState.Unhealthy or Aws.ElasticLoadBalancing.TargetHealthState.UnhealthyDraining),
                NeedsFastReads = health.Targets.Any(t => IsUnsettled(t.Description.TargetHealth.State)),
            };
        }
        Sync(known, now);
    }
}
