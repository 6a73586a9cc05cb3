using System.Collections.Immutable;
using Dashboard.Server.Aws.ElasticLoadBalancing;

namespace Dashboard.Server.LoadBalancers;

/// <summary>
/// What the pollers know about each target group's health, and when each needs reading again: groups with a target
/// not healthy, or viewed, at the fast interval; groups CloudWatch suggests changed, and new ones, at once; the rest by
/// the slow sweep. Tracks since when each target has been in its state. Not thread-safe: the poll loop owns it.
/// </summary>
public sealed partial class TargetHealthTracker(AwsPollingOptions options, Random random)
{
    private readonly Dictionary<string, TrackedGroup> _groups = new(StringComparer.Ordinal);

    /// <summary>The last read health of every group read at least once (the snapshot's part).</summary>
    public ImmutableDictionary<string, TargetGroupHealth> Health { get; private set; } = ImmutableDictionary<string, TargetGroupHealth>.Empty;

    /// <summary>True once every known group has been read at least once.</summary>
    public bool AllRead => _groups.Values.All(g => g.ReadAt is not null);

    public int Count => _groups.Count;

    /// <summary>Adds groups not tracked yet (read at once) and forgets those not in <paramref name="targetGroupArns"/>.</summary>
    public void Sync(IEnumerable<string> targetGroupArns, DateTimeOffset now)
    {
        var current = targetGroupArns.ToHashSet(StringComparer.Ordinal);
        foreach (var arn in _groups.Keys.Where(a => !current.Contains(a)).ToList())
        {
            Forget(arn);
        }
        foreach (var arn in current)
        {
            if (!_groups.ContainsKey(arn))
            {
                _groups[arn] = new TrackedGroup { AddedAt = now, NextSweepAt = now };
            }
        }
    }

    /// <summary>Drops a group (deleted in AWS).</summary>
    public void Forget(string targetGroupArn)
    {
        _groups.Remove(targetGroupArn);
        Health = Health.Remove(targetGroupArn);
    }

    /// <summary>
    /// Marks for an immediate read every group that has one of <paramref name="targetIds"/> registered (a pod IP or an
    /// instance id). Returns how many groups were marked.
    /// </summary>
    public int SuspectTargets(IReadOnlySet<string> targetIds, DateTimeOffset now)
    {
        var marked = 0;
        foreach (var (arn, health) in Health)
        {
            if (_groups.TryGetValue(arn, out var group) && group.ReadAt is not null
                && health.Targets.Any(t => targetIds.Contains(t.Description.Target.Id)))
            {
                group.SuspectedAt ??= now;
                marked++;
            }
        }
        return marked;
    }

    /// <summary>Groups whose read is due at <paramref name="now"/>, with its priority and since when it is due.</summary>
    public IEnumerable<(string TargetGroupArn, PollPriority Priority, DateTimeOffset Due)> DueReads(DateTimeOffset now, IReadOnlySet<string> viewed)
    {
        foreach (var (arn, group) in _groups)
        {
            var (priority, due) = Next(group, viewed.Contains(arn));
            if (due <= now)
            {
                yield return (arn, priority, due);
            }
        }
    }

