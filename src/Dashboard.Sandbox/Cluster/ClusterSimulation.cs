using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Dashboard.Sandbox.Cluster.Scenario;
using Dashboard.Sandbox.Kubernetes;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dashboard.Sandbox.Cluster;

/// <summary>
/// The simulated EKS cluster behind the emulated API server: three worker nodes, the in-process controllers
/// (namespaces, Deployment → ReplicaSets → pods, garbage collection, kubelet probes and shutdown, Service → EndpointSlices/Endpoints, service address
/// allocation, Events) working directly on the <see cref="ResourceStore"/>, and the seed scenario. Deterministic
/// from <see cref="SandboxOptions.Seed"/>. Other simulations (AWS health, the load balancer controller) read pod
/// behaviour and record Events through it.
/// </summary>
public sealed class ClusterSimulation : IAsyncDisposable
{
    private static readonly ResourceType[] _watched =
    [
        ResourceTypes.Namespaces, ResourceTypes.Deployments, ResourceTypes.ReplicaSets, ResourceTypes.Pods,
        ResourceTypes.Services, ResourceTypes.EndpointSlices, ResourceTypes.Endpoints,
    ];

    private readonly ClusterRuntime _runtime;
    private readonly EventRecorder _events;
    private readonly ConcurrentDictionary<string, PodBehaviour> _pods = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PodBehaviour> _podsByIp = new(StringComparer.Ordinal);
    private int _started;

    public ClusterSimulation(ResourceStore store, SandboxOptions options, TimeProvider? time = null, ILoggerFactory? loggerFactory = null)
    {
        Store = store;
        Options = options;
        Time = time ?? store.Time;
        Nodes = SimulatedNode.CreatePool(options.Seed, options.Region);
        var logger = (ILogger?)loggerFactory?.CreateLogger<ClusterSimulation>() ?? NullLogger.Instance;
        _events = new EventRecorder(store, Time);
        _runtime = new ClusterRuntime(store, Time, logger, _watched);
        _runtime.Observe(IndexPod);
        _runtime.Add(new NamespaceController(_runtime));
        _runtime.Add(new ServiceAddressController(_runtime, logger));
        _runtime.Add(new DeploymentController(_runtime, _events, options.Seed));
        _runtime.Add(new ReplicaSetController(_runtime, _events, Nodes, options.Seed));
        _runtime.Add(new PodHealthController(_runtime, _events, options.Cluster));
        _runtime.Add(new PodTerminationController(_runtime, _events, options.Cluster));
        _runtime.Add(new GarbageCollector(_runtime, _watched));
        _runtime.Add(new EndpointSliceController(_runtime, Nodes, options.Seed));
    }

    public ResourceStore Store { get; }
    public SandboxOptions Options { get; }
    public TimeProvider Time { get; }

    /// <summary>The worker nodes, one per availability zone.</summary>
    public IReadOnlyList<SimulatedNode> Nodes { get; }

