using System.Collections.Immutable;
using System.Threading.Channels;
using Dashboard.Client.Feed;

namespace Dashboard.Client.Tests.Support;

/// <summary>
/// An in-memory <see cref="IFeed{T}"/>: the snapshot is set before a page subscribes; later batches are pushed into an
/// unbounded channel, as the server's broadcaster would deliver them.
/// </summary>
public sealed class TestFeed<T> : IFeed<T> where T : class
{
    private readonly Channel<IReadOnlyList<FeedChange<T>>> _changes = Channel.CreateUnbounded<IReadOnlyList<FeedChange<T>>>();

    public ImmutableArray<T> Snapshot { get; set; } = [];

    /// <summary>The token the last subscriber passed, to check that it cancels on disposal.</summary>
    public CancellationToken LastToken { get; private set; }

    /// <summary>How many subscriptions were made.</summary>
    public int Subscriptions { get; private set; }

    public FeedSubscription<T> Subscribe(CancellationToken cancellationToken)
    {
        LastToken = cancellationToken;
        Subscriptions++;
        return new(Snapshot, _changes.Reader.ReadAllAsync(cancellationToken));
    }

    public void Push(params FeedChange<T>[] batch) => _changes.Writer.TryWrite(batch);

    /// <summary>Ends the change stream with <paramref name="error"/>, as a broken connection would.</summary>
    public void Fail(Exception error) => _changes.Writer.TryComplete(error);
}