    /// <summary>
    /// Records a DescribeTargetHealth answer read at <paramref name="now"/>: targets in the same state keep their
    /// <see cref="ObservedTargetHealth.Since"/> (and instance, when nothing changed), a new state starts now.
    /// </summary>
    public TargetGroupHealth Record(string targetGroupArn, IReadOnlyList<TargetHealthDescription> descriptions, DateTimeOffset now)
    {
        if (!_groups.TryGetValue(targetGroupArn, out var group))
        {
            group = new TrackedGroup { AddedAt = now, NextSweepAt = now };
            _groups[targetGroupArn] = group;
        }
        var previous = Health.GetValueOrDefault(targetGroupArn);
        var known = previous?.Targets.ToDictionary(t => Key(t.Description.Target)) ?? [];
        var sorted = descriptions.OrderBy(d => d.Target.Id, StringComparer.Ordinal).ThenBy(d => d.Target.Port).ThenBy(d => d.Target.AvailabilityZone, StringComparer.Ordinal);
        var targets = ImmutableArray.CreateBuilder<ObservedTargetHealth>(descriptions.Count);
        foreach (var description in sorted)
        {
            if (known.TryGetValue(Key(description.Target), out var old))
            {
                targets.Add(old.Description == description ? old
                    : old.Description.TargetHealth.RawState == description.TargetHealth.RawState ? old with { Description = description }
                    : new ObservedTargetHealth(description, now) { ChangeObserved = true });
            }
            else
            {
                // A target appearing in a group read before was registered about now; in a first read, its state is older.
                targets.Add(new ObservedTargetHealth(description, now) { ChangeObserved = previous is not null });
            }
        }
        var unchanged = previous is not null && previous.Targets.Length == targets.Count
            && previous.Targets.Select((t, i) => ReferenceEquals(t, targets[i])).All(same => same);
        var result = unchanged
            ? previous! with { AsOf = now }
            : new TargetGroupHealth(targetGroupArn, targets.ToImmutable(), now);
        Health = Health.SetItem(targetGroupArn, result);

        var share = group.ReadAt is null ? options.Jitter + ((1 - options.Jitter) * random.NextDouble()) : 1 - (options.Jitter * random.NextDouble());
        group.ReadAt = now;
        group.NextSweepAt = now + (options.SweepInterval * share);
        var healthy = result.Targets.Count(t => t.Description.TargetHealth.State == TargetHealthState.Healthy);
        var unhealthy = result.Targets.Count(t => t.Description.TargetHealth.State is TargetHealthState.Unhealthy or TargetHealthState.UnhealthyDraining);
        if (group.SuspectedAt is not null)
        {
            // What CloudWatch said is now explained by this read, whether or not it found a change...
            group.ExplainedReading = group.TriggeringReading;
            group.TriggeringReading = null;
            group.SuspectedAt = null;
        }
        else if (healthy != group.Healthy || unhealthy != group.Unhealthy)
        {
            // ...until the counts move: then the same reading means something new again.
            group.ExplainedReading = null;
        }
        group.Healthy = healthy;
        group.Unhealthy = unhealthy;
        group.NeedsFastReads = result.Targets.Any(t => IsUnsettled(t.Description.TargetHealth.State));
        return result;
    }

    /// <summary>
    /// Groups whose host counts CloudWatch should be asked for: read before, not read fast anyway (no unsettled target,
    /// not viewed).
    /// </summary>
    public IEnumerable<string> GroupsToWatch(IReadOnlySet<string> viewed) =>
        _groups.Where(g => g.Value.ReadAt is not null && !g.Value.NeedsFastReads && !viewed.Contains(g.Key)).Select(g => g.Key);

    /// <summary>
    /// Compares a CloudWatch reading with the last read counts. A reading that disagrees (fewer healthy or more unhealthy
    /// hosts than known) marks the group for an immediate read — unless our read is newer than the reading's minute, or
    /// a read already explained this very reading (e.g. a per-zone count that never matches). Returns true if marked.
    /// </summary>
    public bool ApplyReading(string targetGroupArn, HealthCountReading reading, DateTimeOffset now)
    {
        if (!_groups.TryGetValue(targetGroupArn, out var group) || group.ReadAt is not { } readAt || group.NeedsFastReads)
        {
            return false;
        }
        if (reading.Timestamp.AddSeconds(HealthCountMetrics.PeriodSeconds) <= readAt)
        {
            return false;
        }
        var disagrees = reading.MinHealthy != group.Healthy || reading.MaxUnhealthy != group.Unhealthy;
        if (!disagrees || reading.SameCounts(group.ExplainedReading))
        {
            return false;
        }
        group.SuspectedAt ??= now;
        group.TriggeringReading = reading;
        return true;
    }

    /// <summary>States that change by themselves soon, so the group is read at the fast interval.</summary>
    public static bool IsUnsettled(TargetHealthState state) =>
        state is TargetHealthState.Unhealthy or TargetHealthState.UnhealthyDraining or TargetHealthState.Initial or TargetHealthState.Draining;

    private (PollPriority Priority, DateTimeOffset Due) Next(TrackedGroup group, bool viewed)
    {
        if (group.ReadAt is not { } readAt)
        {
            return (PollPriority.New, group.AddedAt);
        }
        if (group.NeedsFastReads)
        {
            return (PollPriority.Unhealthy, readAt + options.FastInterval);
        }
        if (viewed)
        {
            return (PollPriority.Viewed, readAt + options.FastInterval);
        }
        if (group.SuspectedAt is { } suspectedAt)
        {
            return (PollPriority.Changed, suspectedAt);
        }
        return (PollPriority.Sweep, group.NextSweepAt);
    }

    private static (string Id, int? Port, string? Zone) Key(TargetDescription target) => (target.Id, target.Port, target.AvailabilityZone);

    private sealed class TrackedGroup
    {
        public required DateTimeOffset AddedAt { get; init; }
        public DateTimeOffset? ReadAt { get; set; }
        public DateTimeOffset NextSweepAt { get; set; }
        public DateTimeOffset? SuspectedAt { get; set; }
        public bool NeedsFastReads { get; set; }
        public int Healthy { get; set; }
        public int Unhealthy { get; set; }
        public HealthCountReading? TriggeringReading { get; set; }
        public HealthCountReading? ExplainedReading { get; set; }
    }
}
