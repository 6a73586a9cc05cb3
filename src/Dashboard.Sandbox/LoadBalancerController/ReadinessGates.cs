using System.Text.Json.Nodes;
using Dashboard.Sandbox.Aws;
using Dashboard.Sandbox.Cluster;
using Dashboard.Sandbox.Kubernetes;

namespace Dashboard.Sandbox.LoadBalancerController;

/// <summary>
/// Pod readiness gates <c>target-health.elbv2.k8s.aws/{binding}</c> in namespaces labelled
/// <c>elbv2.k8s.aws/pod-readiness-gate-inject: enabled</c>: the condition is True only while the pod's target is
/// healthy, its reason the target's AWS reason code. The sandbox writes the condition through the pod status
/// subresource (pods come from the simulated ReplicaSets, so the webhook's spec injection is not simulated).
/// </summary>
internal static class ReadinessGates
{
    public static string ConditionType(string bindingName) => ControllerAnnotations.ReadinessGatePrefix + bindingName;

    public static bool IsEnabled(JsonObject? ns) =>
        ns is not null && JsonFields.Labels(ns).GetValueOrDefault(ControllerAnnotations.ReadinessGateInject) == "enabled";

    /// <summary>Not ready, containers ready, and this binding's gate condition present but not True.</summary>
    public static bool IsPendingOnlyOnGate(JsonObject pod, TargetBinding binding)
    {
        if (binding.BindingName is null || PodStatus.IsReady(pod) || !PodStatus.ConditionIsTrue(pod, "ContainersReady"))
        {
            return false;
        }
        var type = ConditionType(binding.BindingName);
        return JsonFields.Objects(pod["status"]?["conditions"]).Any(c => JsonFields.String(c, "type") == type && JsonFields.String(c, "status") != "True");
    }

    /// <summary>Writes the gate condition for a target's pod when it differs from what the pod shows.</summary>
    public static void Sync(ClusterRuntime runtime, JsonObject pod, string bindingName, TargetHealth health, DateTimeOffset now)
    {
        var type = ConditionType(bindingName);
        var status = health.State == TargetHealthState.Healthy ? "True" : "False";
        var current = JsonFields.Objects(pod["status"]?["conditions"]).FirstOrDefault(c => JsonFields.String(c, "type") == type);
        if (current is not null && JsonFields.String(current, "status") == status && JsonFields.String(current, "reason") == health.Reason
            && JsonFields.String(current, "message") == health.Description)
        {
            return;
        }
        runtime.Mutate(ResourceTypes.Pods, JsonFields.Namespace(pod), JsonFields.Name(pod)!, p =>
        {
            var conditions = JsonFields.Child(p, "status")["conditions"] as JsonArray ?? [];
            var existing = conditions.OfType<JsonObject>().FirstOrDefault(c => JsonFields.String(c, "type") == type);
            var transition = existing is not null && JsonFields.String(existing, "status") == status
                ? JsonFields.String(existing, "lastTransitionTime")
                : ResourceStore.Timestamp(now);
            var condition = new JsonObject
            {
                ["type"] = type,
                ["status"] = status,
                ["lastProbeTime"] = null,
                ["lastTransitionTime"] = transition,
            };
            if (health.Reason is not null)
            {
                condition["reason"] = health.Reason;
            }
            if (health.Description is not null)
            {
                condition["message"] = health.Description;
            }
            if (existing is not null)
            {
                conditions.Remove(existing);
            }
            conditions.Add(condition);
            p["status"]!["conditions"] = conditions.DeepClone();
            return p;
        }, statusOnly: true);
    }
}
