using System.Globalization;
using System.Text.Json.Nodes;
using Dashboard.Sandbox.Kubernetes;

namespace Dashboard.Sandbox.Cluster;

/// <summary>
/// Deployment → ReplicaSets, as the Deployment controller: the ReplicaSet whose template is the Deployment's (pod-template-hash
/// label aside) is the new one, made when none is (<c>{deployment}-{pod-template-hash}</c>, revision one past the highest);
/// a rollout scales it up and the old ones down within <c>maxSurge</c>/<c>maxUnavailable</c> (RollingUpdate) or all old
/// ones to zero first (Recreate); a paused Deployment only scales; old ReplicaSets beyond <c>revisionHistoryLimit</c> are
/// deleted; the Deployment's status, revision annotation and <c>ScalingReplicaSet</c> Events follow. The ReplicaSet
/// controller makes the pods.
/// </summary>
internal sealed partial class DeploymentController : IClusterController
{
    public const string RevisionAnnotation = "deployment.kubernetes.io/revision";
    public const string RevisionHistoryAnnotation = "deployment.kubernetes.io/revision-history";
    public const string DesiredReplicasAnnotation = "deployment.kubernetes.io/desired-replicas";
    public const string MaxReplicasAnnotation = "deployment.kubernetes.io/max-replicas";
    private readonly ClusterRuntime _runtime;
    private readonly EventRecorder _events;
    private readonly int _seed;
    /// <summary>ReplicaSet names by owning Deployment uid.</summary>
    private readonly Dictionary<string, HashSet<string>> _replicaSetsByOwner = new(StringComparer.Ordinal);

    public DeploymentController(ClusterRuntime runtime, EventRecorder events, int seed)
    {
        _runtime = runtime;
        _events = events;
        _seed = seed;
    }

    private ObjectCache Deployments => _runtime.Cache(ResourceTypes.Deployments);

    private ObjectCache ReplicaSets => _runtime.Cache(ResourceTypes.ReplicaSets);

    public void OnChange(ObjectChange change)
    {
        if (change.Type == ResourceTypes.Deployments)
        {
            _runtime.Enqueue(this, JsonFields.Key(change.Namespace, change.Name));
        }
        else if (change.Type == ResourceTypes.ReplicaSets)
        {
            Index(change.Old, -1);
            Index(change.New, +1);
            foreach (var rs in new[] { change.Old, change.New }.OfType<JsonObject>())
            {
                if (PodBuilder.Controller(rs, "Deployment") is { } owner)
                {
                    _runtime.Enqueue(this, JsonFields.Key(change.Namespace, JsonFields.String(owner, "name")!));
                }
            }
        }
    }

    private void Index(JsonObject? rs, int delta)
    {
        if (rs is null || JsonFields.String(PodBuilder.Controller(rs, "Deployment"), "uid") is not { } owner)
        {
            return;
        }
        if (delta > 0)
        {
            if (!_replicaSetsByOwner.TryGetValue(owner, out var set))
            {
                set = new HashSet<string>(StringComparer.Ordinal);
                _replicaSetsByOwner[owner] = set;
            }
            set.Add(JsonFields.Name(rs)!);
        }
        else if (_replicaSetsByOwner.TryGetValue(owner, out var set))
        {
            set.Remove(JsonFields.Name(rs)!);
            if (set.Count == 0)
            {
                _replicaSetsByOwner.Remove(owner);
            }
        }
    }

    public void Reconcile(string key)
    {
        var (ns, name) = JsonFields.SplitKey(key);
        var deployment = Deployments.Get(ns, name);
        if (deployment is null)
        {
            return;
        }
        var owned = _replicaSetsByOwner.TryGetValue(JsonFields.Uid(deployment)!, out var names)
            ? names.Select(n => ReplicaSets.Get(ns, n)).OfType<JsonObject>().OrderBy(Created, StringComparer.Ordinal).ThenBy(JsonFields.Name, StringComparer.Ordinal).ToList()
            : [];
        var newRs = owned.FirstOrDefault(rs => SameTemplate(deployment, rs));
        var old = owned.Where(rs => rs != newRs).ToList();
        // A Deployment being deleted only reports; its ReplicaSets are the garbage collector's.
        if (deployment["metadata"]?["deletionTimestamp"] is not null)
        {
            WriteStatus(deployment, newRs, owned, createdNew: false);
            return;
        }
        var paused = JsonFields.Bool(deployment["spec"], "paused") == true;
        var createdNew = false;
        if (newRs is null && !paused)
        {
            newRs = CreateReplicaSet(deployment, old);
            createdNew = newRs is not null;
            if (newRs is not null)
            {
                owned.Add(newRs);
            }
        }
        else if (newRs is not null)
        {
            newRs = SyncRevision(deployment, newRs, old);
        }
        if (!createdNew)
        {
            if (paused || IsScalingEvent(deployment, newRs, old))
            {
                Scale(deployment, newRs, old);
            }
            else if (newRs is not null)
            {
                Rollout(deployment, newRs, old);
            }
            CleanUp(deployment, old);
        }
        WriteStatus(deployment, newRs, [.. owned.Select(rs => ReplicaSets.Get(ns, JsonFields.Name(rs)!)).OfType<JsonObject>()], createdNew);
    }

