using System.Collections.Immutable;
using Dashboard.Server.LoadBalancers;

namespace Dashboard.Server.Topology;

/// <summary>
/// Where the topology reads the AWS side from: the current <see cref="AwsSnapshot"/>, a signal when it changes, and a
/// lease that marks target groups as viewed (so their health is polled often while a page shows them). The AWS pollers
/// provide it; <see cref="AwsSnapshotHolder"/> is the hand-filled one (no pollers, tests).
/// </summary>
public interface IAwsSnapshotInput
{
    AwsSnapshot Current { get; }

    /// <summary>Raised after <see cref="Current"/> changed; handlers must be quick (the feed only schedules a recompute).</summary>
    event Action? Changed;

    /// <summary>Marks target groups as viewed until the returned lease is disposed.</summary>
    IDisposable MarkViewed(IReadOnlyCollection<string> targetGroupArns);

    /// <summary>Load balancer ARNs with CloudWatch datapoints in the last hour; null when metrics are not read.</summary>
    ImmutableHashSet<string>? BalancersWithMetrics => null;
}

/// <summary>An <see cref="IAwsSnapshotInput"/> filled by hand: holds the last published snapshot and counts viewed leases.</summary>
public sealed class AwsSnapshotHolder : IAwsSnapshotInput
{
    private readonly object _gate = new();
    private readonly Dictionary<string, int> _viewed = new(StringComparer.Ordinal);
    private AwsSnapshot _current = AwsSnapshot.Empty;

    public AwsSnapshot Current { get { lock (_gate) { return _current; } } }

    public event Action? Changed;

    /// <summary>Target groups with at least one open lease.</summary>
    public IReadOnlySet<string> Viewed { get { lock (_gate) { return _viewed.Keys.ToHashSet(StringComparer.Ordinal); } } }

    public void Publish(AwsSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (_gate)
        {
            _current = snapshot;
        }
        Changed?.Invoke();
    }

    public IDisposable MarkViewed(IReadOnlyCollection<string> targetGroupArns)
    {
        var arns = targetGroupArns.Distinct(StringComparer.Ordinal).ToList();
        lock (_gate)
        {
            foreach (var arn in arns)
            {
                _viewed[arn] = _viewed.GetValueOrDefault(arn) + 1;
            }
        }
        return new Lease(this, arns);
    }

    private void Release(List<string> arns)
    {
        lock (_gate)
        {
            foreach (var arn in arns)
            {
                if (_viewed.TryGetValue(arn, out var count))
                {
                    if (count <= 1)
                    {
                        _viewed.Remove(arn);
                    }
                    else
                    {
                        _viewed[arn] = count - 1;
                    }
                }
            }
        }
    }

    private sealed class Lease(AwsSnapshotHolder owner, List<string> arns) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Release(arns);
            }
        }
    }
}
