using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dashboard.Sandbox.Cluster;

/// <summary>Reads and rewrites the kubelet-owned parts of a pod's status.</summary>
internal static class PodStatus
{
    public static bool IsReady(JsonObject pod) => ConditionIsTrue(pod, "Ready");

    public static bool ConditionIsTrue(JsonObject pod, string type) =>
        JsonFields.Objects(pod["status"]?["conditions"]).Any(c => JsonFields.String(c, "type") == type && JsonFields.String(c, "status") == "True");

    public static string? PodIp(JsonObject pod) => JsonFields.String(pod["status"], "podIP");

    public static string? NodeName(JsonObject pod) => JsonFields.String(pod["spec"], "nodeName");

    public static bool IsTerminal(JsonObject pod) => JsonFields.String(pod["status"], "phase") is "Succeeded" or "Failed";

    public static IReadOnlyList<string> ContainerNames(JsonObject pod) =>
        [.. JsonFields.Objects(pod["spec"]?["containers"]).Select(c => JsonFields.String(c, "name") ?? "")];

    /// <summary>Sets Ready/ContainersReady and each container's ready flag; transition times move only on change.</summary>
    public static void SetReady(JsonObject pod, bool ready, string now)
    {
        var status = JsonFields.Child(pod, "status");
        var names = ContainerNames(pod);
        var notReady = $"containers with unready status: [{string.Join(' ', names)}]";
        foreach (var condition in JsonFields.Objects(status["conditions"]))
        {
            if (JsonFields.String(condition, "type") is "Ready" or "ContainersReady")
            {
                var value = ready ? "True" : "False";
                if (JsonFields.String(condition, "status") != value)
                {
                    condition["status"] = value;
                    condition["lastTransitionTime"] = now;
                }
                if (ready)
                {
                    condition.Remove("reason");
                    condition.Remove("message");
                }
                else
                {
                    condition["reason"] = "ContainersNotReady";
                    condition["message"] = notReady;
                }
            }
        }
        foreach (var container in JsonFields.Objects(status["containerStatuses"]))
        {
            container["ready"] = ready;
        }
    }

    /// <summary>Puts the first container in CrashLoopBackOff (waiting, last terminated with an error).</summary>
    public static void SetCrashLoop(JsonObject pod, string now, string? lastStartedAt)
    {
        var first = JsonFields.Objects(pod["status"]?["containerStatuses"]).FirstOrDefault();
        if (first is null)
        {
            return;
        }
        var name = JsonFields.String(first, "name");
        var podRef = $"{JsonFields.Name(pod)}_{JsonFields.Namespace(pod)}({JsonFields.Uid(pod)})";
        first["started"] = false;
        first["state"] = new JsonObject
        {
            ["waiting"] = new JsonObject
            {
                ["reason"] = "CrashLoopBackOff",
                ["message"] = $"back-off 5m0s restarting failed container={name} pod={podRef}",
            },
        };
        first["lastState"] = new JsonObject
        {
            ["terminated"] = new JsonObject
            {
                ["exitCode"] = 1,
                ["reason"] = "Error",
                ["startedAt"] = lastStartedAt ?? now,
                ["finishedAt"] = now,
                ["containerID"] = first["containerID"]?.DeepClone(),
            },
        };
    }

    /// <summary>Marks the first container running again (after a restart or when the crash annotation is removed).</summary>
    public static void SetRunning(JsonObject pod, string now, JsonObject? lastTerminated = null)
    {
        var first = JsonFields.Objects(pod["status"]?["containerStatuses"]).FirstOrDefault();
        if (first is null)
        {
            return;
        }
        first["started"] = true;
        first["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = now } };
        if (lastTerminated is not null)
        {
            first["lastState"] = new JsonObject { ["terminated"] = lastTerminated };
        }
    }

    public static bool IsCrashLooping(JsonObject pod) =>
        JsonFields.String(JsonFields.Objects(pod["status"]?["containerStatuses"]).FirstOrDefault()?["state"]?["waiting"], "reason") == "CrashLoopBackOff";

    public static long RestartCount(JsonObject pod) =>
        JsonFields.Long(JsonFields.Objects(pod["status"]?["containerStatuses"]).FirstOrDefault(), "restartCount") ?? 0;

    public static void SetRestartCount(JsonObject pod, long count)
    {
        if (JsonFields.Objects(pod["status"]?["containerStatuses"]).FirstOrDefault() is { } first)
        {
            first["restartCount"] = count;
        }
    }

    /// <summary>The first container's readiness probe HTTP path and port, if it has one (for probe messages).</summary>
    public static (string Path, string Port)? ReadinessProbe(JsonObject pod, string probe = "readinessProbe")
    {
        foreach (var container in JsonFields.Objects(pod["spec"]?["containers"]))
        {
            if (container[probe]?["httpGet"] is JsonObject http)
            {
                var port = http["port"]?.ToString() ?? "80";
                if (http["port"] is JsonValue v && v.GetValueKind() == JsonValueKind.String)
                {
                    port = JsonFields.Objects(container["ports"]).FirstOrDefault(p => JsonFields.String(p, "name") == v.GetValue<string>()) is { } named
                        ? JsonFields.Long(named, "containerPort")?.ToString(CultureInfo.InvariantCulture) ?? port
                        : port;
                }
                return (JsonFields.String(http, "path") ?? "/", port);
            }
        }
        return null;
    }

    public static bool HasProbe(JsonObject pod, string probe) =>
        JsonFields.Objects(pod["spec"]?["containers"]).Any(c => c[probe] is JsonObject);
}
