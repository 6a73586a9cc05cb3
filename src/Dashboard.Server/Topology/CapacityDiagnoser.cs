using System.Globalization;
using Dashboard.Client.Localization;
using Dashboard.Client.Model;
using Dashboard.Server.Kubernetes;
using k8s.Models;

namespace Dashboard.Server.Topology;

/// <summary>
/// Why an endpoint has less capacity than its pods promise, seen from Kubernetes: a pod the Service selects that is not
/// serving (pending, not started, crash-looping, failing its readiness probe), or a target group with no target at all
/// (a selector that matches no pod, no pod ready, targets not registered). Complements <see cref="TargetDiagnoser"/>,
/// which explains the targets AWS lists: a pod that failed its readiness probe leaves the endpoints and is deregistered,
/// so after its draining ends only this side still sees it. Pure.
/// </summary>
internal static class CapacityDiagnoser
{
    /// <summary>A pod younger than this that is not ready yet is starting, not broken.</summary>
    public static readonly TimeSpan StartGrace = TimeSpan.FromMinutes(2);

    /// <summary>Why <paramref name="pod"/>, selected by <paramref name="service"/>, is not serving.</summary>
    public static TargetDiagnoser.Result PodNotServing(KubernetesIndex k8s, TopologyContext ctx, V1Service service, V1Pod pod, bool endpointHasHealthyTarget)
    {
        var name = pod.Metadata.Name;
        var ns = pod.Metadata.NamespaceProperty;
        var evidence = new List<string>
        {
            $"{service.Metadata.Name} selects pod {name} ({Selector(service)}), but it is not ready, so it is not in the Service's endpoints and serves no traffic",
        };
        var since = NotReadySince(pod);
        if (since is { } s)
        {
            evidence.Add($"not ready since {s.ToString("u", CultureInfo.InvariantCulture)} ({TargetDiagnoser.Duration(ctx.Now - s)})");
        }
        var created = pod.Metadata.CreationTimestamp is { } c ? new DateTimeOffset(DateTime.SpecifyKind(c, DateTimeKind.Utc)) : (DateTimeOffset?)null;
        var starting = created is { } born && ctx.Now - born < StartGrace && NeverReady(pod);
        var severity = starting ? TriageSeverity.Notice : endpointHasHealthyTarget ? TriageSeverity.Degraded : TriageSeverity.Outage;
        if (!endpointHasHealthyTarget)
        {
            evidence.Add("the endpoint has no healthy target: this pod's capacity is missed entirely");
        }

        TargetDiagnoser.Result Make(string code, LocalText title, LocalText fix, TriageSeverity? bySeverity = null) =>
            new(new Diagnosis(code, title.English, [.. evidence], fix.English) { TitleText = title, FixText = fix }, bySeverity ?? severity);

        if (pod.Status?.Phase == "Pending" && string.IsNullOrEmpty(pod.Spec?.NodeName))
        {
            var scheduling = k8s.EventsOf("Pod", ns, name).FirstOrDefault(e => e.Reason == "FailedScheduling");
            evidence.Add(scheduling is null ? "pod is Pending and not scheduled to a node" : $"pod event FailedScheduling: {scheduling.Message}");
            return Make(starting ? "PodStarting" : "PodPending",
                LocalText.Of(starting ? "Diagnosis.PodScheduling.Title" : "Diagnosis.PodPending.Title", name),
                LocalText.Of(starting ? "Diagnosis.PodScheduling.Fix" : "Diagnosis.PodPending.Fix"));
        }

        var waiting = pod.Status?.ContainerStatuses?.FirstOrDefault(cs => cs.State?.Waiting is not null && cs.State.Waiting.Reason != "CrashLoopBackOff");
        if (KubernetesIndex.CrashLooping(pod) is { } crashing)
        {
            evidence.Add($"container {crashing.Name} in CrashLoopBackOff, {crashing.RestartCount} restarts"
                + (crashing.LastState?.Terminated is { } last ? $", last exit {last.ExitCode} ({last.Reason})" : ""));
            AddProbeEvents(k8s, pod, evidence, null);
            return Make("PodCrashLooping", LocalText.Of("Diagnosis.PodCrashLoopingNotServing.Title", name),
                LocalText.Of("Diagnosis.PodCrashLooping.Fix", ns, name),
                starting ? (endpointHasHealthyTarget ? TriageSeverity.Degraded : TriageSeverity.Outage) : null);
        }
        if (pod.Status?.Phase == "Pending" && waiting is not null)
        {
            evidence.Add($"container {waiting.Name} waiting: {waiting.State.Waiting.Reason}" + (string.IsNullOrEmpty(waiting.State.Waiting.Message) ? "" : $" ({waiting.State.Waiting.Message})"));
            var pull = waiting.State.Waiting.Reason is "ImagePullBackOff" or "ErrImagePull" or "InvalidImageName";
            return Make(pull ? "ImagePullFailing" : starting ? "PodStarting" : "PodNotStarted",
                pull ? LocalText.Of("Diagnosis.ImagePullFailing.Title", name) : LocalText.Of("Diagnosis.PodNotStarted.Title", name, waiting.State.Waiting.Reason),
                LocalText.Of(pull ? "Diagnosis.ImagePullFailing.Fix" : starting ? "Diagnosis.PodCreating.Fix" : "Diagnosis.PodNotStarted.Fix"),
                pull && starting ? (endpointHasHealthyTarget ? TriageSeverity.Degraded : TriageSeverity.Outage) : null);
        }

        var containersReady = pod.Status?.Conditions?.FirstOrDefault(cnd => cnd.Type == "ContainersReady")?.Status == "True";
        if (containersReady)
        {
            var gate = pod.Status?.Conditions?.FirstOrDefault(cnd => cnd.Type.StartsWith(KubernetesIndex.ReadinessGatePrefix, StringComparison.Ordinal));
            evidence.Add(gate is null
                ? "its containers are ready; a readiness gate holds it"
                : $"its containers are ready; readiness gate {gate.Type} is {gate.Status}" + (string.IsNullOrEmpty(gate.Reason) ? "" : $" ({gate.Reason})"));
            return Make("ReadinessGatePending", LocalText.Of("Diagnosis.ReadinessGatePending.Title", name),
                LocalText.Of("Diagnosis.ReadinessGatePending.Fix"),
                starting ? TriageSeverity.Notice : null);
        }

        AddProbe(pod, evidence);
        AddProbeEvents(k8s, pod, evidence, since);
        var hasProbe = pod.Spec?.Containers?.Any(cn => cn.ReadinessProbe is not null) == true;
        if (starting)
        {
            return Make("PodStarting", LocalText.Of("Diagnosis.PodStarting.Title", name), LocalText.Of("Diagnosis.PodStarting.Fix"));
        }
        return Make(hasProbe ? "ReadinessProbeFailing" : "PodNotReady",
            LocalText.Of(hasProbe ? "Diagnosis.ReadinessProbeFailing.Title" : "Diagnosis.PodRunningNotReady.Title", name),
            LocalText.Of("Diagnosis.PodNotServing.Fix", ProbeText(pod), ns, name));
    }

