using System.Globalization;
using System.Text.Json.Nodes;
using Dashboard.Sandbox.Kubernetes;

namespace Dashboard.Sandbox.Cluster;

/// <summary>
/// ReplicaSet → pods, doing the work of the ReplicaSet controller, the scheduler and the kubelet's start at once: keeps
/// <c>spec.replicas</c> active pods of the ReplicaSet's template (pods being deleted do not count), spreads them over
/// the zones, deletes the surplus gracefully (not-ready pods first, then the newest), and writes the ReplicaSet's
/// status and its <c>SuccessfulCreate</c>/<c>SuccessfulDelete</c> Events. Pods belong to the ReplicaSet whose uid their
/// controller owner reference names; a deleted ReplicaSet's pods are the garbage collector's.
/// </summary>
internal sealed class ReplicaSetController : IClusterController
{
    private readonly ClusterRuntime _runtime;
    private readonly EventRecorder _events;
    private readonly IReadOnlyList<SimulatedNode> _nodes;
    private readonly int _seed;
    /// <summary>Pod names by owning ReplicaSet uid.</summary>
    private readonly Dictionary<string, HashSet<string>> _podsByOwner = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _podsPerNode = new(StringComparer.Ordinal);
    private readonly HashSet<string> _usedIps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _nextOrdinal = new(StringComparer.Ordinal);
    /// <summary>ReplicaSets (uid) that have had pods made for them: only a first fill of an old ReplicaSet is back-dated.</summary>
    private readonly HashSet<string> _filled = new(StringComparer.Ordinal);

    public ReplicaSetController(ClusterRuntime runtime, EventRecorder events, IReadOnlyList<SimulatedNode> nodes, int seed)
    {
        _runtime = runtime;
        _events = events;
        _nodes = nodes;
        _seed = seed;
    }

    private ObjectCache Pods => _runtime.Cache(ResourceTypes.Pods);

    private ObjectCache ReplicaSets => _runtime.Cache(ResourceTypes.ReplicaSets);

    public void OnChange(ObjectChange change)
    {
        if (change.Type == ResourceTypes.ReplicaSets)
        {
            _runtime.Enqueue(this, JsonFields.Key(change.Namespace, change.Name));
        }
        else if (change.Type == ResourceTypes.Pods)
        {
            Index(change.Old, -1);
            Index(change.New, +1);
            foreach (var pod in new[] { change.Old, change.New }.OfType<JsonObject>())
            {
                if (PodBuilder.Controller(pod, "ReplicaSet") is { } owner)
                {
                    _runtime.Enqueue(this, JsonFields.Key(change.Namespace, JsonFields.String(owner, "name")!));
                }
            }
        }
    }

