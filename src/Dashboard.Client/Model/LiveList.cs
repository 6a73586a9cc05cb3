using System.Collections.ObjectModel;
using Dashboard.Client.Feed;

namespace Dashboard.Client.Model;

/// <summary>
/// The live set of one kind of object plus its filtered, sorted view, updated incrementally per change batch:
/// a dictionary by key holds every object; the view is a sorted list kept in order by binary search, so an upsert
/// or delete costs O(log n) to locate and one memmove, never a re-sort of 10,000 rows.
/// Not thread-safe: pages mutate it on the renderer's synchronisation context.
/// </summary>
public sealed class LiveList<T> : ILiveRows<T> where T : class
{
    private readonly Dictionary<string, T> _items = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _namespaceCounts = new(StringComparer.Ordinal);
    private readonly List<T> _view = [];
    private readonly Func<T, string> _keyOf;
    private readonly Func<T, string> _namespaceOf;
    private IComparer<T> _comparer;
    private Func<T, bool> _filter = static _ => true;

    public LiveList(Func<T, string> keyOf, Func<T, string> namespaceOf, IComparer<T> order)
    {
        _keyOf = keyOf;
        _namespaceOf = namespaceOf;
        _comparer = new KeyTieBreak(order, keyOf);
        View = _view.AsReadOnly();
    }

    /// <summary>The filtered, sorted rows; a live read-only wrapper (it changes as the list changes).</summary>
    public ReadOnlyCollection<T> View { get; }

    /// <summary>Every object, filtered or not.</summary>
    public int TotalCount => _items.Count;

    /// <summary>Every object, unordered.</summary>
    public IReadOnlyCollection<T> All => _items.Values;

    /// <summary>Incremented on every change to the objects or the view, so callers can cache derived values.</summary>
    public long Version { get; private set; }

    /// <summary>Namespaces that hold at least one object, with how many, sorted by name.</summary>
    public IReadOnlyList<KeyValuePair<string, int>> Namespaces =>
        [.. _namespaceCounts.OrderBy(static p => p.Key, StringComparer.Ordinal)];

    public T? Find(string key) => _items.GetValueOrDefault(key);

    int ILiveRows<T>.RowCount => _view.Count;

    string ILiveRows<T>.KeyAt(int index) => _keyOf(_view[index]);

    /// <summary>Position of the object in the view, or -1 when it is filtered out or unknown.</summary>
    public int IndexOf(string key)
    {
        if (!_items.TryGetValue(key, out var item) || !_filter(item))
        {
            return -1;
        }
        var index = _view.BinarySearch(item, _comparer);
        return index >= 0 ? index : -1;
    }

    /// <summary>Replaces everything with a snapshot.</summary>
    public void Reset(IEnumerable<T> snapshot)
    {
        _items.Clear();
        _namespaceCounts.Clear();
        foreach (var item in snapshot)
        {
            Store(item);
        }
        Rebuild();
    }

    /// <summary>Applies one batch of changes in order.</summary>
    public void Apply(IReadOnlyList<FeedChange<T>> batch)
    {
        // A batch that rewrites a large part of the list is cheaper to apply by one rebuild.
        var rebuild = batch.Count > 64 && batch.Count > _items.Count / 4;
        Version++;
        foreach (var change in batch)
        {
            if (_items.TryGetValue(change.Key, out var old))
            {
                if (!rebuild)
                {
                    RemoveFromView(old);
                }
                Forget(old);
            }
            if (change.Kind == FeedChangeKind.Upsert && change.Item is { } item)
            {
                Store(item);
                if (!rebuild && _filter(item))
                {
                    var index = _view.BinarySearch(item, _comparer);
                    _view.Insert(index >= 0 ? index : ~index, item);
                }
            }
        }
        if (rebuild)
        {
            Rebuild();
        }
    }

    /// <summary>Changes the filter and recomputes the view once.</summary>
    public void SetFilter(Func<T, bool> filter)
    {
        _filter = filter;
        Rebuild();
    }

    /// <summary>Changes the order and recomputes the view once; ties are broken by key so the order is total.</summary>
    public void SetOrder(IComparer<T> order)
    {
        _comparer = new KeyTieBreak(order, _keyOf);
        Rebuild();
    }

    private void Store(T item)
    {
        _items[_keyOf(item)] = item;
        var ns = _namespaceOf(item);
        _namespaceCounts[ns] = _namespaceCounts.GetValueOrDefault(ns) + 1;
    }

    private void Forget(T item)
    {
        _items.Remove(_keyOf(item));
        var ns = _namespaceOf(item);
        var left = _namespaceCounts.GetValueOrDefault(ns) - 1;
        if (left > 0)
        {
            _namespaceCounts[ns] = left;
        }
        else
        {
            _namespaceCounts.Remove(ns);
        }
    }

    private void RemoveFromView(T item)
    {
        if (!_filter(item))
        {
            return;
        }
        var index = _view.BinarySearch(item, _comparer);
        if (index >= 0)
        {
            _view.RemoveAt(index);
        }
    }

    private void Rebuild()
    {
        Version++;
        _view.Clear();
        foreach (var item in _items.Values)
        {
            if (_filter(item))
            {
                _view.Add(item);
            }
        }
        _view.Sort(_comparer);
    }

    private sealed class KeyTieBreak(IComparer<T> order, Func<T, string> keyOf) : IComparer<T>
    {
        public int Compare(T? x, T? y)
        {
            if (ReferenceEquals(x, y))
            {
                return 0;
            }
            if (x is null || y is null)
            {
                return x is null ? -1 : 1;
            }
            var result = order.Compare(x, y);
            return result != 0 ? result : string.CompareOrdinal(keyOf(x), keyOf(y));
        }
    }
}
