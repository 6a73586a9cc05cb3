using System.Globalization;
using System.Text.Json.Nodes;
using Dashboard.Sandbox.Kubernetes;

namespace Dashboard.Sandbox.Cluster;

/// <summary>
/// The Deployment controller's rollout arithmetic, after kube-controller-manager's <c>rolling.go</c>, <c>recreate.go</c>,
/// <c>sync.go</c> (scaling events) and <c>deployment_util.go</c> (revisions, annotations, surge and unavailability).
/// </summary>
internal sealed partial class DeploymentController
{
    private static readonly HashSet<string> _annotationsNotCopied = new(StringComparer.Ordinal)
    {
        "kubectl.kubernetes.io/last-applied-configuration", RevisionAnnotation, RevisionHistoryAnnotation,
        DesiredReplicasAnnotation, MaxReplicasAnnotation, "deprecated.deployment.rollback.to",
    };

    private JsonObject? CreateReplicaSet(JsonObject deployment, List<JsonObject> old)
    {
        var ns = JsonFields.Namespace(deployment)!;
        var name = JsonFields.Name(deployment)!;
        var desired = Replicas(deployment);
        if (IsRecreate(deployment) && old.Any(rs => Replicas(rs) > 0 || (JsonFields.Long(rs["status"], "replicas") ?? 0) > 0))
        {
            // Recreate: every old pod goes before the new ReplicaSet is made.
            foreach (var active in old.Where(r => Replicas(r) > 0))
            {
                ScaleReplicaSet(deployment, active, 0);
            }
            return null;
        }
        var hash = PodBuilder.TemplateHash(deployment);
        var rsName = PodBuilder.ReplicaSetName(name, hash);
        if (ReplicaSets.Get(ns, rsName) is not null)
        {
            // A hash collision (or the old ReplicaSet still being deleted): the next change tries again.
            return null;
        }
        var backDated = old.Count == 0 ? RunningSince(deployment) : null;
        var replicas = backDated is not null || IsRecreate(deployment)
            ? desired
            : Math.Max(0, Math.Min(desired + MaxSurge(deployment, desired) - old.Sum(Replicas), desired));
        var rs = NewReplicaSet(deployment, replicas, old.Select(Revision).DefaultIfEmpty(0).Max() + 1);
        var created = _runtime.Create(ResourceTypes.ReplicaSets, rs, backDated);
        // The events of a rollout long ago have expired (an hour's TTL), as on a real cluster.
        if (created is not null && backDated is null && replicas > 0)
        {
            _events.Record(EventTarget.For(deployment), EventTypes.Normal, "ScalingReplicaSet",
                $"Scaled up replica set {rsName} from 0 to {replicas}", "deployment-controller");
        }
        return created;
    }

