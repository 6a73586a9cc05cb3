using System.Collections.Immutable;
using Dashboard.Client.Feed;

namespace Dashboard.Client.Changes;

/// <summary>The default of <see cref="IDashboardFeed.Audit"/> on a host without guided changes: no records, now or later.</summary>
public static class NoAudit
{
    public static IFeed<ChangeRecord> Feed { get; } = new Empty();

    private sealed class Empty : IFeed<ChangeRecord>
    {
        public ImmutableArray<ChangeRecord> Snapshot => [];

        public FeedSubscription<ChangeRecord> Subscribe(CancellationToken cancellationToken) => new([], NoChangesAsync(cancellationToken));

        private static async IAsyncEnumerable<IReadOnlyList<FeedChange<ChangeRecord>>> NoChangesAsync(
            [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            yield break;
        }
    }
}
