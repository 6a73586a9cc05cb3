using System.Collections.Immutable;
using Dashboard.Client.Model;

namespace Dashboard.Client.Metrics;

/// <summary>A change in the cluster drawn on every chart: when, what kind (rollout, warning, controller, health, event), what, and where to look.</summary>
public sealed record TimelineMarker(DateTimeOffset Time, string Kind, string Text, string? Href)
{
    /// <summary><see cref="Text"/> in the viewer's language, when it was built from a message key (the dashboard's own actions).</summary>
    public Localization.LocalText? Say { get; init; }
}

/// <summary>
/// The markers of a Metrics section, from what the endpoint feed already holds (the server's Kubernetes caches and AWS
/// snapshot — nothing is read again): Kubernetes events of the endpoint, its pods and bindings (pods scheduled or killed
/// = a rollout; Warning events; load balancer controller reconciles and failures), and targets entering their current
/// health state. Events of the same reason and kind in the same minute merge into one marker.
/// </summary>
public static class TimelineMarkers
{
    private static readonly HashSet<string> RolloutReasons = new(StringComparer.Ordinal) { "Scheduled", "Killing", "ScalingReplicaSet", "SuccessfulCreate", "SuccessfulDelete" };

    public static ImmutableArray<TimelineMarker> From(EndpointViewModel? endpoint, LoadBalancerViewModel? balancer)
    {
        var markers = new List<TimelineMarker>();
        if (endpoint is not null)
        {
            var detail = TopologyUrls.ObjectDetail(endpoint.Object);
            foreach (var e in endpoint.Events.Where(e => e.LastSeen is not null))
            {
                var kind = e.Type == "Warning" ? "warning"
                    : RolloutReasons.Contains(e.Reason) ? "rollout"
                    : e.Source.Contains("loadbalancer", StringComparison.OrdinalIgnoreCase) || e.Reason.Contains("Reconcile", StringComparison.Ordinal) || e.Reason.Contains("DeployModel", StringComparison.Ordinal) ? "controller"
                    : "event";
                var own = e.InvolvedObject.StartsWith(endpoint.Object.Kind + "/", StringComparison.Ordinal);
                markers.Add(new TimelineMarker(e.LastSeen!.Value, kind, $"{e.Reason} · {e.InvolvedObject}: {e.Message}", own ? detail : "#events-title"));
            }
        }
        if (balancer is not null)
        {
            foreach (var group in balancer.TargetGroups)
            {
                foreach (var target in group.Targets.Where(t => t.Since is not null))
                {
                    var who = target.Pod is { } pod ? $"{pod.Namespace}/{pod.Name}" : $"{target.Id}:{target.Port}";
                    markers.Add(new TimelineMarker(target.Since!.Value, "health",
                        Localization.UiText.Format("Target {0} in {1} became {2}", who, group.Name, target.State + (target.Reason is { } r ? $" ({r})" : "")), "#tg-" + group.Name));
                }
            }
        }
        return [.. markers
            .GroupBy(m => (Minute: m.Time.ToUnixTimeSeconds() / 60, m.Kind, Head: m.Text.Split(' ')[0]))
            .Select(g => g.Count() == 1 ? g.First() : g.First() with { Text = Localization.UiText.Format("{0} (+{1} more like it)", g.First().Text, g.Count() - 1) })
            .OrderBy(m => m.Time)];
    }
}
