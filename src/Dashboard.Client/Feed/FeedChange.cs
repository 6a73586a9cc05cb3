namespace Dashboard.Client.Feed;

public enum FeedChangeKind { Upsert, Delete }

/// <summary>One change: an upsert carries the new item; a delete carries the key only.</summary>
public sealed record FeedChange<T>(FeedChangeKind Kind, string Key, T? Item)
{
    public static FeedChange<T> Upsert(string key, T item) => new(FeedChangeKind.Upsert, key, item);
    public static FeedChange<T> Delete(string key) => new(FeedChangeKind.Delete, key, default);
}
