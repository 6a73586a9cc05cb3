using System.Collections.Immutable;
using Dashboard.Client.Model;

namespace Dashboard.Server.Incidents;

/// <summary>
/// Turns successive triage lists into incidents per endpoint (pure: items and a time in, the incidents that changed
/// out). An endpoint with at least one item of severity outage, degraded or stuck has one open incident; it opens at the
/// earliest time in state of its items (never before the previous incident of the endpoint cleared), gathers every
/// cause, target and balancer seen while open, and clears the first time the endpoint has no such item. Notices (a
/// rollout's draining targets, a state unknown while AWS is stale) neither open nor close an incident. Used by the
/// polling leader only; a new leader starts from the open incidents in the store, so an incident that spans a failover
/// stays one incident.
/// </summary>
public sealed class IncidentTracker
{
    /// <summary>An open incident's <see cref="EndpointIncident.LastSeenAt"/> is written again at most this often when nothing else changed.</summary>
    public static readonly TimeSpan Heartbeat = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, EndpointIncident> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _lastWrittenSeen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _lastCleared = new(StringComparer.Ordinal);

    /// <summary>Starts from the history as stored: its open incidents continue, its cleared ones bound the next start.</summary>
    public IncidentTracker(IEnumerable<EndpointIncident> history)
    {
        foreach (var incident in history)
        {
            var key = incident.Endpoint.Key;
            if (incident.Open)
            {
                if (!_open.TryGetValue(key, out var other) || other.StartedAt < incident.StartedAt)
                {
                    _open[key] = incident;
                    _lastWrittenSeen[key] = incident.LastSeenAt;
                }
            }
            else if (incident.ClearedAt is { } cleared && (!_lastCleared.TryGetValue(key, out var at) || at < cleared))
            {
                _lastCleared[key] = cleared;
            }
        }
    }

    public IReadOnlyCollection<EndpointIncident> Open => _open.Values;

    /// <summary>Whether an item takes capacity (opens or keeps an incident open).</summary>
    public static bool Counts(TriageItem item) => item.Severity != TriageSeverity.Notice;

