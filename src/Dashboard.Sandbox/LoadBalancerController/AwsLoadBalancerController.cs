using Dashboard.Sandbox.Aws;
using Dashboard.Sandbox.Cluster;
using Dashboard.Sandbox.Kubernetes;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dashboard.Sandbox.LoadBalancerController;

/// <summary>
/// The simulated AWS Load Balancer Controller (and the in-tree cloud provider's NLB path) of the sandbox cluster.
/// It watches the store's Services, Ingresses, IngressClasses, EndpointSlices, Pods, Nodes, Namespaces and
/// TargetGroupBindings and, on its own loop: turns owned Services and <c>alb</c> Ingress groups into load balancers,
/// listeners, rules and target groups in <see cref="AwsWorld"/> (named and tagged as the real controller does), keeps
/// TargetGroupBindings, registers targets, activates load balancers after <see cref="SandboxOptions.ProvisioningDelay"/>
/// and writes their hostnames into status, runs the targets' health checks every second of simulated time, keeps pod
/// readiness gates, and reports reconcile outcomes as Events. Time comes from the given <see cref="TimeProvider"/>.
/// </summary>
public sealed class AwsLoadBalancerController : IAsyncDisposable
{
    private static readonly ResourceType[] _watched =
    [
        ResourceTypes.Namespaces, ResourceTypes.Services, ResourceTypes.Ingresses, ResourceTypes.IngressClasses,
        ResourceTypes.EndpointSlices, ResourceTypes.Pods, ResourceTypes.Nodes, ResourceTypes.TargetGroupBindings,
        ResourceTypes.IngressClassParams,
    ];

    private readonly ClusterRuntime _runtime;
    private int _started;

    public AwsLoadBalancerController(ResourceStore store, AwsWorld aws, ClusterSimulation cluster, SandboxOptions options,
        TimeProvider? time = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Aws = aws;
        var logger = (ILogger?)loggerFactory?.CreateLogger<AwsLoadBalancerController>() ?? NullLogger.Instance;
        _runtime = new ClusterRuntime(store, time ?? store.Time, logger, _watched);
        var state = new ControllerState();
        var reconciler = new LoadBalancerReconciler(_runtime, aws, cluster, state, options.ProvisioningDelay, logger);
        var registrar = new TargetRegistrar(_runtime, aws, state, logger);
        reconciler.Registrar = registrar;
        _runtime.Add(reconciler);
        _runtime.Add(registrar);
        if (options.SimulateTargetHealth)
        {
            _runtime.Add(new TargetHealthChecker(_runtime, aws, cluster, registrar));
        }
    }

    /// <summary>The account the controller provisions into.</summary>
    public AwsWorld Aws { get; }

    /// <summary>How often target health checks are evaluated (simulated time).</summary>
    public static TimeSpan HealthCheckTick => TargetHealthChecker.Tick;

    /// <summary>Starts watching; existing objects (the seed scenario) are reconciled first. Call once.</summary>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            throw new InvalidOperationException("The load balancer controller is already started.");
        }
        _runtime.Start();
    }

    /// <summary>Whether the simulation loop has settled (see <see cref="ClusterRuntime.Progress"/>); for tests on a simulated clock.</summary>
    internal SimulationProgress Progress => _runtime.Progress;

    public ValueTask DisposeAsync() => _runtime.DisposeAsync();
}
