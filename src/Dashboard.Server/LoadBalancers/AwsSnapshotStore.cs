using System.Collections.Immutable;

namespace Dashboard.Server.LoadBalancers;

/// <summary>
/// Holds the published <see cref="AwsSnapshot"/>, raises <see cref="Changed"/> for each new one, and counts which target groups pages are
/// viewing (reference-counted leases), for the poller to read.
/// </summary>
public sealed class AwsSnapshotStore : IAwsSnapshotSource
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _viewCounts = new(StringComparer.Ordinal);
    private ImmutableHashSet<string> _viewed = ImmutableHashSet.Create<string>(StringComparer.Ordinal);
    private volatile AwsSnapshot _current = AwsSnapshot.Empty;
    private TaskCompletionSource _viewsAdded = NewSignal();

    public AwsSnapshot Current => _current;

    public event Action<AwsSnapshot>? Changed;

    /// <summary>The target groups at least one lease is viewing.</summary>
    public ImmutableHashSet<string> ViewedTargetGroups => _viewed;

    /// <summary>Completes when a lease adds a group nobody was viewing (the poller wakes to read it early).</summary>
    public Task ViewsAdded
    {
        get
        {
            lock (_gate)
            {
                return _viewsAdded.Task;
            }
        }
    }

    /// <summary>Replaces the snapshot and raises <see cref="Changed"/>; a snapshot identical to the current one is ignored.</summary>
    public void Publish(AwsSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (_gate)
        {
            if (ReferenceEquals(snapshot, _current))
            {
                return;
            }
            _current = snapshot;
        }
        Changed?.Invoke(snapshot);
    }

    public IDisposable MarkViewed(IEnumerable<string> targetGroupArns)
    {
        ArgumentNullException.ThrowIfNull(targetGroupArns);
        var arns = targetGroupArns.Where(a => !string.IsNullOrWhiteSpace(a)).Distinct(StringComparer.Ordinal).ToArray();
        lock (_gate)
        {
            var added = false;
            foreach (var arn in arns)
            {
                var count = _viewCounts.GetValueOrDefault(arn);
                _viewCounts[arn] = count + 1;
                added |= count == 0;
            }
            if (added)
            {
                _viewed = [.. _viewCounts.Keys];
                _viewsAdded.TrySetResult();
                _viewsAdded = NewSignal();
            }
        }
        return new ViewLease(this, arns);
    }

    private void Release(string[] arns)
    {
        lock (_gate)
        {
            var removed = false;
            foreach (var arn in arns)
            {
                if (_viewCounts.TryGetValue(arn, out var count))
                {
                    if (count <= 1)
                    {
                        _viewCounts.Remove(arn);
                        removed = true;
                    }
                    else
                    {
                        _viewCounts[arn] = count - 1;
                    }
                }
            }
            if (removed)
            {
                _viewed = [.. _viewCounts.Keys];
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class ViewLease(AwsSnapshotStore store, string[] arns) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                store.Release(arns);
            }
        }
    }
}
