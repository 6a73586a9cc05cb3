using System.Globalization;
using System.Text.RegularExpressions;

namespace Dashboard.Client.Model;

/// <summary>How the topology pages word and colour balancers, listeners, target groups and targets.</summary>
public static partial class TopologyFormat
{
    /// <summary>The target-group attributes an operator reads first, with readable names.</summary>
    public static IReadOnlyList<(string Key, string Label)> KeyTargetGroupAttributes { get; } =
    [
        ("deregistration_delay.timeout_seconds", "Deregistration delay (s)"),
        ("slow_start.duration_seconds", "Slow start (s)"),
        ("stickiness.enabled", "Stickiness"),
        ("stickiness.type", "Stickiness type"),
        ("stickiness.lb_cookie.duration_seconds", "Stickiness cookie duration (s)"),
        ("load_balancing.algorithm.type", "Algorithm"),
        ("preserve_client_ip.enabled", "Preserve client IP"),
        ("proxy_protocol_v2.enabled", "Proxy protocol v2"),
        ("deregistration_delay.connection_termination.enabled", "Terminate connections on deregistration"),
    ];

    /// <summary>"HTTP:80 → HTTPS:443, HTTPS:443": each listener, with where a redirecting one sends traffic.</summary>
    public static string ListenersSummary(IEnumerable<ListenerView> listeners) =>
        string.Join(", ", listeners.OrderBy(static l => l.Port).Select(Listener));

    /// <summary>"HTTPS:443", or "HTTP:80 → HTTPS:443" when the default action redirects.</summary>
    public static string Listener(ListenerView listener)
    {
        var text = $"{listener.Protocol}:{listener.Port.ToString(CultureInfo.InvariantCulture)}";
        var redirect = RedirectTarget().Match(listener.DefaultAction);
        return redirect.Success && listener.DefaultAction.Contains("redirect", StringComparison.OrdinalIgnoreCase)
            ? $"{text} → {redirect.Groups[1].Value.ToUpperInvariant()}:{redirect.Groups[2].Value}"
            : text;
    }

    /// <summary>"10.0.1.5:8080".</summary>
    public static string Address(TargetView target) => $"{target.Id}:{target.Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The CSS health class of a target state: ok, bad, warn (transitional) or idle (unused).</summary>
    public static string HealthClass(string state) => state.ToLowerInvariant() switch
    {
        "healthy" => "health-ok",
        "unhealthy" or "unavailable" or "unhealthy.draining" => "health-bad",
        "initial" or "draining" => "health-warn",
        _ => "health-idle",
    };

    /// <summary>The CSS health class of a set of targets: ok when all healthy, bad when none, warn between.</summary>
    public static string HealthClass(int healthy, int total) =>
        total == 0 ? "health-idle" : healthy == total ? "health-ok" : healthy == 0 ? "health-bad" : "health-warn";

    /// <summary>
    /// The CSS health class of a set of targets knowing how many are failing: bad only when none is healthy and some
    /// are unhealthy; warn when none is healthy yet none is unhealthy either (all initial or draining, right after start).
    /// </summary>
    public static string HealthClass(int healthy, int total, int unhealthy) =>
        total == 0 ? "health-idle" : healthy == total ? "health-ok" : healthy == 0 && unhealthy > 0 ? "health-bad" : "health-warn";

    /// <summary>True for a target state that counts as failing (not merely initial, draining or unused).</summary>
    public static bool IsUnhealthy(string state) => HealthClass(state) == "health-bad";

    /// <summary>How many of the targets are failing.</summary>
    public static int UnhealthyCount(IEnumerable<TargetView> targets) => targets.Count(static t => IsUnhealthy(t.State));

