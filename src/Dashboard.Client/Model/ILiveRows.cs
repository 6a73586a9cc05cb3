using Dashboard.Client.Feed;

namespace Dashboard.Client.Model;

/// <summary>
/// What a live list page keeps of its feed: the items (reset from the snapshot, changed by each batch) and the rows the
/// keyboard cursor walks, in display order. <see cref="LiveList{T}"/> (a flat, filtered, sorted grid) and
/// <see cref="TriageBoard"/> (items grouped by endpoint) are the two kinds of rows.
/// </summary>
public interface ILiveRows<T> where T : class
{
    /// <summary>How many rows the cursor can reach.</summary>
    int RowCount { get; }

    /// <summary>The key of the row at <paramref name="index"/> (0 ≤ index &lt; <see cref="RowCount"/>).</summary>
    string KeyAt(int index);

    /// <summary>The row index of <paramref name="key"/>, or -1 when it is not shown.</summary>
    int IndexOf(string key);

    /// <summary>Replaces every item with a snapshot.</summary>
    void Reset(IEnumerable<T> snapshot);

    /// <summary>Applies one batch of changes in order.</summary>
    void Apply(IReadOnlyList<FeedChange<T>> batch);
}