    private void Index(JsonObject? pod, int delta)
    {
        if (pod is null)
        {
            return;
        }
        var name = JsonFields.Name(pod) ?? "";
        if (JsonFields.String(PodBuilder.Controller(pod, "ReplicaSet"), "uid") is { } owner)
        {
            if (delta > 0)
            {
                if (!_podsByOwner.TryGetValue(owner, out var set))
                {
                    set = new HashSet<string>(StringComparer.Ordinal);
                    _podsByOwner[owner] = set;
                }
                set.Add(name);
            }
            else if (_podsByOwner.TryGetValue(owner, out var set))
            {
                set.Remove(name);
                if (set.Count == 0)
                {
                    _podsByOwner.Remove(owner);
                }
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

    /// <summary>The pods whose controller is the ReplicaSet with <paramref name="uid"/>, terminating ones included.</summary>
    public List<JsonObject> PodsOf(string ns, string? uid) =>
        uid is not null && _podsByOwner.TryGetValue(uid, out var names) ? [.. names.Select(n => Pods.Get(ns, n)).OfType<JsonObject>()] : [];

    public void Reconcile(string key)
    {
        var (ns, name) = JsonFields.SplitKey(key);
        var rs = ReplicaSets.Get(ns, name);
        if (rs is null)
        {
            _nextOrdinal.Remove(key);
            return;
        }
        var uid = JsonFields.Uid(rs)!;
        var active = PodsOf(ns, uid).Where(p => p["metadata"]?["deletionTimestamp"] is null).ToList();
        var desired = Math.Max(0, JsonFields.Long(rs["spec"], "replicas") ?? 1);
        // A ReplicaSet being deleted is left alone: its pods are the garbage collector's.
        if (rs["metadata"]?["deletionTimestamp"] is null)
        {
            if (active.Count < desired)
            {
                var born = _filled.Contains(uid) || active.Count > 0 ? null : RunningSince(rs);
                for (var i = active.Count; i < desired; i++)
                {
                    if (CreatePod(rs, active, born) is { } pod)
                    {
                        active.Add(pod);
                    }
                }
            }
            else if (active.Count > desired)
            {
                // As the ReplicaSet controller ranks them: not-ready pods go first, then the newest.
                var victims = active
                    .OrderBy(PodStatus.IsReady)
                    .ThenByDescending(p => JsonFields.String(p["metadata"], "creationTimestamp"), StringComparer.Ordinal)
                    .ThenByDescending(p => JsonFields.Name(p), StringComparer.Ordinal)
                    .Take(active.Count - (int)desired)
                    .ToList();
                foreach (var pod in victims)
                {
                    var podName = JsonFields.Name(pod)!;
                    if (_runtime.DeleteGracefully(ResourceTypes.Pods, ns, podName))
                    {
                        _events.Record(EventTarget.For(rs), EventTypes.Normal, "SuccessfulDelete", $"Deleted pod: {podName}", "replicaset-controller");
                    }
                    active.Remove(pod);
                }
            }
            _filled.Add(uid);
        }
        WriteStatus(rs, active);
    }

    /// <summary>
    /// When the pods of a ReplicaSet that has existed since before the simulation started were made: a scenario's
    /// back-dated Deployment gets a back-dated ReplicaSet (at least an hour old), and its first pods are as old as it.
    /// Null for anything else: later pods (replacements, scale-ups, rollouts) are born now, with their Events.
    /// </summary>
    private DateTimeOffset? RunningSince(JsonObject rs)
    {
        var now = _runtime.Time.GetUtcNow();
        return DateTimeOffset.TryParse(JsonFields.String(rs["metadata"], "creationTimestamp"), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var created) && created <= now - TimeSpan.FromHours(1)
            ? created
            : null;
    }

    private JsonObject? CreatePod(JsonObject rs, List<JsonObject> siblings, DateTimeOffset? born)
    {
        var ns = JsonFields.Namespace(rs)!;
        var key = JsonFields.Key(ns, JsonFields.Name(rs)!);
        var ordinal = _nextOrdinal.GetValueOrDefault(key);
        string podName;
        do
        {
            podName = PodBuilder.PodName(_seed, rs, ordinal++);
        }
        while (Pods.Get(ns, podName) is not null);
        _nextOrdinal[key] = ordinal;

        var node = ChooseNode(siblings);
        var ip = PodBuilder.AllocateIp(node, _seed, JsonFields.Key(ns, podName), _usedIps.Contains);
        var stored = _runtime.Create(ResourceTypes.Pods, PodBuilder.Build(rs, podName, node, ip, _seed, born ?? _runtime.Time.GetUtcNow()), born);
        // The events of a start long ago have expired (an hour's TTL), as on a real cluster.
        if (stored is not null && born is null)
        {
            _events.Record(EventTarget.For(rs), EventTypes.Normal, "SuccessfulCreate", $"Created pod: {podName}", "replicaset-controller");
            RecordStart(stored, node);
        }
        return stored;
    }

    /// <summary>Spreads a ReplicaSet's pods over zones (fewest siblings first), then the least busy node.</summary>
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

    private void WriteStatus(JsonObject rs, List<JsonObject> active)
    {
        var status = BuildStatus(rs, active.Count, active.Count(PodStatus.IsReady));
        _runtime.Mutate(ResourceTypes.ReplicaSets, JsonFields.Namespace(rs), JsonFields.Name(rs)!, r =>
        {
            r["status"] = status;
            return r;
        }, statusOnly: true);
    }

    /// <summary>The ReplicaSet status (<c>replicas</c> is always written, the other counts only when not zero).</summary>
    public static JsonObject BuildStatus(JsonObject rs, int replicas, int ready)
    {
        var status = new JsonObject { ["replicas"] = replicas };
        if (replicas > 0)
        {
            status["fullyLabeledReplicas"] = replicas;
        }
        if (ready > 0)
        {
            status["readyReplicas"] = ready;
            status["availableReplicas"] = ready;
        }
        status["observedGeneration"] = JsonFields.Long(rs["metadata"], "generation") ?? 1;
        return status;
    }
}
