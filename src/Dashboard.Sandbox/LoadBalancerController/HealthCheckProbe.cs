using System.Globalization;
using System.Text.Json.Nodes;
using Dashboard.Sandbox.Aws;
using Dashboard.Sandbox.Cluster;

namespace Dashboard.Sandbox.LoadBalancerController;

/// <summary>The outcome of one simulated health check: success, or the ELB reason code and description of the failure.</summary>
internal sealed record ProbeResult(bool Success, string? Reason = null, string? Description = null)
{
    public static readonly ProbeResult Ok = new(true);
    public static readonly ProbeResult TimedOut = new(false, "Target.Timeout", "Request timed out");
    public static readonly ProbeResult Failed = new(false, "Target.FailedHealthChecks", "Health checks failed");

    public static ProbeResult Code(int code) =>
        new(false, "Target.ResponseCodeMismatch", $"Health checks failed with these codes: [{code.ToString(CultureInfo.InvariantCulture)}]");
}

/// <summary>A pod the check reaches, with its simulated behaviour.</summary>
internal sealed record ProbedPod(JsonObject Pod, PodBehaviour Behaviour);

/// <summary>
/// One health check of the load balancer against a simulated pod, from the pod's behaviour annotation
/// (<c>sandbox.endpoint-dashboard.dev/health</c>): <c>refuse</c> fails the connection, <c>timeout</c> times out,
/// <c>http-500</c> answers 500; a path the pod's probes do not serve answers 404 (<c>/</c> is always served, and a
/// pod without HTTP probes serves every path); the code is then held against the matcher. TCP checks only connect.
/// </summary>
internal static class HealthCheckProbe
{
    public static ProbeResult Check(HealthCheck check, ProbedPod? target)
    {
        if (target is null)
        {
            return ProbeResult.TimedOut; // nothing holds the address
        }
        switch (target.Behaviour.EffectiveHealth)
        {
            case PodHealth.Refuse:
                return ProbeResult.Failed;
            case PodHealth.Timeout:
                return ProbeResult.TimedOut;
        }
        if (check.Port != "traffic-port" && int.TryParse(check.Port, NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            && ContainerPorts(target.Pod) is { Count: > 0 } ports && !ports.Contains(port))
        {
            return ProbeResult.Failed; // nothing listens on the health check port
        }
        if (check.Protocol is not ("HTTP" or "HTTPS"))
        {
            return ProbeResult.Ok;
        }
        var code = target.Behaviour.EffectiveHealth == PodHealth.Http500 ? 500 : Serves(target.Pod, check.Path ?? "/") ? 200 : 404;
        return Matches(check.Matcher ?? "200", code) ? ProbeResult.Ok : ProbeResult.Code(code);
    }

    /// <summary>
    /// An instance target: the check reaches the node port and kube-proxy forwards it to one of the Service's ready
    /// pods (only the node's own with <c>externalTrafficPolicy: Local</c>, whose health check node port answers 503
    /// when the node has none). The node passes when any reachable pod passes.
    /// </summary>
    public static ProbeResult CheckNode(HealthCheck check, IReadOnlyList<ProbedPod> reachable, bool healthCheckNodePort)
    {
        if (healthCheckNodePort)
        {
            return reachable.Count > 0 ? ProbeResult.Ok : ProbeResult.Code(503);
        }
        if (reachable.Count == 0)
        {
            return ProbeResult.Failed;
        }
        ProbeResult? first = null;
        foreach (var pod in reachable)
        {
            var result = Check(check with { Port = "traffic-port" }, pod);
            if (result.Success)
            {
                return result;
            }
            first ??= result;
        }
        return first!;
    }

    /// <summary>Whether an HTTP code satisfies a matcher such as <c>200</c>, <c>200-399</c> or <c>200,302</c>.</summary>
    public static bool Matches(string matcher, int code)
    {
        foreach (var part in matcher.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var range = part.Split('-', 2);
            if (int.TryParse(range[0], NumberStyles.None, CultureInfo.InvariantCulture, out var low)
                && int.TryParse(range.Length == 2 ? range[1] : range[0], NumberStyles.None, CultureInfo.InvariantCulture, out var high)
                && code >= low && code <= high)
            {
                return true;
            }
        }
        return false;
    }

    private static bool Serves(JsonObject pod, string path)
    {
        var query = path.IndexOf('?', StringComparison.Ordinal);
        path = query >= 0 ? path[..query] : path;
        var served = JsonFields.Objects(pod["spec"]?["containers"])
            .SelectMany(c => new[] { c["readinessProbe"], c["livenessProbe"], c["startupProbe"] })
            .Select(p => JsonFields.String(p?["httpGet"], "path"))
            .OfType<string>()
            .ToList();
        return served.Count == 0 || path == "/" || served.Contains(path);
    }

    private static HashSet<int> ContainerPorts(JsonObject pod) =>
        [.. JsonFields.Objects(pod["spec"]?["containers"]).SelectMany(c => JsonFields.Objects(c["ports"]))
            .Select(p => JsonFields.Long(p, "containerPort")).OfType<long>().Select(p => (int)p)];
}
