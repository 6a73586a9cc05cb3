namespace Dashboard.Client.Feed;

public static class FeedSubscriptionExtensions
{
    /// <summary>The item of a single-value subscription's snapshot (cost report, endpoint, summary), or null when it holds none.</summary>
    public static T? SingleItem<T>(this FeedSubscription<T> subscription) where T : class =>
        subscription.Snapshot.IsDefaultOrEmpty ? null : subscription.Snapshot[^1];

    /// <summary>
    /// The value of a single-value feed after <paramref name="batch"/>: the last upsert's item, null after a delete,
    /// <paramref name="current"/> when the batch is empty.
    /// </summary>
    public static T? Latest<T>(this IReadOnlyList<FeedChange<T>> batch, T? current) where T : class
    {
        foreach (var change in batch)
        {
            current = change.Kind == FeedChangeKind.Upsert ? change.Item : null;
        }
        return current;
    }

    /// <summary>
    /// Reads change batches until <paramref name="cancellationToken"/> fires, handing each to
    /// <paramref name="onBatch"/> (which a component points at <c>InvokeAsync</c>: one render per batch).
    /// Returns normally on cancellation; any other failure of the feed propagates.
    /// </summary>
    public static async Task ConsumeAsync<T>(
        this FeedSubscription<T> subscription,
        Func<IReadOnlyList<FeedChange<T>>, Task> onBatch,
        CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var batch in subscription.Changes.WithCancellation(cancellationToken))
            {
                await onBatch(batch);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The component is going away.
        }
    }
}