    /// <summary>
    /// The ReplicaSet for a Deployment's current template (shared with the bulk loader): named and labelled with the
    /// template's pod-template-hash, which its selector and template carry too, owned by the Deployment as its controller.
    /// </summary>
    public static JsonObject NewReplicaSet(JsonObject deployment, long replicas, long revision)
    {
        var hash = PodBuilder.TemplateHash(deployment);
        var template = (JsonObject)(deployment["spec"]?["template"]?.DeepClone() ?? new JsonObject());
        JsonFields.Child(JsonFields.Child(template, "metadata"), "labels")[PodBuilder.TemplateHashLabel] = hash;
        var selector = (JsonObject)(deployment["spec"]?["selector"]?.DeepClone() ?? new JsonObject());
        JsonFields.Child(selector, "matchLabels")[PodBuilder.TemplateHashLabel] = hash;
        var spec = new JsonObject { ["replicas"] = replicas };
        if (JsonFields.Long(deployment["spec"], "minReadySeconds") is { } minReady and > 0)
        {
            spec["minReadySeconds"] = minReady;
        }
        spec["selector"] = selector;
        spec["template"] = template;
        return new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = PodBuilder.ReplicaSetName(JsonFields.Name(deployment)!, hash),
                ["namespace"] = JsonFields.Namespace(deployment),
                ["labels"] = template["metadata"]!["labels"]!.DeepClone(),
                ["annotations"] = Annotations(deployment, revision, null),
                ["ownerReferences"] = new JsonArray { PodBuilder.ControllerReference(deployment) },
            },
            ["spec"] = spec,
        };
    }

    /// <summary>The new ReplicaSet's annotations: the Deployment's own (kubectl's bookkeeping aside), revision and bounds.</summary>
    private static JsonObject Annotations(JsonObject deployment, long revision, string? history)
    {
        var annotations = new JsonObject();
        foreach (var (key, value) in JsonFields.Annotations(deployment).Where(a => !_annotationsNotCopied.Contains(a.Key)).OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            annotations[key] = value;
        }
        var (desired, max) = Bounds(deployment);
        annotations[DesiredReplicasAnnotation] = desired.ToString(CultureInfo.InvariantCulture);
        annotations[MaxReplicasAnnotation] = max.ToString(CultureInfo.InvariantCulture);
        annotations[RevisionAnnotation] = revision.ToString(CultureInfo.InvariantCulture);
        if (!string.IsNullOrEmpty(history))
        {
            annotations[RevisionHistoryAnnotation] = history;
        }
        return annotations;
    }

    /// <summary>
    /// Keeps the new ReplicaSet's annotations in step with the Deployment; when an old template comes back (a rollback),
    /// its ReplicaSet takes the next revision and remembers the one it had in <c>revision-history</c>.
    /// </summary>
    private JsonObject SyncRevision(JsonObject deployment, JsonObject newRs, List<JsonObject> old)
    {
        var revision = Revision(newRs);
        var maxOld = old.Select(Revision).DefaultIfEmpty(0).Max();
        var history = JsonFields.Annotations(newRs).GetValueOrDefault(RevisionHistoryAnnotation);
        if (revision <= maxOld)
        {
            history = string.IsNullOrEmpty(history) ? revision.ToString(CultureInfo.InvariantCulture) : $"{history},{revision}";
            revision = maxOld + 1;
        }
        var wanted = Annotations(deployment, revision, history);
        var current = JsonFields.Annotations(newRs);
        // Bounds are the scaling bookkeeping's (ScaleReplicaSet): only a missing pair is filled in here.
        if (current.ContainsKey(DesiredReplicasAnnotation))
        {
            wanted[DesiredReplicasAnnotation] = current[DesiredReplicasAnnotation];
            wanted[MaxReplicasAnnotation] = current.GetValueOrDefault(MaxReplicasAnnotation) ?? wanted[MaxReplicasAnnotation]!.ToString();
        }
        if (JsonNode.DeepEquals(wanted, newRs["metadata"]?["annotations"] ?? new JsonObject()))
        {
            return newRs;
        }
        return _runtime.Mutate(ResourceTypes.ReplicaSets, JsonFields.Namespace(newRs), JsonFields.Name(newRs)!, r =>
        {
            r["metadata"]!["annotations"] = wanted.DeepClone();
            return r;
        }) ?? newRs;
    }

    /// <summary>A scaling event: an active ReplicaSet was sized for another replica count (<c>desired-replicas</c>).</summary>
    private static bool IsScalingEvent(JsonObject deployment, JsonObject? newRs, List<JsonObject> old)
    {
        var desired = Replicas(deployment).ToString(CultureInfo.InvariantCulture);
        return old.Append(newRs).OfType<JsonObject>().Where(rs => Replicas(rs) > 0)
            .Any(rs => JsonFields.Annotations(rs).GetValueOrDefault(DesiredReplicasAnnotation) is { } d && d != desired);
    }

    /// <summary>
    /// Scaling outside a rollout (and of a paused Deployment): the one active ReplicaSet (or the newest) takes the new
    /// count; during a rollout the difference goes to the new ReplicaSet when growing and comes off the old ones first when shrinking.
    /// </summary>
    private void Scale(JsonObject deployment, JsonObject? newRs, List<JsonObject> old)
    {
        var desired = Replicas(deployment);
        var all = old.Append(newRs).OfType<JsonObject>().ToList();
        var active = all.Where(rs => Replicas(rs) > 0).ToList();
        if (active.Count <= 1)
        {
            var target = active.FirstOrDefault() ?? newRs ?? old.OrderByDescending(Revision).FirstOrDefault();
            if (target is not null)
            {
                ScaleReplicaSet(deployment, target, desired);
            }
            return;
        }
        var allowed = IsRecreate(deployment) ? desired : desired + MaxSurge(deployment, desired);
        var delta = allowed - active.Sum(Replicas);
        var sizes = active.ToDictionary(rs => JsonFields.Name(rs)!, Replicas, StringComparer.Ordinal);
        if (delta > 0 && newRs is not null && sizes.ContainsKey(JsonFields.Name(newRs)!))
        {
            sizes[JsonFields.Name(newRs)!] += delta;
        }
        else
        {
            foreach (var rs in active.OrderBy(rs => rs == newRs ? 1 : 0).ThenBy(Created, StringComparer.Ordinal))
            {
                var take = Math.Min(sizes[JsonFields.Name(rs)!], -delta);
                sizes[JsonFields.Name(rs)!] -= take;
                delta += take;
            }
        }
        foreach (var rs in active)
        {
            ScaleReplicaSet(deployment, rs, sizes[JsonFields.Name(rs)!]);
        }
    }

    /// <summary>One step of a rollout: grow the new ReplicaSet, or else shrink the old ones, within the strategy's bounds.</summary>
    private void Rollout(JsonObject deployment, JsonObject newRs, List<JsonObject> old)
    {
        var desired = Replicas(deployment);
        if (IsRecreate(deployment))
        {
            if (old.Any(rs => Replicas(rs) > 0))
            {
                old.Where(rs => Replicas(rs) > 0).ToList().ForEach(rs => ScaleReplicaSet(deployment, rs, 0));
            }
            else if (old.All(rs => (JsonFields.Long(rs["status"], "replicas") ?? 0) == 0))
            {
                ScaleReplicaSet(deployment, newRs, desired);
            }
            return;
        }
        var newReplicas = Replicas(newRs);
        if (newReplicas > desired)
        {
            ScaleReplicaSet(deployment, newRs, desired);
            return;
        }
        if (newReplicas < desired)
        {
            var up = Math.Min(desired + MaxSurge(deployment, desired) - old.Sum(Replicas) - newReplicas, desired - newReplicas);
            if (up > 0)
            {
                ScaleReplicaSet(deployment, newRs, newReplicas + up);
                return;
            }
        }
        var sizes = old.ToDictionary(rs => JsonFields.Name(rs)!, Replicas, StringComparer.Ordinal);
        if (sizes.Values.Sum() == 0)
        {
            return;
        }
        var minAvailable = desired - MaxUnavailable(deployment, desired);
        var newUnavailable = newReplicas - (JsonFields.Long(newRs["status"], "availableReplicas") ?? 0);
        var budget = sizes.Values.Sum() + newReplicas - minAvailable - newUnavailable;
        var ordered = old.OrderBy(Created, StringComparer.Ordinal).ToList();
        // Unhealthy old pods go first (cleanupUnhealthyReplicas), then available ones down to minAvailable.
        var scaledDown = 0L;
        foreach (var rs in ordered)
        {
            var name = JsonFields.Name(rs)!;
            var unhealthy = sizes[name] - (JsonFields.Long(rs["status"], "availableReplicas") ?? 0);
            if (scaledDown >= budget || unhealthy <= 0)
            {
                continue;
            }
            var count = Math.Min(budget - scaledDown, unhealthy);
            sizes[name] -= count;
            scaledDown += count;
        }
        var availableTotal = old.Append(newRs).Sum(rs => JsonFields.Long(rs["status"], "availableReplicas") ?? 0);
        var allowed = availableTotal - minAvailable;
        scaledDown = 0;
        foreach (var rs in ordered)
        {
            var name = JsonFields.Name(rs)!;
            if (scaledDown >= allowed || sizes[name] == 0)
            {
                continue;
            }
            var count = Math.Min(sizes[name], allowed - scaledDown);
            sizes[name] -= count;
            scaledDown += count;
        }
        foreach (var rs in ordered)
        {
            ScaleReplicaSet(deployment, rs, sizes[JsonFields.Name(rs)!]);
        }
    }

    private static long Replicas(JsonObject obj) => Math.Max(0, JsonFields.Long(obj["spec"], "replicas") ?? 1);

    private static bool IsRecreate(JsonObject deployment) => JsonFields.String(deployment["spec"]?["strategy"], "type") == "Recreate";

    /// <summary>The <c>desired-replicas</c> and <c>max-replicas</c> annotations' values.</summary>
    private static (long Desired, long Max) Bounds(JsonObject deployment)
    {
        var desired = Replicas(deployment);
        return (desired, IsRecreate(deployment) ? desired : desired + MaxSurge(deployment, desired));
    }

    /// <summary><c>maxSurge</c> (25% by default) rounded up; see <see cref="MaxUnavailable"/> for the case of both zero.</summary>
    private static long MaxSurge(JsonObject deployment, long desired) =>
        IsRecreate(deployment) ? 0 : Resolve(deployment["spec"]?["strategy"]?["rollingUpdate"]?["maxSurge"], desired, roundUp: true);

    /// <summary><c>maxUnavailable</c> (25% by default) rounded down; 1 when both it and <c>maxSurge</c> come to zero.</summary>
    private static long MaxUnavailable(JsonObject deployment, long desired)
    {
        if (IsRecreate(deployment))
        {
            return desired;
        }
        var unavailable = Resolve(deployment["spec"]?["strategy"]?["rollingUpdate"]?["maxUnavailable"], desired, roundUp: false);
        return unavailable == 0 && MaxSurge(deployment, desired) == 0 ? 1 : Math.Min(unavailable, desired);
    }

    private static long Resolve(JsonNode? value, long desired, bool roundUp)
    {
        if (JsonFields.Long(value) is { } absolute)
        {
            return absolute;
        }
        var text = (value as JsonValue)?.ToString() ?? "25%";
        if (!text.EndsWith('%') || !int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var percent))
        {
            return 0;
        }
        return roundUp ? (desired * percent + 99) / 100 : desired * percent / 100;
    }

    /// <summary>
    /// When the first ReplicaSet of a Deployment that has been running since before the simulation started was made: a
    /// loaded scenario back-dates its Deployments (<see cref="Scenario.ScenarioClock"/>, at least an hour old) and their
    /// ReplicaSet (and its pods) came a few seeded seconds later. Null for anything else.
    /// </summary>
    private DateTimeOffset? RunningSince(JsonObject deployment)
    {
        var now = _runtime.Time.GetUtcNow();
        if (!DateTimeOffset.TryParse(Created(deployment), CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var created) || created > now - TimeSpan.FromHours(1))
        {
            return null;
        }
        var delay = TimeSpan.FromSeconds(1 + (StableHash.Of(_seed.ToString(CultureInfo.InvariantCulture), "pods-born", JsonFields.Namespace(deployment) ?? "",
            JsonFields.Name(deployment) ?? "") % 5));
        return created + delay;
    }

    /// <summary>The creation time of a ReplicaSet made for a running world (more than an hour old), else null.</summary>
    private DateTimeOffset? IsBackDated(JsonObject rs) =>
        DateTimeOffset.TryParse(Created(rs), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var created)
        && created <= _runtime.Time.GetUtcNow() - TimeSpan.FromHours(1) ? created : null;
}
