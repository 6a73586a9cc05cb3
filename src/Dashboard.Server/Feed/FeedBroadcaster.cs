using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Dashboard.Client.Feed;

namespace Dashboard.Server.Feed;

/// <summary>
/// One keyed collection fanned out to many subscribers, in the shape of the Aspire dashboard's resource feed:
/// each subscriber gets the current snapshot plus its own queue of changes, read in batches at most once per
/// <see cref="BatchInterval"/>. The queue coalesces by key, so a flood of events for one object is one upsert and a
/// slow reader holds at most one pending change per key. Every kind of <see cref="IDashboardFeed"/> is served by one.
/// </summary>
public sealed class FeedBroadcaster<T>(TimeProvider time, TimeSpan? batchInterval = null) : IFeed<T> where T : class
{
    private readonly object _gate = new();
    private readonly List<Subscriber> _subscribers = [];
    private ImmutableSortedDictionary<string, T> _current = ImmutableSortedDictionary.Create<string, T>(StringComparer.Ordinal);

    public TimeSpan BatchInterval { get; } = batchInterval ?? TimeSpan.FromMilliseconds(100);

    public ImmutableSortedDictionary<string, T> Current { get { lock (_gate) { return _current; } } }

    /// <summary>The current items in key order, read without subscribing.</summary>
    public ImmutableArray<T> Snapshot => [.. Current.Values];

    public int SubscriberCount { get { lock (_gate) { return _subscribers.Count; } } }

    /// <summary>Applies changes to the current set and queues them for every subscriber.</summary>
    public void Publish(IReadOnlyList<FeedChange<T>> changes)
    {
        if (changes.Count == 0)
        {
            return;
        }
        lock (_gate)
        {
            var builder = _current.ToBuilder();
            foreach (var change in changes)
            {
                if (change.Kind == FeedChangeKind.Upsert && change.Item is not null)
                {
                    builder[change.Key] = change.Item;
                }
                else
                {
                    builder.Remove(change.Key);
                }
            }
            _current = builder.ToImmutable();
            foreach (var subscriber in _subscribers)
            {
                subscriber.Enqueue(changes);
            }
        }
    }

    /// <summary>
    /// The snapshot and a change stream that starts exactly after it. The subscription ends when
    /// <paramref name="cancellationToken"/> is cancelled or the enumerator is disposed.
    /// </summary>
    public FeedSubscription<T> Subscribe(CancellationToken cancellationToken)
    {
        var subscriber = new Subscriber();
        ImmutableArray<T> snapshot;
        lock (_gate)
        {
            snapshot = [.. _current.Values];
            _subscribers.Add(subscriber);
        }
        Telemetry.PipelineMetrics.Subscribed(typeof(T).Name, 1);
        subscriber.Registration = cancellationToken.Register(() => Remove(subscriber));
        return new FeedSubscription<T>(snapshot, ReadAsync(subscriber, cancellationToken, default));
    }

    private async IAsyncEnumerable<IReadOnlyList<FeedChange<T>>> ReadAsync(Subscriber subscriber, CancellationToken subscribeToken,
        [EnumeratorCancellation] CancellationToken enumeratorToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(subscribeToken, enumeratorToken);
        var token = linked.Token;
        try
        {
            var lastBatch = DateTimeOffset.MinValue;
            while (await WaitAsync(subscriber, lastBatch, token))
            {
                var batch = subscriber.Drain();
                if (batch.Count == 0)
                {
                    continue;
                }
                lastBatch = time.GetUtcNow();
                Telemetry.PipelineMetrics.Batch(typeof(T).Name, batch.Count);
                yield return batch;
            }
        }
        finally
        {
            Remove(subscriber);
        }
    }

    /// <summary>Waits for a change, then until a batch interval has passed since the last batch; false when cancelled.</summary>
    private async Task<bool> WaitAsync(Subscriber subscriber, DateTimeOffset lastBatch, CancellationToken token)
    {
        try
        {
            if (!await subscriber.Signal.Reader.WaitToReadAsync(token))
            {
                return false;
            }
            subscriber.Signal.Reader.TryRead(out _);
            var wait = lastBatch + BatchInterval - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, token);
            }
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void Remove(Subscriber subscriber)
    {
        bool removed;
        lock (_gate)
        {
            removed = _subscribers.Remove(subscriber);
        }
        if (removed)
        {
            Telemetry.PipelineMetrics.Subscribed(typeof(T).Name, -1);
        }
        subscriber.Registration.Dispose();
        subscriber.Signal.Writer.TryComplete();
    }

    private sealed class Subscriber
    {
        private readonly object _gate = new();
        private readonly Dictionary<string, FeedChange<T>> _pending = new(StringComparer.Ordinal);
        private readonly List<string> _order = [];

        /// <summary>Holds at most one token: "there is something to read".</summary>
        public Channel<bool> Signal { get; } = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

        public CancellationTokenRegistration Registration { get; set; }

        public void Enqueue(IReadOnlyList<FeedChange<T>> changes)
        {
            lock (_gate)
            {
                foreach (var change in changes)
                {
                    if (!_pending.ContainsKey(change.Key))
                    {
                        _order.Add(change.Key);
                    }
                    _pending[change.Key] = change;
                }
            }
            Signal.Writer.TryWrite(true);
        }

        public IReadOnlyList<FeedChange<T>> Drain()
        {
            lock (_gate)
            {
                var batch = new List<FeedChange<T>>(_order.Count);
                foreach (var key in _order)
                {
                    batch.Add(_pending[key]);
                }
                _pending.Clear();
                _order.Clear();
                return batch;
            }
        }
    }
}