    /// <summary>
    /// How many of a balancer's targets are failing, from its target groups' targets. When those are not carried
    /// (targets counted but none listed) the all-unhealthy flag decides, and without any healthy target the balancer
    /// counts as failing, as it did before the per-state counts were looked at.
    /// </summary>
    public static int UnhealthyCount(LoadBalancerViewModel lb)
    {
        var listed = 0;
        var unhealthy = 0;
        foreach (var group in lb.TargetGroups)
        {
            listed += group.Targets.Length;
            unhealthy += UnhealthyCount(group.Targets);
        }
        if (listed == 0 && lb.TotalTargets > 0)
        {
            return lb.Flags.HasFlag(LoadBalancerFlags.AllUnhealthy) || lb.HealthyTargets == 0 ? lb.TotalTargets - lb.HealthyTargets : 0;
        }
        return unhealthy;
    }

    /// <summary>The health class of a balancer's healthy/total figure (see <see cref="HealthClass(int, int, int)"/>).</summary>
    public static string HealthClass(LoadBalancerViewModel lb) => HealthClass(lb.HealthyTargets, lb.TotalTargets, UnhealthyCount(lb));

    /// <summary>The health class of a target group's healthy/total figure (see <see cref="HealthClass(int, int, int)"/>).</summary>
    public static string HealthClass(TargetGroupView group)
    {
        var (healthy, total) = Counts(group);
        return HealthClass(healthy, total, UnhealthyCount(group.Targets));
    }

    public static string HealthClass(CheckState state) => state switch
    {
        CheckState.Pass => "health-ok",
        CheckState.Warn => "health-warn",
        CheckState.Fail => "health-bad",
        _ => "health-idle",
    };

    public static string HealthClass(TriageSeverity severity) => severity switch
    {
        TriageSeverity.Outage => "health-bad",
        TriageSeverity.Degraded => "health-warn",
        TriageSeverity.Stuck => "health-warn",
        _ => "health-idle",
    };

    /// <summary>Severity in words a person under pressure reads at once (English: components look it up with L[…]).</summary>
    public static string SeverityText(TriageSeverity severity) => severity switch
    {
        TriageSeverity.Outage => "Outage",
        TriageSeverity.Degraded => "Degraded",
        TriageSeverity.Stuck => "Stuck",
        _ => "Notice",
    };

    public static string CheckText(CheckState state) => state switch
    {
        CheckState.Pass => "pass",
        CheckState.Warn => "warn",
        CheckState.Fail => "fail",
        _ => "unknown",
    };

    /// <summary>How long a target has been in its state, e.g. "5m"; "—" when the dashboard has not seen it change.</summary>
    public static string TimeInState(TargetView target, DateTimeOffset now) =>
        target.Since is { } since ? DisplayFormat.Age(since, now) : "—";

    /// <summary>The healthy share in percent, for a bar.</summary>
    public static int HealthyPercent(int healthy, int total) =>
        total == 0 ? 0 : (int)Math.Round(100.0 * healthy / total, MidpointRounding.AwayFromZero);

    /// <summary>"HTTP /healthz on traffic-port every 10s, timeout 5s, 3↑ 2↓, codes 200".</summary>
    public static string HealthCheck(HealthCheckView hc)
    {
        var parts = new List<string> { hc.Protocol };
        if (!string.IsNullOrEmpty(hc.Path))
        {
            parts.Add(hc.Path);
        }
        parts.Add(Localization.UiText.Format("on {0}", hc.Port));
        parts.Add(Localization.UiText.Format("every {0}s,", hc.IntervalSeconds.ToString(CultureInfo.InvariantCulture)));
        parts.Add(Localization.UiText.Format("timeout {0}s,", hc.TimeoutSeconds.ToString(CultureInfo.InvariantCulture)));
        parts.Add($"{hc.HealthyThreshold.ToString(CultureInfo.InvariantCulture)}↑ {hc.UnhealthyThreshold.ToString(CultureInfo.InvariantCulture)}↓");
        if (!string.IsNullOrEmpty(hc.Matcher))
        {
            parts[^1] += ",";
            parts.Add(Localization.UiText.Format("codes {0}", hc.Matcher));
        }
        return string.Join(' ', parts);
    }