    /// <summary>
    /// Creates the cluster's fixed objects (system namespaces, nodes, the <c>kubernetes</c> Service), loads the seed
    /// scenario and the synthetic bulk when the options ask for them, then starts the controllers. Call once.
    /// </summary>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            throw new InvalidOperationException("The cluster simulation is already started.");
        }
        var addresses = ServiceAddressSpace.FromStore(Store);
        Bootstrap(addresses);
        if (Options.LoadScenario)
        {
            SeedScenario.Load(Store, Options, addresses);
        }
        ScaleScenario.Load(Store, Options, Nodes, addresses, Time);
        RbacBootstrap.Load(Store, Options.LoadScenario ? new ScenarioClock(Options.Seed, Time.GetUtcNow()).ClusterCreated : null);
        _runtime.Start();
    }

    /// <summary>The simulated behaviour of a pod, or null when no such pod exists.</summary>
    public PodBehaviour? Behaviour(string ns, string pod) => _pods.GetValueOrDefault(JsonFields.Key(ns, pod));

    /// <summary>The simulated behaviour of the pod holding <paramref name="podIp"/> (ip targets), or null.</summary>
    public PodBehaviour? BehaviourByIp(string podIp) => _podsByIp.GetValueOrDefault(podIp);

    /// <summary>Every known pod's behaviour (a snapshot).</summary>
    public IReadOnlyCollection<PodBehaviour> AllPods => [.. _pods.Values];

    /// <summary>
    /// Records a core/v1 Event about <paramref name="target"/> (repeats are counted on one Event), e.g. the load
    /// balancer controller's <c>Warning FailedBuildModel</c> or <c>Normal SuccessfullyReconciled</c>. Thread-safe.
    /// </summary>
    public void RecordEvent(EventTarget target, string type, string reason, string message, string component, string? host = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        if (type is not (EventTypes.Normal or EventTypes.Warning))
        {
            throw new ArgumentException($"Event type must be \"{EventTypes.Normal}\" or \"{EventTypes.Warning}\", not \"{type}\".", nameof(type));
        }
        _events.Record(target, type, reason, message, component, host);
    }

    /// <summary>Records an Event about a stored object.</summary>
    public void RecordEvent(JsonObject involvedObject, string type, string reason, string message, string component) =>
        RecordEvent(EventTarget.For(involvedObject), type, reason, message, component);

    private void IndexPod(ObjectChange change)
    {
        if (change.Type != ResourceTypes.Pods)
        {
            return;
        }
        var key = JsonFields.Key(change.Namespace, change.Name);
        if (_pods.TryRemove(key, out var old) && old.PodIp is { } oldIp)
        {
            _podsByIp.TryRemove(KeyValuePair.Create(oldIp, old));
        }
        if (change.New is not null)
        {
            var behaviour = PodBehaviourAnnotations.Read(change.New);
            _pods[key] = behaviour;
            if (behaviour.PodIp is { } ip)
            {
                _podsByIp[ip] = behaviour;
            }
        }
    }

    /// <summary>The EKS control plane's cross-account ENIs: the endpoints of the <c>kubernetes</c> Service (port 443).</summary>
    public static readonly IReadOnlyList<string> ControlPlaneAddresses = ["192.168.201.17", "192.168.226.94"];

    private void Bootstrap(ServiceAddressSpace addresses)
    {
        var now = Time.GetUtcNow();
        // The cluster's own objects are as old as the cluster when the scenario makes a world that has been running.
        DateTimeOffset? clusterCreated = Options.LoadScenario ? new ScenarioClock(Options.Seed, now).ClusterCreated : null;
        foreach (var ns in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
        {
            TryCreate(ResourceTypes.Namespaces, new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = ns, ["labels"] = new JsonObject { ["kubernetes.io/metadata.name"] = ns } },
                ["status"] = new JsonObject { ["phase"] = "Active" },
            }, clusterCreated);
        }
        foreach (var node in Nodes)
        {
            TryCreate(ResourceTypes.Nodes, node.ToKubernetesObject(Options.Region, Options.ClusterName, now));
        }
        // The API server's own Service: no selector, its endpoints are the control plane's addresses, which the API
        // server itself maintains (an Endpoints object that is not mirrored and an EndpointSlice with no managed-by label).
        var kubernetes = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = "kubernetes",
                ["namespace"] = "default",
                ["labels"] = new JsonObject { ["component"] = "apiserver", ["provider"] = "kubernetes" },
            },
            ["spec"] = new JsonObject
            {
                ["clusterIP"] = "10.100.0.1",
                ["ports"] = new JsonArray { new JsonObject { ["name"] = "https", ["port"] = 443, ["protocol"] = "TCP", ["targetPort"] = 443 } },
            },
        };
        if (Store.Get(ResourceTypes.Services, "default", "kubernetes") is null)
        {
            ServiceDefaults.Apply(kubernetes, addresses);
            TryCreate(ResourceTypes.Services, kubernetes, clusterCreated);
            TryCreate(ResourceTypes.Endpoints, new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["name"] = "kubernetes",
                    ["namespace"] = "default",
                    ["labels"] = new JsonObject { ["endpointslice.kubernetes.io/skip-mirror"] = "true" },
                },
                ["subsets"] = new JsonArray
                {
                    new JsonObject
                    {
                        ["addresses"] = new JsonArray(ControlPlaneAddresses.Select(ip => (JsonNode)new JsonObject { ["ip"] = ip }).ToArray()),
                        ["ports"] = new JsonArray { new JsonObject { ["name"] = "https", ["port"] = 443, ["protocol"] = "TCP" } },
                    },
                },
            }, clusterCreated);
        }
        if (Store.Get(ResourceTypes.EndpointSlices, "default", "kubernetes") is null)
        {
            TryCreate(ResourceTypes.EndpointSlices, new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["name"] = "kubernetes",
                    ["namespace"] = "default",
                    ["labels"] = new JsonObject { ["kubernetes.io/service-name"] = "kubernetes" },
                },
                ["addressType"] = "IPv4",
                ["endpoints"] = new JsonArray(ControlPlaneAddresses.Select(ip => (JsonNode)new JsonObject
                {
                    ["addresses"] = new JsonArray { ip },
                    ["conditions"] = new JsonObject { ["ready"] = true },
                }).ToArray()),
                ["ports"] = new JsonArray { new JsonObject { ["name"] = "https", ["port"] = 443, ["protocol"] = "TCP" } },
            }, clusterCreated);
        }
    }

    private void TryCreate(ResourceType type, JsonObject obj, DateTimeOffset? createdAt = null)
    {
        try
        {
            Store.Create(type, JsonFields.Namespace(obj), obj, createdAt: createdAt);
        }
        catch (StoreException e) when (e.Code == HttpStatusCode.Conflict)
        {
            // Already present (a store shared with an earlier simulation): keep it.
        }
    }

    /// <summary>Whether the simulation loop has settled (see <see cref="ClusterRuntime.Progress"/>); for tests on a simulated clock.</summary>
    internal SimulationProgress Progress => _runtime.Progress;

    public ValueTask DisposeAsync() => _runtime.DisposeAsync();
}
