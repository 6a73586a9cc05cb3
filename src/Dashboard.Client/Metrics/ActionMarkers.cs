using System.Collections.Immutable;
using Dashboard.Client.Changes;
using Dashboard.Client.Localization;
using Dashboard.Client.Model;
using Dashboard.Client.SmokeTests;

namespace Dashboard.Client.Metrics;

/// <summary>
/// The dashboard's own actions as timeline markers: guided changes applied, rolled back or failed (the audit trail) and
/// smoke tests run (their kept results), on the endpoint whose object they touched. The hover says who did what
/// ("olivia applied reconfigure: healthcheck-path /ready → /healthz"); the click opens the change or the endpoint's smoke
/// test. Each text is carried in English (the HTTP API) and as a <see cref="LocalText"/> (the page, in the viewer's language).
/// </summary>
public static class ActionMarkers
{
    public const string Change = "change";
    public const string Rollback = "rollback";
    public const string ChangeFailed = "change-failed";
    public const string Smoke = "smoke";

    /// <summary>The marker kinds that come from the dashboard's own actions (not from the cluster).</summary>
    public static readonly ImmutableHashSet<string> Kinds = ImmutableHashSet.Create(StringComparer.Ordinal, Change, Rollback, ChangeFailed, Smoke);

    /// <summary>A marker for an audit record, or null for a refused request (nothing was sent to the cluster).</summary>
    public static TimelineMarker? From(ChangeRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var summary = Summary(record.Diff) is { Length: > 0 } s ? s : record.Object.ToString();
        LocalText? text = record.Outcome switch
        {
            ChangeOutcomes.Applied when record.RollsBack is { } original => LocalText.Of("Marker.RolledBack", record.User, original, summary),
            ChangeOutcomes.Applied => LocalText.Of("Marker.ChangeApplied", record.User, record.Action, summary),
            ChangeOutcomes.Failed => LocalText.Of("Marker.ChangeFailed", record.User, record.Action, record.Error ?? summary),
            ChangeOutcomes.Conflicted => LocalText.Of("Marker.ChangeConflicted", record.User, record.Action, record.Error ?? summary),
            _ => null,
        };
        if (text is null)
        {
            return null;
        }
        var kind = record.Outcome != ChangeOutcomes.Applied ? ChangeFailed : record.RollsBack is not null ? Rollback : Change;
        return new TimelineMarker(record.At, kind, text.English, ChangeUrls.Change(record.ChangeId)) { Say = text };
    }

    /// <summary>A marker at the moment a smoke test started sending (its traffic shows in the charts from then).</summary>
    public static TimelineMarker From(SmokeTestStatus run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var text = run.State == "running"
            ? LocalText.Of("Marker.SmokeTestRunning", run.RunBy, run.Requests, run.Failures)
            : run.StopReason is { } reason
                ? LocalText.Of("Marker.SmokeTestStopped", run.RunBy, run.Requests, run.Failures, reason)
                : LocalText.Of("Marker.SmokeTest", run.RunBy, run.Requests, run.Failures);
        return new TimelineMarker(run.StartedAt, Smoke, text.English, TopologyUrls.Endpoint(run.Endpoint) + "#smoke-title") { Say = text };
    }

    /// <summary>
    /// What a change changed, read from its unified diff: "healthcheck-path /ready → /healthz" for a changed value, "key: value"
    /// for an added one, "key removed" for a removed one (annotation keys shortened to their last segment), at most three,
    /// then "+N more". Empty when the diff has no key: value lines.
    /// </summary>
    public static string Summary(string? diff)
    {
        if (string.IsNullOrEmpty(diff))
        {
            return "";
        }
        var removed = new List<(string Key, string Value)>();
        var added = new List<(string Key, string Value)>();
        foreach (var line in diff.Split('\n'))
        {
            if (line.Length < 2 || line.StartsWith("---", StringComparison.Ordinal) || line.StartsWith("+++", StringComparison.Ordinal) || line[0] is not ('+' or '-'))
            {
                continue;
            }
            var body = line[1..].Trim();
            if (body.StartsWith('#') || body.StartsWith("- ", StringComparison.Ordinal))
            {
                continue; // explanatory comments and list items carry no key of their own
            }
            var colon = body.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }
            var key = body[..colon].Trim().Trim('"');
            var value = body[(colon + 1)..].Trim().Trim('"');
            (line[0] == '+' ? added : removed).Add((ShortKey(key), value));
        }
        var parts = new List<string>();
        foreach (var (key, value) in added)
        {
            var before = removed.FindIndex(r => r.Key == key);
            if (before >= 0)
            {
                parts.Add($"{key} {(removed[before].Value.Length == 0 ? "∅" : removed[before].Value)} → {(value.Length == 0 ? "∅" : value)}");
                removed.RemoveAt(before);
            }
            else if (value.Length > 0)
            {
                parts.Add($"{key}: {value}");
            }
        }
        parts.AddRange(removed.Where(r => r.Value.Length > 0).Select(r => $"{r.Key} removed"));
        return parts.Count <= 3 ? string.Join(", ", parts) : $"{string.Join(", ", parts.Take(3))} (+{parts.Count - 3} more)";
    }

    private static string ShortKey(string key) => key.Contains('/', StringComparison.Ordinal) ? key[(key.LastIndexOf('/') + 1)..] : key;
}
