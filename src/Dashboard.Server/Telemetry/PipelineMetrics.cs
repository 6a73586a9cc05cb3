using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Dashboard.Server.Telemetry;

/// <summary>
/// Instruments of the shared pipeline parts that are created without dependency injection (every
/// <c>FeedBroadcaster&lt;T&gt;</c>, every Kubernetes <c>ResourceCache&lt;T&gt;</c>): static meters, as the .NET libraries
/// use for theirs. Meter <see cref="FeedMeterName"/>: feed batches, changes and subscribers by feed kind; meter
/// <see cref="KubernetesMeterName"/>: watch restarts and watch lag by resource.
/// </summary>
public static class PipelineMetrics
{
    public const string FeedMeterName = "Dashboard.Feed";
    public const string KubernetesMeterName = "Dashboard.Kubernetes";

    private static readonly Meter FeedMeter = new(FeedMeterName);
    private static readonly Meter KubernetesMeter = new(KubernetesMeterName);
    private static readonly ConcurrentDictionary<string, long> LastWatchActivity = new(StringComparer.Ordinal);

    private static readonly Counter<long> Batches = FeedMeter.CreateCounter<long>("dashboard.feed.batches", "{batch}",
        "Batches of changes delivered to feed subscribers (at most ~10 a second each), by feed kind (dashboard.feed).");

    private static readonly Counter<long> Changes = FeedMeter.CreateCounter<long>("dashboard.feed.changes", "{change}",
        "Keyed changes in those batches, by feed kind.");

    private static readonly UpDownCounter<long> Subscribers = FeedMeter.CreateUpDownCounter<long>("dashboard.feed.active_subscribers", "{subscriber}",
        "Open subscriptions of every feed (one per open page and kind), by feed kind.");

    private static readonly Counter<long> WatchRestarts = KubernetesMeter.CreateCounter<long>("dashboard.kubernetes.watch.restarts", "{restart}",
        "Kubernetes watches started again, by resource (k8s.resource) and reason: expired (410 Gone, re-list), error (re-list after back-off), closed (the server ended the watch).");

    static PipelineMetrics() =>
        KubernetesMeter.CreateObservableGauge("dashboard.kubernetes.watch.lag", ObserveLag, "s",
            "Seconds since the last event or bookmark of each running Kubernetes watch, by resource: the API server sends a bookmark at least every minute or so, so a larger value means a stalled watch.");

    public static void Batch(string feed, int changes)
    {
        var tag = new KeyValuePair<string, object?>("dashboard.feed", feed);
        Batches.Add(1, tag);
        Changes.Add(changes, tag);
    }

    public static void Subscribed(string feed, int delta) => Subscribers.Add(delta, new KeyValuePair<string, object?>("dashboard.feed", feed));

    public static void WatchRestarted(string resource, string reason) =>
        WatchRestarts.Add(1, new KeyValuePair<string, object?>("k8s.resource", resource), new KeyValuePair<string, object?>("reason", reason));

    /// <summary>A watch of <paramref name="resource"/> is running and just delivered something (or started).</summary>
    public static void WatchActive(string resource, long timestamp) => LastWatchActivity[resource] = timestamp;

    /// <summary>The watch of <paramref name="resource"/> is not running (listing, backing off, stopped).</summary>
    public static void WatchInactive(string resource) => LastWatchActivity.TryRemove(resource, out _);

    private static IEnumerable<Measurement<double>> ObserveLag()
    {
        var now = TimeProvider.System.GetTimestamp();
        foreach (var (resource, at) in LastWatchActivity)
        {
            yield return new Measurement<double>(TimeProvider.System.GetElapsedTime(at, now).TotalSeconds, new KeyValuePair<string, object?>("k8s.resource", resource));
        }
    }
}