    /// <summary>Healthy and total targets of a target group.</summary>
    public static (int Healthy, int Total) Counts(TargetGroupView group) =>
        (group.Targets.Count(static t => string.Equals(t.State, "healthy", StringComparison.OrdinalIgnoreCase)), group.Targets.Length);

    /// <summary>The labels of set flags, in display order.</summary>
    public static IEnumerable<string> FlagLabels(LoadBalancerFlags flags) =>
        LoadBalancerQuery.FlagNames.Where(f => flags.HasFlag(f.Flag)).Select(static f => f.Name);

    /// <summary>What a flag means, for its tooltip.</summary>
    public static string FlagHelp(LoadBalancerFlags flag) => flag switch
    {
        LoadBalancerFlags.Orphan => "Tagged for this cluster, but the Service or Ingress that owned it is gone.",
        LoadBalancerFlags.Drift => "The live AWS configuration differs from what the annotations ask for.",
        LoadBalancerFlags.AllUnhealthy => "Every registered target is unhealthy (an ALB then fails open).",
        LoadBalancerFlags.NoTargets => "No target is registered.",
        LoadBalancerFlags.Shared => "Shared by several Ingresses of one group.",
        _ => flag.ToString(),
    };

    /// <summary>A flag's URL name ("drift", "no-targets") as the viewer reads it on a chip.</summary>
    public static string FlagLabel(string name) =>
        name == "drift" ? Localization.UiText.Get("Drift").ToLower(CultureInfo.CurrentCulture) : Localization.UiText.Get(name);

    /// <summary>The age of data read at <paramref name="asOf"/>: "12s old", or "age unknown".</summary>
    public static string DataAge(DateTimeOffset? asOf, DateTimeOffset now) =>
        asOf is { } read ? DisplayFormat.Age(read, now) : "—";

    /// <summary>
    /// True when two diagnoses have the same code and title, so the second can be shortened to a reference: their
    /// evidence differs only by what names each target's own pod, which <see cref="OwnEvidence"/> keeps.
    /// </summary>
    public static bool SameDiagnosis(Diagnosis a, Diagnosis b) =>
        string.Equals(a.Code, b.Code, StringComparison.Ordinal) && string.Equals(a.Title, b.Title, StringComparison.Ordinal);

    /// <summary>
    /// The evidence lines of <paramref name="diagnosis"/> that the <paramref name="reference"/> diagnosis shown in full
    /// does not have, the lines naming the <paramref name="target"/>'s pod, node or address first.
    /// </summary>
    public static IReadOnlyList<string> OwnEvidence(Diagnosis reference, Diagnosis diagnosis, TargetView target)
    {
        var shown = new HashSet<string>(reference.Evidence, StringComparer.Ordinal);
        var own = diagnosis.Evidence.Where(line => !shown.Contains(line)).Distinct(StringComparer.Ordinal).ToList();
        string?[] names = [target.Pod?.Name, target.Node?.Name, target.Id];
        bool Names(string line) => names.Any(n => !string.IsNullOrEmpty(n) && line.Contains(n, StringComparison.Ordinal));
        return [.. own.Where(Names), .. own.Where(line => !Names(line))];
    }

    /// <summary>A node's short name: "ip-10-0-1-20" from "ip-10-0-1-20.ap-southeast-1.compute.internal".</summary>
    public static string ShortNodeName(string node)
    {
        var dot = node.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 ? node[..dot] : node;
    }

    /// <summary>The status of a readiness-gate condition, "True" from "target-health.elbv2.k8s.aws/k8s-…=True"; the text itself otherwise.</summary>
    public static string ReadinessGateStatus(string gate)
    {
        var equals = gate.LastIndexOf('=');
        return equals >= 0 ? gate[(equals + 1)..] : gate;
    }

    [GeneratedRegex(@"(HTTPS?|TCP|TLS)\s*:\s*(\d+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RedirectTarget();
}