    private static string Created(JsonObject obj) => JsonFields.String(obj["metadata"], "creationTimestamp") ?? "";

    /// <summary>Whether a ReplicaSet runs the Deployment's template (its pod-template-hash label aside), as EqualIgnoreHash.</summary>
    private static bool SameTemplate(JsonObject deployment, JsonObject rs)
    {
        var template = Comparable(rs["spec"]?["template"]);
        if (template["metadata"]?["labels"] is JsonObject labels)
        {
            labels.Remove(PodBuilder.TemplateHashLabel);
            if (labels.Count == 0)
            {
                ((JsonObject)template["metadata"]!).Remove("labels");
            }
        }
        return JsonNode.DeepEquals(template, Comparable(deployment["spec"]?["template"]));
    }

    /// <summary>A template copy without what Go's decoder reads as unset (<c>creationTimestamp: null</c>, which kubectl rollout undo sends).</summary>
    private static JsonObject Comparable(JsonNode? template)
    {
        var copy = template?.DeepClone() as JsonObject ?? [];
        if (copy["metadata"] is JsonObject meta)
        {
            if (meta.TryGetPropertyValue("creationTimestamp", out var created) && created is null)
            {
                meta.Remove("creationTimestamp");
            }
            if (meta.Count == 0)
            {
                copy.Remove("metadata");
            }
        }
        return copy;
    }

