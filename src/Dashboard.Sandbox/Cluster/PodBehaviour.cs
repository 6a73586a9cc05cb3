using System.Text.Json.Nodes;

namespace Dashboard.Sandbox.Cluster;

/// <summary>How a simulated pod's application answers HTTP (its readiness path, and a load balancer's health check).</summary>
public enum PodHealth
{
    /// <summary>Answers 200.</summary>
    Ok,
    /// <summary>Answers 500.</summary>
    Http500,
    /// <summary>Accepts the connection but never answers in time.</summary>
    Timeout,
    /// <summary>Nothing listens: connection refused.</summary>
    Refuse,
}

/// <summary>What the simulation currently knows about one pod, for the AWS health and traffic simulations.</summary>
public sealed record PodBehaviour
{
    public required string Namespace { get; init; }
    public required string Name { get; init; }
    public string? PodIp { get; init; }
    public string? NodeName { get; init; }
    public required PodHealth Health { get; init; }
    /// <summary>True when the pod is annotated to crash (CrashLoopBackOff): nothing listens.</summary>
    public required bool CrashLooping { get; init; }
    /// <summary>The pod's Ready condition as last written.</summary>
    public required bool Ready { get; init; }
    /// <summary>Container ports by name, for resolving named target ports.</summary>
    public IReadOnlyDictionary<string, int> NamedPorts { get; init; } = new Dictionary<string, int>();

    /// <summary>The health an HTTP client sees right now: a crash-looping container refuses connections.</summary>
    public PodHealth EffectiveHealth => CrashLooping ? PodHealth.Refuse : Health;
}

/// <summary>
/// The sandbox-only pod annotations that steer a pod's simulated behaviour; change them with
/// <c>kubectl annotate pod NAME sandbox.endpoint-dashboard.dev/health=http-500 --overwrite</c>.
/// </summary>
public static class PodBehaviourAnnotations
{
    /// <summary><c>ok</c> (default), <c>http-500</c>, <c>timeout</c> or <c>refuse</c>.</summary>
    public const string Health = "sandbox.endpoint-dashboard.dev/health";

    /// <summary><c>true</c> makes the pod's container crash repeatedly (CrashLoopBackOff).</summary>
    public const string Crash = "sandbox.endpoint-dashboard.dev/crash";

    /// <summary>
    /// Seconds the pod's containers take to exit after SIGTERM when the pod is deleted (default
    /// <see cref="SandboxClusterOptions.ShutdownDelay"/>); a value past the grace period means the kubelet kills them then.
    /// </summary>
    public const string ShutdownSeconds = "sandbox.endpoint-dashboard.dev/shutdown-seconds";

    public static PodHealth ParseHealth(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "ok" or "healthy" => PodHealth.Ok,
        "http-500" or "500" => PodHealth.Http500,
        "timeout" => PodHealth.Timeout,
        "refuse" or "refused" => PodHealth.Refuse,
        // Unknown values read as healthy; the pod object shows the annotation as written.
        _ => PodHealth.Ok,
    };

    public static bool ParseCrash(string? value) => string.Equals(value?.Trim(), "true", StringComparison.OrdinalIgnoreCase);

    internal static PodBehaviour Read(JsonObject pod)
    {
        var annotations = JsonFields.Annotations(pod);
        var ports = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var container in JsonFields.Objects(pod["spec"]?["containers"]))
        {
            foreach (var port in JsonFields.Objects(container["ports"]))
            {
                if (JsonFields.String(port, "name") is { } name && JsonFields.Long(port, "containerPort") is { } number)
                {
                    ports.TryAdd(name, (int)number);
                }
            }
        }
        return new PodBehaviour
        {
            Namespace = JsonFields.Namespace(pod) ?? "",
            Name = JsonFields.Name(pod) ?? "",
            PodIp = JsonFields.String(pod["status"], "podIP"),
            NodeName = JsonFields.String(pod["spec"], "nodeName"),
            Health = ParseHealth(annotations.GetValueOrDefault(Health)),
            CrashLooping = ParseCrash(annotations.GetValueOrDefault(Crash)),
            Ready = PodStatus.IsReady(pod),
            NamedPorts = ports,
        };
    }
}
