using System.Collections.Immutable;

namespace Dashboard.Client.Feed;

/// <summary>
/// A snapshot and the stream of change batches that follows it, with nothing lost or repeated in between. The
/// subscription ends when the token passed to <see cref="IFeed{T}.Subscribe"/> is cancelled or the stream's enumerator
/// is disposed.
/// </summary>
public sealed record FeedSubscription<T>(ImmutableArray<T> Snapshot, IAsyncEnumerable<IReadOnlyList<FeedChange<T>>> Changes);