    /// <summary>Why a target group of an endpoint has no target at all.</summary>
    public static TargetDiagnoser.Result NoTargets(KubernetesIndex k8s, TargetGroupView group, V1Service? service, IReadOnlyList<V1Pod> selected, IReadOnlyList<V1Pod> namespacePods)
    {
        var evidence = new List<string> { $"AWS lists no target in {group.Name}: the balancer has nowhere to send traffic" };
        if (service is null)
        {
            evidence.Add("no Service is linked to the target group");
            return new(Localised("NoTargets", LocalText.Of("Diagnosis.NoTargets.Title"), evidence, LocalText.Of("Diagnosis.NoTargets.Fix")), TriageSeverity.Outage);
        }
        var ns = service.Metadata.NamespaceProperty;
        var svc = service.Metadata.Name;
        var selector = service.Spec?.Selector;
        if (selector is null || selector.Count == 0)
        {
            evidence.Add($"Service {ns}/{svc} has no selector: its endpoints are managed by hand, and none is there");
            return new(Localised("NoTargets", LocalText.Of("Diagnosis.NoSelector.Title", svc), evidence, LocalText.Of("Diagnosis.NoSelector.Fix", ns, svc)), TriageSeverity.Outage);
        }
        if (selected.Count == 0)
        {
            evidence.Add($"the selector {Selector(service)} of Service {ns}/{svc} matches no pod in namespace {ns}");
            // Near misses: pods carrying one of the selector's keys with another value, or all the values under other keys.
            var near = namespacePods
                .Select(p => (Pod: p, Labels: p.Metadata?.Labels ?? new Dictionary<string, string>()))
                .Where(p => selector.Keys.Any(p.Labels.ContainsKey))
                .Take(3)
                .ToList();
            foreach (var (pod, labels) in near)
            {
                evidence.Add($"pod {pod.Metadata.Name} has {string.Join(", ", selector.Keys.Where(labels.ContainsKey).Select(k => $"{k}={labels[k]}"))}");
            }
            var suggestion = near.Count > 0
                ? selector.Keys.Where(near[0].Labels.ContainsKey).ToDictionary(k => k, k => near[0].Labels[k], StringComparer.Ordinal)
                : null;
            var command = suggestion is { Count: > 0 }
                ? $"kubectl -n {ns} patch service {svc} --type merge -p '{{\"spec\":{{\"selector\":{{{string.Join(",", suggestion.Select(p => $"\"{p.Key}\":\"{p.Value}\""))}}}}}}}'"
                : null;
            return new(Localised("SelectorMatchesNoPod", LocalText.Of("Diagnosis.SelectorMatchesNoPod.Title", svc), evidence,
                command is null ? LocalText.Of("Diagnosis.SelectorMatchesNoPod.Fix", ns, svc) : LocalText.Of("Diagnosis.SelectorMatchesNoPod.FixCommand", ns, svc, command)) with
            {
                FixObject = new ObjectRef(ObjectKind.Service, ns, svc),
                FixCommand = command,
            }, TriageSeverity.Outage);
        }
        var ready = selected.Where(KubernetesIndex.IsReady).ToList();
        if (ready.Count == 0)
        {
            evidence.Add($"{selected.Count} {(selected.Count == 1 ? "pod matches" : "pods match")} {Selector(service)}; none is ready (each is listed with its own cause)");
            return new(Localised("NoReadyPods", LocalText.Of("Diagnosis.NoReadyPods.Title", svc), evidence, LocalText.Of("Diagnosis.NoReadyPods.Fix")), TriageSeverity.Outage);
        }
        evidence.Add($"{ready.Count} ready {(ready.Count == 1 ? "pod matches" : "pods match")} {Selector(service)}, but none is registered");
        if (k8s.BindingsByArn.TryGetValue(group.Arn, out var binding))
        {
            foreach (var e in k8s.EventsOf("TargetGroupBinding", binding.Namespace, binding.Name).Where(e => e.Type == "Warning").Take(2))
            {
                evidence.Add($"TargetGroupBinding {binding.Name} event {e.Reason}: {e.Message}");
            }
        }
        return new(Localised("TargetsNotRegistered", LocalText.Of("Diagnosis.TargetsNotRegistered.Title"), evidence, LocalText.Of("Diagnosis.TargetsNotRegistered.Fix")),
            TriageSeverity.Stuck);
    }

    private static Diagnosis Localised(string code, LocalText title, List<string> evidence, LocalText fix) =>
        new(code, title.English, [.. evidence], fix.English) { TitleText = title, FixText = fix };

    /// <summary>The pods of the Service's namespace that its selector matches and that are meant to run (not finished, not terminating).</summary>
    public static IEnumerable<V1Pod> Selected(V1Service service, IEnumerable<V1Pod> namespacePods)
    {
        var selector = service.Spec?.Selector;
        if (selector is null || selector.Count == 0)
        {
            return [];
        }
        return namespacePods
            .Where(p => p.Metadata?.DeletionTimestamp is null && p.Status?.Phase is not ("Succeeded" or "Failed"))
            .Where(p => p.Metadata?.Labels is { } labels && selector.All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value));
    }

    /// <summary>
    /// True when the pod has not been ready since it started: its Ready condition turned False when the pod was set up
    /// (within seconds of being scheduled), not later. A pod that was ready and then failed is not "starting".
    /// </summary>
    public static bool NeverReady(V1Pod pod)
    {
        var conditions = pod.Status?.Conditions ?? [];
        var ready = conditions.FirstOrDefault(c => c.Type == "Ready");
        if (ready?.LastTransitionTime is not { } turned)
        {
            return true;
        }
        var origin = conditions.FirstOrDefault(c => c.Type == "PodScheduled")?.LastTransitionTime ?? pod.Metadata?.CreationTimestamp;
        return origin is null || turned - origin.Value <= TimeSpan.FromSeconds(3);
    }

    /// <summary>When the pod's Ready condition turned False, else when it was created.</summary>
    public static DateTimeOffset? NotReadySince(V1Pod pod)
    {
        var ready = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
        var at = ready?.Status == "False" ? ready.LastTransitionTime : null;
        at ??= pod.Metadata?.CreationTimestamp;
        return at is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;
    }

    /// <summary>The first container's readiness probe, described.</summary>
    public static void AddProbe(V1Pod pod, List<string> evidence)
    {
        if (DescribeProbe(pod) is { } probe)
        {
            evidence.Add($"readiness probe: {probe}");
        }
    }

    /// <summary>" (readiness probe GET /ready on port 8080)", or "" without a probe.</summary>
    public static string ProbeText(V1Pod pod) => DescribeProbe(pod) is { } probe ? $" (readiness probe {probe})" : "";

    private static string? DescribeProbe(V1Pod pod)
    {
        var probe = pod.Spec?.Containers?.Select(c => c.ReadinessProbe).FirstOrDefault(p => p is not null);
        if (probe is null)
        {
            return null;
        }
        var what = probe.HttpGet is { } http ? $"GET {http.Path ?? "/"} on port {http.Port?.Value}"
            : probe.TcpSocket is { } tcp ? $"TCP connect to port {tcp.Port?.Value}"
            : probe.Exec is { } exec ? $"exec {string.Join(' ', exec.Command ?? [])}"
            : probe.Grpc is { } grpc ? $"gRPC on port {grpc.Port}"
            : "unknown";
        return $"{what}, every {probe.PeriodSeconds ?? 10} s, {probe.FailureThreshold ?? 3} failures to fail";
    }

    /// <summary>
    /// The pod's newest probe failure and back-off events (they carry what the pod answered, "HTTP probe failed with
    /// statuscode: 500"), only those of the current incident: an event last seen before <paramref name="incidentStart"/>
    /// (when the pod turned not ready, or the target entered its state) belongs to an earlier one and is not evidence.
    /// </summary>
    public static void AddProbeEvents(KubernetesIndex k8s, V1Pod pod, List<string> evidence, DateTimeOffset? incidentStart)
    {
        var events = k8s.EventsOf("Pod", pod.Metadata.NamespaceProperty, pod.Metadata.Name)
            .Where(e => e.Reason is "Unhealthy" or "BackOff")
            .Where(e => incidentStart is null || KubernetesEvents.LastSeen(e) is not { } seen || seen >= incidentStart.Value.AddSeconds(-1))
            .Take(2);
        foreach (var e in events)
        {
            evidence.Add($"pod event {e.Reason}: {e.Message}" + (e.Count is > 1 ? $" (×{e.Count})" : ""));
        }
    }

    private static string Selector(V1Service service) =>
        string.Join(",", (service.Spec?.Selector ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
}
