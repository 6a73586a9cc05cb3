using Dashboard.Client.Feed;

namespace Dashboard.Client.Components;

/// <summary>
/// The background tasks a component consumes its feed subscriptions on, and the cancellation that ends them: started
/// with <see cref="Start"/>, cancelled and awaited on disposal (their cancellation is the expected end, not an error).
/// </summary>
public sealed class FeedWatches : IAsyncDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private readonly List<Task> _watches = [];

    /// <summary>Cancelled on disposal; pass it to the subscriptions the watches consume.</summary>
    public CancellationToken Token => _cts.Token;

    /// <summary>Runs <paramref name="watch"/> on the thread pool with <see cref="Token"/>.</summary>
    public void Start(Func<CancellationToken, Task> watch)
    {
        var token = _cts.Token;
        _watches.Add(Task.Run(() => watch(token), CancellationToken.None));
    }

    /// <summary>
    /// Consumes <paramref name="subscription"/> in the background: each batch is applied and rendered through the
    /// component's dispatcher (<paramref name="invoke"/>); a failure other than cancellation is handed to
    /// <paramref name="failed"/> there (to log and show it) and rendered.
    /// </summary>
    public void Consume<T>(FeedSubscription<T> subscription, Func<Action, Task> invoke, Action<IReadOnlyList<FeedChange<T>>> apply,
        Action render, Action<Exception> failed) => Start(async token =>
        {
            try
            {
                await subscription.ConsumeAsync(batch => invoke(() =>
                {
                    apply(batch);
                    render();
                }), token);
            }
            // A scope disposed under the watch (a prerendered page's request ended) is the component going away, not a failure.
            catch (Exception ex) when (ex is not (OperationCanceledException or ObjectDisposedException) && !token.IsCancellationRequested)
            {
                await invoke(() =>
                {
                    failed(ex);
                    render();
                });
            }
        });

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        foreach (var watch in _watches)
        {
            try
            {
                await watch;
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                // Expected on shutdown: the watch was cancelled, or the component's services went first.
            }
        }
        _cts.Dispose();
    }
}
