namespace Dashboard.Client.Feed;

public static class FeedSubscriptionExtensions
{
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
