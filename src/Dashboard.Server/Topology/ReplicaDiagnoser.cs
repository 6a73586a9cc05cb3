using System.Collections.Immutable;
using Dashboard.Client.Localization;
using Dashboard.Client.Model;
using k8s.Models;

namespace Dashboard.Server.Topology;

/// <summary>
/// An endpoint below its Deployment's desired replicas: "2 of 3 desired replicas serve Service payments/api", with why
/// the others do not (pods pending, crash-looping, not ready, starting, not created) and whether a rollout is under way.
/// The per-pod items (<see cref="CapacityDiagnoser.PodNotServing"/>) explain each pod; this one counts the capacity the
/// Deployment promises, so a pod that is never created (quota, a failing ReplicaSet) is lost capacity too. Pure.
/// </summary>
internal static class ReplicaDiagnoser
{
    public const string Code = "BelowDesiredReplicas";

    /// <summary>The Deployments of the Service's namespace whose pod template its selector matches (they feed its endpoints).</summary>
    public static IEnumerable<V1Deployment> Feeding(KubernetesIndex k8s, V1Service service)
    {
        var selector = service.Spec?.Selector;
        if (selector is null || selector.Count == 0)
        {
            return [];
        }
        return (k8s.DeploymentsByNamespace.GetValueOrDefault(service.Metadata?.NamespaceProperty ?? "default") ?? [])
            .Where(d => d.Metadata?.DeletionTimestamp is null
                && d.Spec?.Template?.Metadata?.Labels is { } labels
                && selector.All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value));
    }

    /// <summary>The pods of <paramref name="deployment"/>: owned by one of its ReplicaSets ("{name}-{pod-template-hash}").</summary>
    public static bool Owns(V1Deployment deployment, V1Pod pod)
    {
        var name = deployment.Metadata?.Name;
        if (name is null || pod.Metadata?.NamespaceProperty != deployment.Metadata?.NamespaceProperty)
        {
            return false;
        }
        var owner = pod.Metadata?.OwnerReferences?.FirstOrDefault(o => o.Kind == "ReplicaSet" && o.Controller != false);
        if (owner is null)
        {
            return false;
        }
        return pod.Metadata?.Labels?.TryGetValue("pod-template-hash", out var hash) == true
            ? owner.Name == $"{name}-{hash}"
            : owner.Name.StartsWith(name + "-", StringComparison.Ordinal) && owner.Name.LastIndexOf('-') == name.Length;
    }

    /// <summary>Null when the Deployment's desired replicas are all ready; else why not.</summary>
    /// <param name="ctx">The join's clock and options.</param>
    /// <param name="endpoint">The endpoint the Deployment's pods serve (named in the title).</param>
    /// <param name="deployment">A Deployment feeding the endpoint's Service.</param>
    /// <param name="pods">The Deployment's pods (any state; terminating and finished ones are skipped here).</param>
    public static TargetDiagnoser.Result? Below(TopologyContext ctx, ObjectRef endpoint, V1Deployment deployment, IReadOnlyList<V1Pod> pods)
    {
        var desired = deployment.Spec?.Replicas ?? 1;
        if (desired <= 0)
        {
            return null;
        }
        var live = pods.Where(p => p.Metadata?.DeletionTimestamp is null && p.Status?.Phase is not ("Succeeded" or "Failed")).ToList();
        var ready = live.Count(KubernetesIndex.IsReady);
        if (ready >= desired)
        {
            return null;
        }
        var ns = deployment.Metadata.NamespaceProperty;
        var name = deployment.Metadata.Name;

        var notReady = live.Where(p => !KubernetesIndex.IsReady(p)).ToList();
        bool Starting(V1Pod p) => p.Metadata?.CreationTimestamp is { } c
            && ctx.Now - new DateTimeOffset(DateTime.SpecifyKind(c, DateTimeKind.Utc)) < CapacityDiagnoser.StartGrace
            && CapacityDiagnoser.NeverReady(p)
            && KubernetesIndex.CrashLooping(p) is null;
        var crashing = notReady.Count(p => KubernetesIndex.CrashLooping(p) is not null);
        var starting = notReady.Count(Starting);
        var pending = notReady.Count(p => !Starting(p) && KubernetesIndex.CrashLooping(p) is null && p.Status?.Phase == "Pending");
        var failing = notReady.Count - crashing - starting - pending;
        var missing = Math.Max(0, desired - live.Count);

        var evidence = new List<LocalText>
        {
            LocalText.Of("Evidence.Replicas.Counts", ns, name, desired, ready, live.Count),
        };
        var parts = new List<LocalText>();
        if (pending > 0)
        {
            parts.Add(LocalText.Of("Evidence.Replicas.Pending", pending));
        }
        if (crashing > 0)
        {
            parts.Add(LocalText.Of("Evidence.Replicas.CrashLooping", crashing));
        }
        if (failing > 0)
        {
            parts.Add(LocalText.Of("Evidence.Replicas.NotReady", failing));
        }
        if (starting > 0)
        {
            parts.Add(LocalText.Of("Evidence.Replicas.Starting", starting));
        }
        if (missing > 0)
        {
            parts.Add(LocalText.Of("Evidence.Replicas.NotCreated", missing));
        }
        if (parts.Count > 0)
        {
            evidence.Add(LocalText.Of("Evidence.Replicas.Why", LocalText.Join(", ", parts)));
        }
        var conditions = deployment.Status?.Conditions ?? [];
        var failure = conditions.FirstOrDefault(c => c.Type == "ReplicaFailure" && c.Status == "True");
        if (failure is not null)
        {
            evidence.Add(LocalText.Of("Evidence.Replicas.ReplicaFailure", failure.Reason ?? "", failure.Message ?? ""));
        }
        var stalled = conditions.FirstOrDefault(c => c.Type == "Progressing" && c.Reason == "ProgressDeadlineExceeded");
        var updated = deployment.Status?.UpdatedReplicas ?? 0;
        var sets = live.Select(p => p.Metadata?.OwnerReferences?.FirstOrDefault(o => o.Kind == "ReplicaSet")?.Name).Distinct(StringComparer.Ordinal).Count();
        var rollout = sets > 1 || updated < desired || (deployment.Status?.ObservedGeneration ?? 0) < (deployment.Metadata.Generation ?? 0);
        if (rollout)
        {
            var strategy = deployment.Spec?.Strategy;
            evidence.Add(strategy?.Type == "Recreate"
                ? LocalText.Of("Evidence.Replicas.RolloutRecreate", Math.Min(updated, desired), desired)
                : LocalText.Of("Evidence.Replicas.Rollout", Math.Min(updated, desired), desired,
                    strategy?.RollingUpdate?.MaxSurge?.Value ?? "25%", strategy?.RollingUpdate?.MaxUnavailable?.Value ?? "25%"));
        }
        if (stalled is not null)
        {
            evidence.Add(LocalText.Of("Evidence.Replicas.Stalled", stalled.Message ?? ""));
        }

        // Only time explains it: new pods inside their start grace, or a rollout still within its surge.
        var transient = (starting > 0 || rollout) && crashing == 0 && failing == 0 && pending == 0 && missing == 0 && stalled is null;
        var severity = ready == 0 ? TriageSeverity.Outage : transient ? TriageSeverity.Notice : TriageSeverity.Degraded;

        var title = LocalText.Of("Diagnosis.BelowDesiredReplicas.Title", ready, desired, endpoint.Kind.ToString(), endpoint.Namespace, endpoint.Name);
        string? command = null;
        LocalText fix;
        if (rollout && (crashing > 0 || failing > 0 || stalled is not null) && sets > 1)
        {
            // The new ReplicaSet's pods fail where the old ones served: going back restores the capacity now.
            command = $"kubectl -n {ns} rollout undo deployment/{name}";
            fix = LocalText.Of("Diagnosis.BelowDesiredReplicas.Fix.Undo", ns, name);
        }
        else if (failure is not null || missing > 0)
        {
            fix = LocalText.Of("Diagnosis.BelowDesiredReplicas.Fix.NotCreated", ns, name);
        }
        else if (pending > 0 && crashing == 0 && failing == 0)
        {
            fix = LocalText.Of("Diagnosis.BelowDesiredReplicas.Fix.Pending");
        }
        else if (transient)
        {
            fix = LocalText.Of("Diagnosis.BelowDesiredReplicas.Fix.Wait", ns, name);
        }
        else
        {
            fix = LocalText.Of("Diagnosis.BelowDesiredReplicas.Fix.Pods");
        }
        return new TargetDiagnoser.Result(new Diagnosis(Code, title.English, [.. evidence.Select(e => e.English)], fix.English)
        {
            TitleText = title,
            FixText = fix,
            EvidenceText = [.. evidence],
            FixCommand = command,
        }, severity);
    }
}
