using Dashboard.Client.Localization;
using Dashboard.Client.Feed;

namespace Dashboard.Client.Model;

/// <summary>The latest state of every data source, in a stable order, for the connection indicator and banners.</summary>
public sealed class SourceStatusBoard
{
    private readonly Dictionary<string, SourceStatus> _sources = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    /// <summary>The source of AWS cost data, shown only to users who may read cost (its state and errors are about cost).</summary>
    public const string CostSourceKey = "aws-cost";

    /// <summary>The Kubernetes API source (every watch cache combined).</summary>
    public const string KubernetesSourceKey = "kubernetes";

    /// <summary>Which sources this user may see (by key); every source unless set.</summary>
    public Func<string, bool> Include { get; set; } = static _ => true;

    /// <summary>Sources in the order they were first seen.</summary>
    public IReadOnlyList<SourceStatus> Sources { get; private set; } = [];

    /// <summary>Sources currently stale; each gets a banner.</summary>
    public IReadOnlyList<SourceStatus> Stale => [.. Sources.Where(static s => s.State == SourceState.Stale)];

    /// <summary>The worst state across sources: Stale, else Syncing, else Live (Live when there are none).</summary>
    public SourceState Overall =>
        Sources.Any(static s => s.State == SourceState.Stale) ? SourceState.Stale
        : Sources.Any(static s => s.State == SourceState.Syncing) ? SourceState.Syncing
        : SourceState.Live;

    public void Reset(IEnumerable<SourceStatus> snapshot)
    {
        _sources.Clear();
        _order.Clear();
        foreach (var status in snapshot)
        {
            Set(status);
        }
        Publish();
    }

    public void Apply(IReadOnlyList<FeedChange<SourceStatus>> batch)
    {
        foreach (var change in batch)
        {
            if (!Include(change.Key))
            {
                continue;
            }
            if (change.Kind == FeedChangeKind.Upsert && change.Item is { } status)
            {
                Set(status);
            }
            else if (_sources.Remove(change.Key))
            {
                _order.Remove(change.Key);
            }
        }
        Publish();
    }

    /// <summary>
    /// "last good data 14:03:12 UTC (4 s ago)", or "no data yet" before the first success.
    /// </summary>
    public static string LastGood(SourceStatus status, DateTimeOffset now) =>
        status.LastGoodAt is { } at ? UiText.Format("last good data {0}", DisplayFormat.TimeAndAgo(at, now)) : UiText.Get("no data received yet");

    /// <summary>The banner sentence for a stale source: what, since when, why, and the next retry.</summary>
    public static string StaleSentence(SourceStatus status, DateTimeOffset now)
    {
        var since = status.LastGoodAt is { } at
            ? UiText.Format("showing data as of {0}", DisplayFormat.TimeAndAgo(at, now))
            : UiText.Get("no data has been received yet");
        var why = string.IsNullOrWhiteSpace(status.Message) ? "" : $": {status.Message}";
        var retry = status.NextRetryAt is { } next && next > now
            ? " " + UiText.Format("Next retry in {0}.", DisplayFormat.Age(next - now))
            : "";
        return UiText.Format("{0} is stale, {1}", UiText.Get(status.DisplayName), since) + $"{why}.{retry}";
    }

    private void Set(SourceStatus status)
    {
        if (!Include(status.Key))
        {
            return;
        }
        if (!_sources.ContainsKey(status.Key))
        {
            _order.Add(status.Key);
        }
        _sources[status.Key] = status;
    }

    private void Publish() => Sources = [.. _order.Select(k => _sources[k])];
}
