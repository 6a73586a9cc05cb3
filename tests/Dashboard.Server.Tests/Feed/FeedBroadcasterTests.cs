using Dashboard.Client.Feed;
using Dashboard.Server.Feed;
using Dashboard.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Dashboard.Server.Tests.Feed;

public class FeedBroadcasterTests
{
    private static readonly TimeSpan Bound = Patience.Eventually;

    private sealed record Item(string Key, int Version);

    private static FeedChange<Item> Up(string key, int version) => FeedChange<Item>.Upsert(key, new Item(key, version));

    [Fact]
    public async Task Subscriber_gets_the_snapshot_then_only_later_changes()
    {
        var time = new FakeTimeProvider();
        var feed = new FeedBroadcaster<Item>(time);
        feed.Publish([Up("b", 1), Up("a", 1)]);
        using var cts = new CancellationTokenSource(Bound);

        var subscription = feed.Subscribe(cts.Token);
        feed.Publish([Up("c", 1)]);
        await using var changes = subscription.Changes.GetAsyncEnumerator(cts.Token);

        Assert.Equal(["a", "b"], subscription.Snapshot.Select(i => i.Key));
        Assert.True(await changes.MoveNextAsync().AsTask().WaitAsync(Bound));
        Assert.Equal(["c"], changes.Current.Select(c => c.Key));
    }

    [Fact]
    public void The_snapshot_is_read_without_subscribing_and_follows_every_publish()
    {
        var feed = new FeedBroadcaster<Item>(new FakeTimeProvider());
        Assert.Empty(feed.Snapshot);

        feed.Publish([Up("b", 1), Up("a", 1)]);
        feed.Publish([Up("a", 2), FeedChange<Item>.Delete("b"), Up("c", 1)]);

        Assert.Equal<Item>([new Item("a", 2), new Item("c", 1)], feed.Snapshot);
        Assert.Equal(0, feed.SubscriberCount);
    }

    [Fact]
    public async Task A_flood_for_one_key_within_the_interval_becomes_one_upsert_with_the_last_value()
    {
        var time = new FakeTimeProvider();
        var feed = new FeedBroadcaster<Item>(time, TimeSpan.FromMilliseconds(100));
        using var cts = new CancellationTokenSource(Bound);
        var subscription = feed.Subscribe(cts.Token);
        await using var changes = subscription.Changes.GetAsyncEnumerator(cts.Token);
        feed.Publish([Up("x", 0)]);
        Assert.True(await changes.MoveNextAsync().AsTask().WaitAsync(Bound));

        var next = changes.MoveNextAsync().AsTask();
        for (var i = 1; i <= 1000; i++)
        {
            feed.Publish([Up("x", i)]);
        }
        feed.Publish([Up("y", 1), FeedChange<Item>.Delete("y")]);

        Assert.False(next.IsCompleted); // held back until the interval has passed on the (fake) clock
        // The reader registers its delay on the fake clock asynchronously; keep the clock moving until it fires (bounded).
        var deadline = DateTime.UtcNow + Bound;
        while (!next.IsCompleted && DateTime.UtcNow < deadline)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.WhenAny(next, Task.Delay(10));
        }
        Assert.True(await next.WaitAsync(Bound));
        var batch = changes.Current;
        Assert.Equal(2, batch.Count);
        Assert.Equal(1000, batch[0].Item!.Version);
        Assert.Equal(FeedChangeKind.Delete, batch[1].Kind);
        Assert.Equal(1000, feed.Current["x"].Version);
        Assert.False(feed.Current.ContainsKey("y"));
    }

    [Fact]
    public async Task Disposing_the_enumerator_or_cancelling_unsubscribes()
    {
        var feed = new FeedBroadcaster<Item>(new FakeTimeProvider());
        using var first = new CancellationTokenSource();
        var byCancel = feed.Subscribe(first.Token);
        var byDispose = feed.Subscribe(CancellationToken.None);
        var enumerator = byDispose.Changes.GetAsyncEnumerator();
        feed.Publish([Up("a", 1)]);
        Assert.True(await enumerator.MoveNextAsync().AsTask().WaitAsync(Bound));
        Assert.Equal(2, feed.SubscriberCount);

        await first.CancelAsync();
        await enumerator.DisposeAsync();

        Assert.Equal(0, feed.SubscriberCount);
        await using var ended = byCancel.Changes.GetAsyncEnumerator();
        Assert.False(await ended.MoveNextAsync().AsTask().WaitAsync(Bound));
    }

    [Fact]
    public async Task Cancelling_a_waiting_reader_ends_its_stream_without_throwing()
    {
        var feed = new FeedBroadcaster<Item>(new FakeTimeProvider());
        using var cts = new CancellationTokenSource();
        var subscription = feed.Subscribe(CancellationToken.None);
        await using var changes = subscription.Changes.GetAsyncEnumerator(cts.Token);
        var next = changes.MoveNextAsync().AsTask();

        await cts.CancelAsync();

        Assert.False(await next.WaitAsync(Bound));
        Assert.Equal(0, feed.SubscriberCount);
    }
}
