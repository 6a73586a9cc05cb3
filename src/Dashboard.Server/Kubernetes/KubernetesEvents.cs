using Dashboard.Client.Model;
using k8s.Models;

namespace Dashboard.Server.Kubernetes;

/// <summary>
/// How an Event is keyed, dated and shown, for every page that lists events (Service and Ingress detail, endpoint
/// page): one rule, so two pages never order or date the same event differently.
/// </summary>
public static class KubernetesEvents
{
    /// <summary>The key of the object an Event is about: <c>{kind}/{namespace}/{name}</c>.</summary>
    public static string InvolvedKey(string? kind, string? @namespace, string? name) => $"{kind}/{@namespace}/{name}";

    /// <summary>The key of the object <paramref name="e"/> is about.</summary>
    public static string InvolvedKey(Corev1Event e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return InvolvedKey(e.InvolvedObject?.Kind, e.InvolvedObject?.NamespaceProperty, e.InvolvedObject?.Name);
    }

    /// <summary>
    /// When the event was last seen: lastTimestamp (core/v1 events), else the series' last observation or eventTime
    /// (events.k8s.io), else firstTimestamp, else when the object was created.
    /// </summary>
    public static DateTimeOffset? LastSeen(Corev1Event e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var time = e.LastTimestamp ?? e.Series?.LastObservedTime ?? e.EventTime ?? e.FirstTimestamp ?? e.Metadata?.CreationTimestamp;
        return time is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;
    }

    /// <summary>The event as a page shows it.</summary>
    public static EventView ToView(Corev1Event e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new EventView(
            e.Type ?? "Normal",
            e.Reason ?? "",
            e.Message ?? "",
            e.Source?.Component ?? e.ReportingComponent ?? "",
            e.Count ?? e.Series?.Count ?? 1,
            LastSeen(e),
            $"{e.InvolvedObject?.Kind}/{e.InvolvedObject?.Name}");
    }
}