    /// <summary>Applies the triage list as it is at <paramref name="now"/>; returns the incidents opened, changed or cleared.</summary>
    public IReadOnlyList<EndpointIncident> Apply(IEnumerable<TriageItem> triage, DateTimeOffset now, string replica)
    {
        var changed = new List<EndpointIncident>();
        var byEndpoint = triage.Where(Counts)
            .GroupBy(i => i.Endpoint.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(i => i.Severity).ThenBy(i => i.Key, StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        foreach (var (key, items) in byEndpoint.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!_open.TryGetValue(key, out var incident))
            {
                incident = Start(items, now, replica, _lastCleared.GetValueOrDefault(key));
                _open[key] = incident;
                _lastWrittenSeen[key] = now;
                changed.Add(incident);
                continue;
            }
            var (updated, grew) = Merge(incident, items, now);
            _open[key] = updated;
            if (grew || now - _lastWrittenSeen.GetValueOrDefault(key) >= Heartbeat)
            {
                _lastWrittenSeen[key] = now;
                changed.Add(updated);
            }
        }
        foreach (var (key, incident) in _open.Where(p => !byEndpoint.ContainsKey(p.Key)).ToList())
        {
            var cleared = incident with { ClearedAt = now, ClearedBy = replica };
            _open.Remove(key);
            _lastWrittenSeen.Remove(key);
            _lastCleared[key] = now;
            changed.Add(cleared);
        }
        return changed;
    }

    private static EndpointIncident Start(List<TriageItem> items, DateTimeOffset now, string replica, DateTimeOffset previousCleared)
    {
        // Capacity was lost when the earliest item entered its state, as far as the dashboard observed it.
        var since = items.Select(i => i.Target.Since).OfType<DateTimeOffset>().Where(s => s <= now).DefaultIfEmpty(now).Min();
        if (since < previousCleared)
        {
            since = previousCleared;
        }
        var first = items[0];
        var incident = new EndpointIncident
        {
            Id = $"{first.Endpoint.Key}@{since.ToUnixTimeMilliseconds()}",
            Endpoint = first.Endpoint,
            StartedAt = since,
            LastSeenAt = now,
            Severity = first.Severity,
            Summary = first.Diagnosis.Title,
            OpenedBy = replica,
        };
        return Merge(incident, items, now).Incident;
    }

    private static (EndpointIncident Incident, bool Grew) Merge(EndpointIncident incident, List<TriageItem> items, DateTimeOffset now)
    {
        var grew = false;
        var worst = items[0];
        var severity = incident.Severity;
        var summary = incident.Summary;
        if (worst.Severity < severity)
        {
            severity = worst.Severity;
            summary = worst.Diagnosis.Title;
            grew = true;
        }
        var causes = incident.Causes;
        foreach (var item in items)
        {
            if (causes.Length < EndpointIncident.MaxCauses && !causes.Any(c => c.Code == item.Diagnosis.Code))
            {
                causes = causes.Add(new IncidentCause(item.Diagnosis.Code, item.Diagnosis.Title, item.Severity, now));
                grew = true;
            }
        }
        var targets = incident.Targets;
        foreach (var item in items)
        {
            if (targets.Length < EndpointIncident.MaxTargets
                && !targets.Any(t => t.Id == item.Target.Id && t.Port == item.Target.Port && t.TargetGroupName == item.TargetGroupName))
            {
                targets = targets.Add(new IncidentTarget(item.Target.Id, item.Target.Port, item.TargetGroupName, item.Target.State, item.Target.Reason,
                    item.Diagnosis.Code, item.Target.Since is { } s && s <= now ? s : now)
                {
                    Kind = item.Kind,
                    Pod = item.Target.Pod is { } pod ? $"{pod.Namespace}/{pod.Name}" : null,
                });
                grew = true;
            }
        }
        var balancers = incident.LoadBalancers;
        foreach (var name in items.Select(i => i.LoadBalancerName).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal))
        {
            if (!balancers.Contains(name))
            {
                balancers = balancers.Add(name);
                grew = true;
            }
        }
        var peak = Math.Max(incident.PeakItems, items.Count);
        grew |= peak != incident.PeakItems;
        // The change that preceded it: the earliest one an item names, kept once known.
        var preceded = incident.PrecededBy ?? items.Select(i => i.PrecededBy).OfType<PrecedingChange>().OrderBy(c => c.At).FirstOrDefault();
        grew |= preceded != incident.PrecededBy;
        return (incident with
        {
            Severity = severity,
            Summary = summary,
            Causes = causes,
            Targets = targets,
            LoadBalancers = balancers,
            PeakItems = peak,
            PrecededBy = preceded,
            LastSeenAt = now,
        }, grew);
    }

    /// <summary>
    /// The history within its bounds: open incidents always; of the cleared ones, those cleared within
    /// <paramref name="retention"/>, at most <paramref name="perEndpoint"/> per endpoint and <paramref name="total"/> in all
    /// (the most recently cleared kept). Returns the ids to drop.
    /// </summary>
    public static IReadOnlyList<string> Prune(IEnumerable<EndpointIncident> history, DateTimeOffset now, TimeSpan retention, int perEndpoint, int total)
    {
        var cleared = history.Where(i => !i.Open).OrderByDescending(i => i.ClearedAt).ThenBy(i => i.Id, StringComparer.Ordinal).ToList();
        var drop = new List<string>();
        var kept = 0;
        var perKey = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var incident in cleared)
        {
            var count = perKey.GetValueOrDefault(incident.Endpoint.Key);
            if (incident.ClearedAt < now - retention || count >= perEndpoint || kept >= total)
            {
                drop.Add(incident.Id);
                continue;
            }
            perKey[incident.Endpoint.Key] = count + 1;
            kept++;
        }
        return drop;
    }
}
