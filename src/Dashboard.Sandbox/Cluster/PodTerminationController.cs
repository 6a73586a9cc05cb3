using System.Globalization;
using System.Text.Json.Nodes;
using Dashboard.Sandbox.Kubernetes;

namespace Dashboard.Sandbox.Cluster;

/// <summary>
/// The kubelet's side of a graceful pod deletion: when a pod on a node gets a <c>deletionTimestamp</c>, its containers
/// are told to stop (a <c>Killing</c> Event each) and exit after their shutdown time (<see cref="SandboxClusterOptions.ShutdownDelay"/>
/// or the pod's <see cref="PodBehaviourAnnotations.ShutdownSeconds"/>), at the latest when the grace period ends; then
/// the kubelet deletes the pod with grace period 0 (finalizers, if any, still hold it).
/// </summary>
internal sealed class PodTerminationController(ClusterRuntime runtime, EventRecorder events, SandboxClusterOptions options) : IClusterController
{
    private readonly HashSet<string> _stopping = new(StringComparer.Ordinal);

    public void OnChange(ObjectChange change)
    {
        if (change.Type != ResourceTypes.Pods)
        {
            return;
        }
        var key = JsonFields.Key(change.Namespace, change.Name);
        if (change.New is null)
        {
            _stopping.Remove(key);
        }
        else if (change.New["metadata"]?["deletionTimestamp"] is not null && PodStatus.NodeName(change.New) is not null)
        {
            runtime.Enqueue(this, key);
        }
    }

    public void Reconcile(string key)
    {
        var (ns, name) = JsonFields.SplitKey(key);
        var pod = runtime.Cache(ResourceTypes.Pods).Get(ns, name);
        var meta = pod?["metadata"] as JsonObject;
        if (pod is null || meta?["deletionTimestamp"] is null
            || !DateTimeOffset.TryParse(meta["deletionTimestamp"]!.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var deadline))
        {
            return;
        }
        if (_stopping.Add(key))
        {
            foreach (var container in PodStatus.ContainerNames(pod))
            {
                events.Record(EventTarget.For(pod, $"spec.containers{{{container}}}"), EventTypes.Normal, "Killing",
                    $"Stopping container {container}", "kubelet", PodStatus.NodeName(pod));
            }
        }
        var grace = TimeSpan.FromSeconds(JsonFields.Long(meta, "deletionGracePeriodSeconds") ?? 0);
        var shutdown = double.TryParse(JsonFields.Annotations(pod).GetValueOrDefault(PodBehaviourAnnotations.ShutdownSeconds), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(Math.Max(0, seconds))
            : options.ShutdownDelay;
        var exited = deadline - grace + (shutdown < grace ? shutdown : grace);
        if (runtime.Time.GetUtcNow() < exited)
        {
            runtime.RecheckAt(this, key, exited);
            return;
        }
        if ((JsonFields.Long(meta, "deletionGracePeriodSeconds") ?? 0) > 0)
        {
            runtime.DeleteGracefully(ResourceTypes.Pods, ns, name, new DeleteRequest { GracePeriodSeconds = 0 });
        }
    }
}
