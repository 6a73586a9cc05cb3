using System.Text.Json.Nodes;

namespace Dashboard.Sandbox.Kubernetes.Api;

/// <summary>
/// The defaults the API server writes into every pod spec, a Pod's or a pod template's (k8s.io/kubernetes
/// <c>pkg/apis/core/v1/defaults.go</c>): restart and DNS policy, scheduler, grace period and an empty security context
/// on the spec; on each container (and init container) the termination message path and policy, the image pull policy
/// (<c>Always</c> for <c>:latest</c> or no tag), <c>resources: {}</c>, port protocol TCP, probe timings (timeout 1 s, period
/// 10 s, success 1, failure 3) and HTTP probe scheme; <c>fieldRef.apiVersion: v1</c>; ConfigMap, Secret, downward API and projected volume modes 0644.
/// </summary>
internal sealed partial class ObjectDefaults
{
    public static void DefaultPodSpec(JsonObject spec)
    {
        spec["restartPolicy"] ??= "Always";
        spec["terminationGracePeriodSeconds"] ??= 30;
        spec["dnsPolicy"] ??= "ClusterFirst";
        spec["securityContext"] ??= new JsonObject();
        spec["schedulerName"] ??= "default-scheduler";
        foreach (var list in new[] { "containers", "initContainers" })
        {
            foreach (var container in (spec[list] as JsonArray ?? []).OfType<JsonObject>())
            {
                DefaultContainer(container);
            }
        }
        foreach (var volume in (spec["volumes"] as JsonArray ?? []).OfType<JsonObject>())
        {
            foreach (var source in new[] { "configMap", "secret", "downwardAPI", "projected" })
            {
                if (volume[source] is JsonObject withMode)
                {
                    withMode["defaultMode"] ??= 420;
                }
            }
            if (!volume.Any(p => p.Key != "name"))
            {
                volume["emptyDir"] = new JsonObject();
            }
        }
    }

    private static void DefaultContainer(JsonObject container)
    {
        container["terminationMessagePath"] ??= "/dev/termination-log";
        container["terminationMessagePolicy"] ??= "File";
        if (container["imagePullPolicy"] is null)
        {
            var image = container["image"]?.ToString() ?? "";
            var withoutDigest = image.Split('@')[0];
            var lastSegment = withoutDigest[(withoutDigest.LastIndexOf('/') + 1)..];
            var tag = lastSegment.Contains(':', StringComparison.Ordinal) ? lastSegment[(lastSegment.IndexOf(':', StringComparison.Ordinal) + 1)..] : null;
            container["imagePullPolicy"] = image.Contains('@', StringComparison.Ordinal) || (tag is not null && tag != "latest") ? "IfNotPresent" : "Always";
        }
        container["resources"] ??= new JsonObject();
        foreach (var port in (container["ports"] as JsonArray ?? []).OfType<JsonObject>())
        {
            port["protocol"] ??= "TCP";
        }
        foreach (var probe in new[] { "livenessProbe", "readinessProbe", "startupProbe" })
        {
            if (container[probe] is JsonObject p)
            {
                p["timeoutSeconds"] ??= 1;
                p["periodSeconds"] ??= 10;
                p["successThreshold"] ??= 1;
                p["failureThreshold"] ??= 3;
                if (p["httpGet"] is JsonObject httpGet)
                {
                    httpGet["scheme"] ??= "HTTP";
                }
            }
        }
        foreach (var env in (container["env"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (env["valueFrom"]?["fieldRef"] is JsonObject fieldRef)
            {
                fieldRef["apiVersion"] ??= "v1";
            }
        }
    }
}
