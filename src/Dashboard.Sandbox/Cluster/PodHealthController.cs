using System.Globalization;
using System.Text.Json.Nodes;
using Dashboard.Sandbox.Kubernetes;

namespace Dashboard.Sandbox.Cluster;

/// <summary>
/// The kubelet's probes, simulated from the sandbox-only annotations: a pod whose health is not <c>ok</c> turns
/// NotReady after <see cref="SandboxClusterOptions.ReadinessDelay"/> and Ready again the same delay after it is
/// <c>ok</c> again; each failing probe period adds to an <c>Unhealthy</c> event; <c>refuse</c> with a liveness
/// probe restarts the container, and the crash annotation holds it in CrashLoopBackOff with growing restarts.
/// </summary>
internal sealed class PodHealthController(ClusterRuntime runtime, EventRecorder events, SandboxClusterOptions options) : IClusterController
{
    private readonly Dictionary<string, ProbeState> _states = new(StringComparer.Ordinal);

    private ObjectCache Pods => runtime.Cache(ResourceTypes.Pods);

    public void OnChange(ObjectChange change)
    {
        if (change.Type != ResourceTypes.Pods)
        {
            return;
        }
        var key = JsonFields.Key(change.Namespace, change.Name);
        if (change.New is null)
        {
            _states.Remove(key);
            return;
        }
        var behaviour = Read(change.New);
        var state = _states.GetValueOrDefault(key);
        // Only behaviour changes (and new pods) need a look; status writes of our own do not.
        if (state is null || state.Health != behaviour.Health || state.Crash != behaviour.Crash)
        {
            runtime.Enqueue(this, key);
        }
    }

    private static (PodHealth Health, bool Crash) Read(JsonObject pod)
    {
        var annotations = JsonFields.Annotations(pod);
        return (PodBehaviourAnnotations.ParseHealth(annotations.GetValueOrDefault(PodBehaviourAnnotations.Health)),
            PodBehaviourAnnotations.ParseCrash(annotations.GetValueOrDefault(PodBehaviourAnnotations.Crash)));
    }

    public void Reconcile(string key)
    {
        var (ns, name) = JsonFields.SplitKey(key);
        var pod = Pods.Get(ns, name);
        if (pod is null || PodStatus.IsTerminal(pod))
        {
            _states.Remove(key);
            return;
        }
        var now = runtime.Time.GetUtcNow();
        var (health, crash) = Read(pod);
        var firstLook = !_states.ContainsKey(key);
        if (!_states.TryGetValue(key, out var state) || state.Health != health || state.Crash != crash)
        {
            state = new ProbeState(health, crash, now);
            _states[key] = state;
        }
        if (firstLook && crash && !PodStatus.IsCrashLooping(pod) && PodStatus.RestartCount(pod) == 0 && BackFill(pod, now))
        {
            pod = Pods.Get(ns, name) ?? pod;
        }
        var failing = health != PodHealth.Ok || crash;
        var due = new List<DateTimeOffset>();
        var stamp = ResourceStore.Timestamp(now);

        // Crash loop: enters at once, restarts every RestartInterval while annotated.
        if (crash != PodStatus.IsCrashLooping(pod) || (crash && now - state.LastRestart >= options.RestartInterval))
        {
            var restart = crash && PodStatus.IsCrashLooping(pod);
            if (restart)
            {
                state.LastRestart = now;
            }
            runtime.Mutate(ResourceTypes.Pods, ns, name, p =>
            {
                if (crash)
                {
                    if (restart || PodStatus.RestartCount(p) == 0)
                    {
                        PodStatus.SetRestartCount(p, PodStatus.RestartCount(p) + 1);
                    }
                    // The run that just ended: from the running state's start, or (restarted in the loop) a short run ago.
                    PodStatus.SetCrashLoop(p, stamp, JsonFields.String(p["status"]?["containerStatuses"]?[0]?["state"]?["running"], "startedAt")
                        ?? ResourceStore.Timestamp(now - CrashLoopHistory.Run));
                    PodStatus.SetReady(p, ready: false, stamp);
                }
                else
                {
                    PodStatus.SetRunning(p, stamp);
                }
                return p;
            }, statusOnly: true);
            if (crash)
            {
                RecordBackOff(pod);
            }
            pod = Pods.Get(ns, name) ?? pod;
        }
        if (crash)
        {
            due.Add(state.LastRestart + options.RestartInterval);
        }

        // Readiness follows the probe after the configured delay.
        var ready = PodStatus.IsReady(pod);
        if (ready == failing)
        {
            var flipAt = state.Since + options.ReadinessDelay;
            if (now >= flipAt)
            {
                runtime.Mutate(ResourceTypes.Pods, ns, name, p =>
                {
                    PodStatus.SetReady(p, !failing, stamp);
                    return p;
                }, statusOnly: true);
            }
            else
            {
                due.Add(flipAt);
            }
        }

        // Failing HTTP probes: an Unhealthy event per probe period; refused liveness probes restart the container.
        if (health != PodHealth.Ok && !crash)
        {
            if (now - state.LastProbeEvent >= options.ProbeInterval)
            {
                state.LastProbeEvent = now;
                RecordUnhealthy(pod, "Readiness", health);
                if (health == PodHealth.Refuse && PodStatus.HasProbe(pod, "livenessProbe"))
                {
                    RecordUnhealthy(pod, "Liveness", health);
                }
            }
            due.Add(state.LastProbeEvent + options.ProbeInterval);
            if (health == PodHealth.Refuse && PodStatus.HasProbe(pod, "livenessProbe"))
            {
                if (now - state.LastRestart >= options.RestartInterval)
                {
                    state.LastRestart = now;
                    Restart(pod, stamp);
                }
                due.Add(state.LastRestart + options.RestartInterval);
            }
        }
        if (due.Count > 0)
        {
            runtime.RecheckAt(this, key, due.Min());
        }
    }

