using System.Collections.Immutable;
using Dashboard.Client.Feed;

namespace Dashboard.Client.Model;

/// <summary>The unhealthy targets of one endpoint, as the Triage page shows them.</summary>
public sealed record TriageGroup
{
    public string Key => Endpoint.Key;

    public required ObjectRef Endpoint { get; init; }

    /// <summary>The most severe of the items.</summary>
    public required TriageSeverity Severity { get; init; }

    /// <summary>Most severe first, then the longest in their state.</summary>
    public required ImmutableArray<TriageItem> Items { get; init; }

    /// <summary>The balancers the items sit behind, by name.</summary>
    public required ImmutableArray<string> LoadBalancers { get; init; }

    /// <summary>The oldest AWS read behind the items.</summary>
    public DateTimeOffset? AsOf { get; init; }
}

/// <summary>
/// The Triage page's state: every not-healthy target by key, grouped by endpoint, most severe group first (Outage,
/// Degraded, Stuck, Notice), then by endpoint. A group shows its first <see cref="CollapsedCount"/> items until it is
/// expanded; the rows (what the keyboard cursor walks) are the shown items in display order. Not thread-safe: the page
/// mutates it on the renderer's context.
/// </summary>
public sealed class TriageBoard : ILiveRows<TriageItem>
{
    /// <summary>Items a group shows until it is expanded.</summary>
    public const int CollapsedCount = 10;

    private readonly Dictionary<string, TriageItem> _items = new(StringComparer.Ordinal);
    private readonly HashSet<string> _expanded = new(StringComparer.Ordinal);
    private IReadOnlyList<TriageGroup>? _groups;
    private List<TriageItem>? _rows;

    /// <summary>How many items are shown (in <see cref="Namespace"/> when set).</summary>
    public int Count => Visible.Count();

    /// <summary>Shows only endpoints of this namespace (the page's <c>?namespace=</c>); null: every namespace.</summary>
    public string? Namespace
    {
        get => _namespace;
        set
        {
            if (!string.Equals(_namespace, value, StringComparison.Ordinal))
            {
                _namespace = value;
                Changed();
            }
        }
    }

    /// <summary>The namespaces of every listed endpoint, sorted (for the filter's choices).</summary>
    public IReadOnlyList<string> Namespaces => [.. _items.Values.Select(static i => i.Endpoint.Namespace).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    private string? _namespace;

    private IEnumerable<TriageItem> Visible => _namespace is null ? _items.Values : _items.Values.Where(i => i.Endpoint.Namespace == _namespace);

    /// <summary>Incremented on every change.</summary>
    public long Version { get; private set; }

    /// <summary>The groups, recomputed lazily after a change.</summary>
    public IReadOnlyList<TriageGroup> Groups => _groups ??= Group(Visible);

    public TriageItem? Find(string key) => _items.GetValueOrDefault(key);

    /// <summary>The shown items in display order: each group's first <see cref="CollapsedCount"/>, or all when expanded.</summary>
    public IReadOnlyList<TriageItem> Rows => _rows ??=
    [
        .. Groups.SelectMany(g => IsExpanded(g.Key) ? g.Items : g.Items.Take(CollapsedCount)),
    ];

    public int RowCount => Rows.Count;

    public string KeyAt(int index) => Rows[index].Key;

    public int IndexOf(string key)
    {
        var rows = Rows;
        for (var i = 0; i < rows.Count; i++)
        {
            if (string.Equals(rows[i].Key, key, StringComparison.Ordinal))
            {
                return i;
            }
        }
        return -1;
    }

    public bool IsExpanded(string groupKey) => _expanded.Contains(groupKey);

    /// <summary>Shows every item of the group (until the page is left).</summary>
    public void Expand(string groupKey)
    {
        if (_expanded.Add(groupKey))
        {
            _rows = null;
            Version++;
        }
    }

    public void Reset(IEnumerable<TriageItem> snapshot)
    {
        _items.Clear();
        foreach (var item in snapshot)
        {
            _items[item.Key] = item;
        }
        Changed();
    }

    public void Apply(IReadOnlyList<FeedChange<TriageItem>> batch)
    {
        foreach (var change in batch)
        {
            if (change.Kind == FeedChangeKind.Upsert && change.Item is { } item)
            {
                _items[change.Key] = item;
            }
            else
            {
                _items.Remove(change.Key);
            }
        }
        Changed();
    }

    /// <summary>How many items are of each kind (targets, pods not serving, target groups without targets).</summary>
    public IReadOnlyDictionary<TriageItemKind, int> CountByKind() =>
        Visible.GroupBy(static i => i.Kind).ToDictionary(static g => g.Key, static g => g.Count());

    /// <summary>How many items have each severity.</summary>
    public IReadOnlyDictionary<TriageSeverity, int> CountBySeverity() =>
        Visible.GroupBy(static i => i.Severity).ToDictionary(static g => g.Key, static g => g.Count());

    /// <summary>Groups items by endpoint; groups by severity then endpoint (namespace, name, kind); items by <see cref="ItemOrder"/>.</summary>
    public static IReadOnlyList<TriageGroup> Group(IEnumerable<TriageItem> items) =>
    [
        .. items
            .GroupBy(static i => i.Endpoint)
            .Select(static g =>
            {
                var sorted = g.Order(ItemOrder).ToImmutableArray();
                return new TriageGroup
                {
                    Endpoint = g.Key,
                    Severity = sorted[0].Severity,
                    Items = sorted,
                    LoadBalancers = [.. sorted.Select(static i => i.LoadBalancerName).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
                    AsOf = sorted.Min(static i => i.AsOf),
                };
            })
            .Order(GroupOrder),
    ];

    /// <summary>Most severe first, then endpoint namespace, name and kind.</summary>
    public static IComparer<TriageGroup> GroupOrder { get; } = Comparer<TriageGroup>.Create(static (a, b) =>
    {
        var c = a.Severity.CompareTo(b.Severity);
        return c != 0 ? c : CompareEndpoints(a.Endpoint, b.Endpoint);
    });

    /// <summary>Most severe first; then the longest in its state (unknown last); then balancer, target group, target.</summary>
    public static IComparer<TriageItem> ItemOrder { get; } = Comparer<TriageItem>.Create(static (a, b) =>
    {
        var c = a.Severity.CompareTo(b.Severity);
        if (c != 0)
        {
            return c;
        }
        c = (a.Target.Since, b.Target.Since) switch
        {
            ({ } x, { } y) => x.CompareTo(y),
            (null, null) => 0,
            (null, _) => 1,
            _ => -1,
        };
        if (c != 0)
        {
            return c;
        }
        c = string.CompareOrdinal(a.LoadBalancerName, b.LoadBalancerName);
        if (c != 0)
        {
            return c;
        }
        c = string.CompareOrdinal(a.TargetGroupName, b.TargetGroupName);
        return c != 0 ? c : string.CompareOrdinal(a.Key, b.Key);
    });

    private static int CompareEndpoints(ObjectRef a, ObjectRef b)
    {
        var c = string.CompareOrdinal(a.Namespace, b.Namespace);
        if (c != 0)
        {
            return c;
        }
        c = string.CompareOrdinal(a.Name, b.Name);
        return c != 0 ? c : a.Kind.CompareTo(b.Kind);
    }

    private void Changed()
    {
        _groups = null;
        _rows = null;
        Version++;
    }
}