    internal static long Revision(JsonObject? obj) =>
        long.TryParse(JsonFields.Annotations(obj).GetValueOrDefault(RevisionAnnotation), NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : 0;

    private void ScaleReplicaSet(JsonObject deployment, JsonObject rs, long replicas)
    {
        var from = JsonFields.Long(rs["spec"], "replicas") ?? 1;
        var (desired, max) = Bounds(deployment);
        var annotated = JsonFields.Annotations(rs);
        if (from == replicas && annotated.GetValueOrDefault(DesiredReplicasAnnotation) == desired.ToString(CultureInfo.InvariantCulture)
            && annotated.GetValueOrDefault(MaxReplicasAnnotation) == max.ToString(CultureInfo.InvariantCulture))
        {
            return;
        }
        _runtime.Mutate(ResourceTypes.ReplicaSets, JsonFields.Namespace(rs), JsonFields.Name(rs)!, r =>
        {
            r["spec"]!["replicas"] = replicas;
            var annotations = JsonFields.Child(JsonFields.Child(r, "metadata"), "annotations");
            annotations[DesiredReplicasAnnotation] = desired.ToString(CultureInfo.InvariantCulture);
            annotations[MaxReplicasAnnotation] = max.ToString(CultureInfo.InvariantCulture);
            return r;
        });
        if (from != replicas)
        {
            _events.Record(EventTarget.For(deployment), EventTypes.Normal, "ScalingReplicaSet",
                $"Scaled {(replicas > from ? "up" : "down")} replica set {JsonFields.Name(rs)} from {from} to {replicas}", "deployment-controller");
        }
    }

    /// <summary>Deletes the oldest ReplicaSets that run no pods beyond <c>spec.revisionHistoryLimit</c> (10 by default).</summary>
    private void CleanUp(JsonObject deployment, List<JsonObject> old)
    {
        var limit = JsonFields.Long(deployment["spec"], "revisionHistoryLimit") ?? 10;
        var idle = old
            .Where(rs => (JsonFields.Long(rs["spec"], "replicas") ?? 0) == 0 && (JsonFields.Long(rs["status"], "replicas") ?? 0) == 0
                && rs["metadata"]?["deletionTimestamp"] is null)
            .OrderBy(Revision)
            .ToList();
        foreach (var rs in idle.Take(Math.Max(0, idle.Count - (int)limit)))
        {
            _runtime.DeleteGracefully(ResourceTypes.ReplicaSets, JsonFields.Namespace(rs), JsonFields.Name(rs)!);
        }
    }

    private void WriteStatus(JsonObject deployment, JsonObject? newRs, List<JsonObject> all, bool createdNew)
    {
        var ns = JsonFields.Namespace(deployment)!;
        var name = JsonFields.Name(deployment)!;
        if (newRs is not null && Revision(newRs) is var revision and > 0
            && JsonFields.Annotations(deployment).GetValueOrDefault(RevisionAnnotation) != revision.ToString(CultureInfo.InvariantCulture))
        {
            _runtime.Mutate(ResourceTypes.Deployments, ns, name, d =>
            {
                JsonFields.Child(JsonFields.Child(d, "metadata"), "annotations")[RevisionAnnotation] = revision.ToString(CultureInfo.InvariantCulture);
                return d;
            });
        }
        var time = newRs is not null && createdNew && IsBackDated(newRs) is { } at ? at : _runtime.Time.GetUtcNow();
        var counts = new ReplicaCounts(
            all.Sum(rs => JsonFields.Long(rs["spec"], "replicas") ?? 1),
            all.Sum(rs => JsonFields.Long(rs["status"], "replicas") ?? 0),
            newRs is null ? 0 : JsonFields.Long(newRs["status"], "replicas") ?? 0,
            all.Sum(rs => JsonFields.Long(rs["status"], "readyReplicas") ?? 0),
            all.Sum(rs => JsonFields.Long(rs["status"], "availableReplicas") ?? 0));
        _runtime.Mutate(ResourceTypes.Deployments, ns, name, d =>
        {
            d["status"] = BuildStatus(d, JsonFields.Name(newRs), counts, createdNew, ResourceStore.Timestamp(time));
            return d;
        }, statusOnly: true);
    }

    /// <summary>Pod counts of a Deployment's ReplicaSets, as the Deployment status reports them.</summary>
    public readonly record struct ReplicaCounts(long Total, long Replicas, long Updated, long Ready, long Available);

    /// <summary>The Deployment status the controller writes (shared with the bulk loader so both agree).</summary>
    public static JsonObject BuildStatus(JsonObject deployment, string? newRsName, ReplicaCounts counts, bool createdNew, string now)
    {
        var old = deployment["status"] as JsonObject;
        var desired = JsonFields.Long(deployment["spec"], "replicas") ?? 1;
        var status = new JsonObject { ["observedGeneration"] = JsonFields.Long(deployment["metadata"], "generation") ?? 1 };
        void Count(string field, long value)
        {
            if (value != 0)
            {
                status[field] = value;
            }
        }
        Count("replicas", counts.Replicas);
        Count("updatedReplicas", counts.Updated);
        Count("readyReplicas", counts.Ready);
        Count("availableReplicas", counts.Available);
        Count("unavailableReplicas", Math.Max(0, counts.Total - counts.Available));
        var available = counts.Available >= desired - MaxUnavailable(deployment, desired);
        var complete = counts.Updated == desired && counts.Available == desired && counts.Replicas == desired;
        var paused = JsonFields.Bool(deployment["spec"], "paused") == true;
        var (progressing, reason, message) = paused ? ("Unknown", "DeploymentPaused", "Deployment is paused")
            : createdNew ? ("True", "NewReplicaSetCreated", $"Created new replica set \"{newRsName}\"")
            : complete ? ("True", "NewReplicaSetAvailable", $"ReplicaSet \"{newRsName}\" has successfully progressed.")
            : ("True", "ReplicaSetUpdated", $"ReplicaSet \"{newRsName}\" is progressing.");
        status["conditions"] = new JsonArray
        {
            Condition(old, now, "Available", available ? "True" : "False",
                available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                available ? "Deployment has minimum availability." : "Deployment does not have minimum availability."),
            Condition(old, now, "Progressing", progressing, reason, message),
        };
        return status;
    }

    private static JsonObject Condition(JsonObject? oldStatus, string now, string type, string status, string reason, string message)
    {
        var old = JsonFields.Objects(oldStatus?["conditions"]).FirstOrDefault(c => JsonFields.String(c, "type") == type);
        var sameStatus = JsonFields.String(old, "status") == status;
        var same = sameStatus && JsonFields.String(old, "reason") == reason && JsonFields.String(old, "message") == message;
        return new JsonObject
        {
            ["type"] = type,
            ["status"] = status,
            ["lastUpdateTime"] = same ? JsonFields.String(old, "lastUpdateTime") ?? now : now,
            ["lastTransitionTime"] = sameStatus ? JsonFields.String(old, "lastTransitionTime") ?? now : now,
            ["reason"] = reason,
            ["message"] = message,
        };
    }
}
