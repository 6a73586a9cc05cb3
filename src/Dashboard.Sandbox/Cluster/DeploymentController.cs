using System.Globalization;
using System.Text.Json.Nodes;
using Dashboard.Sandbox.Kubernetes;

namespace Dashboard.Sandbox.Cluster;

/// <summary>
/// Deployment → pods, doing the work of the deployment, ReplicaSet, scheduler and kubelet controllers at once:
/// keeps <c>spec.replicas</c> pods of the current template running (a changed template replaces every pod, a
/// deleted pod is recreated), spreads them over the zones, and writes the Deployment's status and events.
/// ReplicaSets are not served; pods still name one as their owner, as on a real cluster.
/// </summary>
internal sealed class DeploymentController : IClusterController
{
    public const string RevisionAnnotation = "deployment.kubernetes.io/revision";
    private readonly ClusterRuntime _runtime;
    private readonly EventRecorder _events;
    private readonly IReadOnlyList<SimulatedNode> _nodes;
    private readonly int _seed;
    private readonly Dictionary<string, HashSet<string>> _podsByDeployment = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _podsPerNode = new(StringComparer.Ordinal);
    private readonly HashSet<string> _usedIps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _nextOrdinal = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Hash, long Replicas)> _lastScale = new(StringComparer.Ordinal);

    public DeploymentController(ClusterRuntime runtime, EventRecorder events, IReadOnlyList<SimulatedNode> nodes, int seed)
    {
        _runtime = runtime;
        _events = events;
        _nodes = nodes;
        _seed = seed;
    }

    private ObjectCache Pods => _runtime.Cache(ResourceTypes.Pods);

    private ObjectCache Deployments => _runtime.Cache(ResourceTypes.Deployments);

    public void OnChange(ObjectChange change)
    {
        if (change.Type == ResourceTypes.Deployments)
        {
            _runtime.Enqueue(this, JsonFields.Key(change.Namespace, change.Name));
        }
        else if (change.Type == ResourceTypes.Pods)
        {
            Index(change.Old, -1);
            Index(change.New, +1);
            if (PodBuilder.OwningDeployment(change.Current) is { } deployment)
            {
                _runtime.Enqueue(this, JsonFields.Key(change.Namespace, deployment));
            }
            if (change.New is null)
            {
                RecordKilling(change.Old!);
            }
        }
    }

    private void Index(JsonObject? pod, int delta)
    {
        if (pod is null)
        {
            return;
        }
        var ns = JsonFields.Namespace(pod) ?? "";
        var name = JsonFields.Name(pod) ?? "";
        if (PodBuilder.OwningDeployment(pod) is { } deployment)
        {
            var key = JsonFields.Key(ns, deployment);
            if (delta > 0)
            {
                if (!_podsByDeployment.TryGetValue(key, out var set))
                {
                    set = new HashSet<string>(StringComparer.Ordinal);
                    _podsByDeployment[key] = set;
                }
                set.Add(name);
            }
            else if (_podsByDeployment.TryGetValue(key, out var set))
            {
                set.Remove(name);
            }
        }
        if (PodStatus.NodeName(pod) is { } node)
        {
            _podsPerNode[node] = _podsPerNode.GetValueOrDefault(node) + delta;
        }
        if (PodStatus.PodIp(pod) is { } ip)
        {
            if (delta > 0)
            {
                _usedIps.Add(ip);
            }
            else
            {
                _usedIps.Remove(ip);
            }
        }
    }

    public void Reconcile(string key)
    {
        var (ns, name) = JsonFields.SplitKey(key);
        var owned = _podsByDeployment.TryGetValue(key, out var names)
            ? names.Select(n => Pods.Get(ns, n)).OfType<JsonObject>().ToList()
            : [];
        var deployment = Deployments.Get(ns, name);
        if (deployment is null)
        {
            foreach (var pod in owned)
            {
                _runtime.Delete(ResourceTypes.Pods, ns, JsonFields.Name(pod)!);
            }
            _lastScale.Remove(key);
            _nextOrdinal.Remove(key);
            return;
        }

        var hash = PodBuilder.TemplateHash(deployment);
        var rsName = PodBuilder.ReplicaSetName(name, hash);
        var desired = Math.Max(0, JsonFields.Long(deployment["spec"], "replicas") ?? 1);
        var outdated = owned.Where(p => JsonFields.Labels(p).GetValueOrDefault(PodBuilder.TemplateHashLabel) != hash).ToList();
        var current = owned.Except(outdated).ToList();
        var previous = _lastScale.GetValueOrDefault(key);

        // A new template: the old ReplicaSet scales to zero (a simple replace, no surge).
        foreach (var group in outdated.GroupBy(p => JsonFields.Labels(p).GetValueOrDefault(PodBuilder.TemplateHashLabel) ?? ""))
        {
            var count = group.Count();
            foreach (var pod in group)
            {
                _runtime.Delete(ResourceTypes.Pods, ns, JsonFields.Name(pod)!);
            }
            _events.Record(EventTarget.For(deployment), EventTypes.Normal, "ScalingReplicaSet",
                $"Scaled down replica set {PodBuilder.ReplicaSetName(name, group.Key)} from {count} to 0", "deployment-controller");
        }

        var statusTime = _runtime.Time.GetUtcNow();
        if (current.Count < desired)
        {
            var born = owned.Count == 0 && !_lastScale.ContainsKey(key) ? RunningSince(deployment) : null;
            var from = previous.Hash == hash ? previous.Replicas : current.Count;
            // The events of a rollout long ago have expired (an hour's TTL), as on a real cluster.
            if (from != desired && born is null)
            {
                _events.Record(EventTarget.For(deployment), EventTypes.Normal, "ScalingReplicaSet",
                    $"Scaled up replica set {rsName} from {from} to {desired}", "deployment-controller");
            }
            for (var i = current.Count; i < desired; i++)
            {
                if (CreatePod(deployment, hash, current, born) is { } pod)
                {
                    current.Add(pod);
                }
            }
            statusTime = born ?? statusTime;
        }
        else if (current.Count > desired)
        {
            _events.Record(EventTarget.For(deployment), EventTypes.Normal, "ScalingReplicaSet",
                $"Scaled down replica set {rsName} from {current.Count} to {desired}", "deployment-controller");
            // As the ReplicaSet controller ranks them: not-ready pods go first, then the newest.
            var victims = current
                .OrderBy(PodStatus.IsReady)
                .ThenByDescending(p => JsonFields.String(p["metadata"], "creationTimestamp"), StringComparer.Ordinal)
                .ThenByDescending(p => JsonFields.Name(p), StringComparer.Ordinal)
                .Take(current.Count - (int)desired)
                .ToList();
            foreach (var pod in victims)
            {
                _runtime.Delete(ResourceTypes.Pods, ns, JsonFields.Name(pod)!);
                current.Remove(pod);
            }
        }
        _lastScale[key] = (hash, desired);
        WriteStatus(deployment, rsName, desired, current, outdated.Count > 0, statusTime);
    }

    /// <summary>
    /// When the pods of a Deployment that has been running since before the simulation started were created: a loaded
    /// scenario back-dates its Deployments (<see cref="Scenario.ScenarioClock"/>, at least an hour old) and the pods
    /// their ReplicaSet made then are as old, a few seeded seconds after it. Null for anything else: Deployments
    /// created since, and every later pod (rollouts, replaced pods, scale-ups) are born now.
    /// </summary>
    private DateTimeOffset? RunningSince(JsonObject deployment)
    {
        var now = _runtime.Time.GetUtcNow();
        if (!DateTimeOffset.TryParse(JsonFields.String(deployment["metadata"], "creationTimestamp"), CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var created) || created > now - TimeSpan.FromHours(1))
        {
            return null;
        }
        var delay = TimeSpan.FromSeconds(1 + (StableHash.Of(_seed.ToString(CultureInfo.InvariantCulture), "pods-born", JsonFields.Namespace(deployment) ?? "",
            JsonFields.Name(deployment) ?? "") % 5));
        return created + delay;
    }

    private JsonObject? CreatePod(JsonObject deployment, string hash, List<JsonObject> siblings, DateTimeOffset? born)
    {
        var ns = JsonFields.Namespace(deployment)!;
        var name = JsonFields.Name(deployment)!;
        var key = JsonFields.Key(ns, name);
        var ordinal = _nextOrdinal.GetValueOrDefault(key);
        string podName;
        do
        {
            podName = PodBuilder.PodName(_seed, ns, name, hash, ordinal++);
        }
        while (Pods.Get(ns, podName) is not null);
        _nextOrdinal[key] = ordinal;

        var node = ChooseNode(siblings);
        var ip = PodBuilder.AllocateIp(node, _seed, JsonFields.Key(ns, podName), _usedIps.Contains);
        var pod = PodBuilder.Build(deployment, hash, podName, node, ip, _seed, born ?? _runtime.Time.GetUtcNow());
        var stored = _runtime.Create(ResourceTypes.Pods, pod, born);
        if (stored is not null && born is null)
        {
            RecordStart(stored, node);
        }
        return stored;
    }

    /// <summary>Spreads a deployment's pods over zones (fewest siblings first), then the least busy node.</summary>
    private SimulatedNode ChooseNode(List<JsonObject> siblings)
    {
        var perNode = siblings.GroupBy(p => PodStatus.NodeName(p) ?? "").ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return _nodes
            .Select((node, index) => (node, index))
            .OrderBy(n => perNode.GetValueOrDefault(n.node.Name))
            .ThenBy(n => _podsPerNode.GetValueOrDefault(n.node.Name))
            .ThenBy(n => n.index)
            .First().node;
    }

    private void RecordStart(JsonObject pod, SimulatedNode node)
    {
        var ns = JsonFields.Namespace(pod);
        _events.Record(EventTarget.For(pod), EventTypes.Normal, "Scheduled",
            $"Successfully assigned {ns}/{JsonFields.Name(pod)} to {node.Name}", "default-scheduler");
        foreach (var container in JsonFields.Objects(pod["spec"]?["containers"]))
        {
            var containerName = JsonFields.String(container, "name");
            var target = EventTarget.For(pod, $"spec.containers{{{containerName}}}");
            _events.Record(target, EventTypes.Normal, "Pulled",
                $"Container image \"{JsonFields.String(container, "image")}\" already present on machine", "kubelet", node.Name);
            _events.Record(target, EventTypes.Normal, "Created", $"Created container: {containerName}", "kubelet", node.Name);
            _events.Record(target, EventTypes.Normal, "Started", $"Started container {containerName}", "kubelet", node.Name);
        }
    }

    private void RecordKilling(JsonObject pod)
    {
        foreach (var containerName in PodStatus.ContainerNames(pod))
        {
            _events.Record(EventTarget.For(pod, $"spec.containers{{{containerName}}}"), EventTypes.Normal, "Killing",
                $"Stopping container {containerName}", "kubelet", PodStatus.NodeName(pod));
        }
    }

    private void WriteStatus(JsonObject deployment, string rsName, long desired, List<JsonObject> current, bool rolled, DateTimeOffset time)
    {
        var ns = JsonFields.Namespace(deployment)!;
        var name = JsonFields.Name(deployment)!;
        var all = _podsByDeployment.TryGetValue(JsonFields.Key(ns, name), out var names) ? names.Count : 0;
        var ready = current.Count(PodStatus.IsReady);
        var now = ResourceStore.Timestamp(time);

        var revision = JsonFields.Annotations(deployment).GetValueOrDefault(RevisionAnnotation);
        if (revision is null || rolled)
        {
            var next = (long.TryParse(revision, NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : 0) + 1;
            _runtime.Mutate(ResourceTypes.Deployments, ns, name, d =>
            {
                JsonFields.Child(JsonFields.Child(d, "metadata"), "annotations")[RevisionAnnotation] = next.ToString(CultureInfo.InvariantCulture);
                return d;
            });
        }

        _runtime.Mutate(ResourceTypes.Deployments, ns, name, d =>
        {
            d["status"] = BuildStatus(d, rsName, desired, all, current.Count, ready, now);
            return d;
        }, statusOnly: true);
    }

    /// <summary>The Deployment status the controller writes (shared with the bulk loader so both agree).</summary>
    public static JsonObject BuildStatus(JsonObject deployment, string rsName, long desired, int all, int updated, int ready, string now)
    {
        var old = deployment["status"] as JsonObject;
        var maxUnavailable = MaxUnavailable(deployment, desired);
        var status = new JsonObject { ["observedGeneration"] = JsonFields.Long(deployment["metadata"], "generation") ?? 1 };
        void Count(string field, long value)
        {
            if (value != 0)
            {
                status[field] = value;
            }
        }
        Count("replicas", all);
        Count("updatedReplicas", updated);
        Count("readyReplicas", ready);
        Count("availableReplicas", ready);
        Count("unavailableReplicas", Math.Max(0, desired - ready));
        var available = ready >= desired - maxUnavailable;
        var complete = updated == desired && ready == desired && all == desired;
        status["conditions"] = new JsonArray
        {
            Condition(old, now, "Available", available,
                available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                available ? "Deployment has minimum availability." : "Deployment does not have minimum availability."),
            Condition(old, now, "Progressing", true,
                complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
                complete ? $"ReplicaSet \"{rsName}\" has successfully progressed." : $"ReplicaSet \"{rsName}\" is progressing."),
        };
        return status;
    }

    private static JsonObject Condition(JsonObject? oldStatus, string now, string type, bool value, string reason, string message)
    {
        var status = value ? "True" : "False";
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

    private static long MaxUnavailable(JsonObject deployment, long desired)
    {
        var value = deployment["spec"]?["strategy"]?["rollingUpdate"]?["maxUnavailable"];
        if (JsonFields.Long(value) is { } absolute)
        {
            return absolute;
        }
        var text = (value as JsonValue)?.ToString() ?? "25%";
        return text.EndsWith('%') && int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var percent)
            ? desired * percent / 100
            : desired / 4;
    }
}