    /// <summary>
    /// A pod that has carried the crash annotation since it was made (a back-dated scenario pod, seen for the first
    /// time) has been crash-looping all along: its restart count and last termination are those the kubelet's back-off
    /// would have produced by now (<see cref="CrashLoopHistory"/>), not a first crash at start-up. False when the
    /// container has not run long enough to have crashed, so the ordinary first crash applies.
    /// </summary>
    private bool BackFill(JsonObject pod, DateTimeOffset now)
    {
        var startedAt = JsonFields.String(pod["status"]?["containerStatuses"]?[0]?["state"]?["running"], "startedAt")
            ?? JsonFields.String(pod["status"], "startTime");
        if (!DateTimeOffset.TryParse(startedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var firstStart)
            || CrashLoopHistory.Since(firstStart, now) is not { Restarts: > 0 } history)
        {
            return false;
        }
        runtime.Mutate(ResourceTypes.Pods, JsonFields.Namespace(pod)!, JsonFields.Name(pod)!, p =>
        {
            PodStatus.SetRestartCount(p, history.Restarts);
            PodStatus.SetCrashLoop(p, ResourceStore.Timestamp(history.LastFinishedAt), ResourceStore.Timestamp(history.LastStartedAt));
            PodStatus.SetReady(p, ready: false, ResourceStore.Timestamp(now));
            return p;
        }, statusOnly: true);
        RecordBackOff(pod);
        return true;
    }

    private void RecordBackOff(JsonObject pod)
    {
        var container = PodStatus.ContainerNames(pod).FirstOrDefault();
        events.Record(EventTarget.For(pod, $"spec.containers{{{container}}}"), EventTypes.Warning, "BackOff",
            $"Back-off restarting failed container {container} in pod {JsonFields.Name(pod)}_{JsonFields.Namespace(pod)}({JsonFields.Uid(pod)})",
            "kubelet", PodStatus.NodeName(pod));
    }

    private void Restart(JsonObject pod, string stamp)
    {
        var ns = JsonFields.Namespace(pod)!;
        var name = JsonFields.Name(pod)!;
        runtime.Mutate(ResourceTypes.Pods, ns, name, p =>
        {
            var first = JsonFields.Objects(p["status"]?["containerStatuses"]).FirstOrDefault();
            var terminated = new JsonObject
            {
                ["exitCode"] = 137,
                ["reason"] = "Error",
                ["startedAt"] = JsonFields.String(first?["state"]?["running"], "startedAt") ?? stamp,
                ["finishedAt"] = stamp,
                ["containerID"] = first?["containerID"]?.DeepClone(),
            };
            PodStatus.SetRestartCount(p, PodStatus.RestartCount(p) + 1);
            PodStatus.SetRunning(p, stamp, terminated);
            return p;
        }, statusOnly: true);
        var container = PodStatus.ContainerNames(pod).FirstOrDefault();
        events.Record(EventTarget.For(pod, $"spec.containers{{{container}}}"), EventTypes.Normal, "Killing",
            $"Container {container} failed liveness probe, will be restarted", "kubelet", PodStatus.NodeName(pod));
    }

    private void RecordUnhealthy(JsonObject pod, string probeKind, PodHealth health)
    {
        var probe = PodStatus.ReadinessProbe(pod, probeKind == "Readiness" ? "readinessProbe" : "livenessProbe");
        if (probe is null)
        {
            return;
        }
        var (path, port) = probe.Value;
        var url = $"http://{PodStatus.PodIp(pod)}:{port}{path}";
        // kubelet's own wording; for a status code it adds the URL so the probe path is visible.
        var detail = health switch
        {
            PodHealth.Http500 => $"Get \"{url}\": HTTP probe failed with statuscode: 500",
            PodHealth.Timeout => $"Get \"{url}\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)",
            _ => $"Get \"{url}\": dial tcp {PodStatus.PodIp(pod)}:{port}: connect: connection refused",
        };
        var container = PodStatus.ContainerNames(pod).FirstOrDefault();
        events.Record(EventTarget.For(pod, $"spec.containers{{{container}}}"), EventTypes.Warning, "Unhealthy",
            $"{probeKind} probe failed: {detail}", "kubelet", PodStatus.NodeName(pod));
    }

    private sealed class ProbeState(PodHealth health, bool crash, DateTimeOffset since)
    {
        public PodHealth Health { get; } = health;
        public bool Crash { get; } = crash;
        public DateTimeOffset Since { get; } = since;
        public DateTimeOffset LastProbeEvent { get; set; } = DateTimeOffset.MinValue;
        public DateTimeOffset LastRestart { get; set; } = since;
    }
}
