using Dashboard.Client.Model;
using Dashboard.Server.Configuration;
using Dashboard.Server.Feed;
using k8s.Models;
using Microsoft.Extensions.Options;

namespace Dashboard.Server.Kubernetes;

/// <summary>
/// The server's watch caches, one per kind, and their combined status published as source "kubernetes":
/// Syncing until every kind has listed once, Stale while any kind fails (LastGoodAt = the oldest good moment), else Live.
/// </summary>
public sealed class KubernetesCaches
{
    public const string SourceKey = SourceStatusBoard.KubernetesSourceKey;
    private readonly object _gate = new();
    private readonly SourceStatusRegistry _board;

    public KubernetesCaches(KubernetesConnection connection, IOptions<KubernetesSourceOptions> options, SourceStatusRegistry board,
        TimeProvider time, ILoggerFactory loggerFactory)
    {
        _board = board;
        var watch = options.Value.Kubernetes;
        var backoff = new RetryBackoff(watch.RetryInitialDelay, watch.RetryMaxDelay);
        // One pool for every kind: a selector's, its pods' and their slices' label values are the same strings.
        var strings = new StringPool();
        ResourceCache<T> Create<T>(WatchedKind<T> kind) where T : class, k8s.IKubernetesObject<V1ObjectMeta> =>
            new(kind, connection, backoff, time, watch.WatchTimeout, watch.ListPageSize, strings, loggerFactory.CreateLogger<ResourceCache<T>>());

        Services = Create(WatchedKinds.Services);
        Ingresses = Create(WatchedKinds.Ingresses);
        EndpointSlices = Create(WatchedKinds.EndpointSlices);
        Pods = Create(WatchedKinds.Pods);
        Events = Create(WatchedKinds.Events);
        Nodes = Create(WatchedKinds.Nodes);
        IngressClasses = Create(WatchedKinds.IngressClasses);
        Deployments = Create(WatchedKinds.Deployments);
        TargetGroupBindings = Create(WatchedKinds.TargetGroupBindings);
        IngressClassParams = Create(WatchedKinds.IngressClassParams);
        All = [Services, Ingresses, EndpointSlices, Pods, Events, Nodes, IngressClasses, Deployments, TargetGroupBindings, IngressClassParams];
        foreach (var cache in All)
        {
            cache.StatusChanged += _ => PublishStatus();
        }
        PublishStatus();
    }

    public ResourceCache<V1Service> Services { get; }
    public ResourceCache<V1Ingress> Ingresses { get; }
    public ResourceCache<V1EndpointSlice> EndpointSlices { get; }
    public ResourceCache<V1Pod> Pods { get; }
    public ResourceCache<Corev1Event> Events { get; }
    public ResourceCache<V1Node> Nodes { get; }
    public ResourceCache<V1IngressClass> IngressClasses { get; }
    /// <summary>Every namespace's Deployments (the controller's in kube-system, and each endpoint's desired replicas).</summary>
    public ResourceCache<V1Deployment> Deployments { get; }
    public ResourceCache<TargetGroupBindingResource> TargetGroupBindings { get; }
    public ResourceCache<IngressClassParamsResource> IngressClassParams { get; }

    public IReadOnlyList<IResourceCache> All { get; }

    /// <summary>The combined status right now (LastGoodAt read fresh from the caches).</summary>
    public SourceStatus Status => Combine(All.Select(c => c.Status).ToList());

    /// <summary>Combines per-kind statuses into the one "kubernetes" source (pure).</summary>
    public static SourceStatus Combine(IReadOnlyList<CacheStatus> statuses) =>
        SourceStates.Combine(SourceKey, "Kubernetes API", [.. statuses.Select(s => new SourcePart(s.State, s.LastGoodAt, s.Message, s.NextRetryAt))], "kinds");

    private void PublishStatus()
    {
        lock (_gate)
        {
            _board.Publish(Status);
        }
    }
}

/// <summary>
/// Something that follows the caches through their <c>Changed</c> events (the Service/Ingress projection, the topology's
/// index). Every registered subscriber is attached before the first list, so none misses an object.
/// </summary>
public interface IKubernetesCacheSubscriber
{
    void Attach(KubernetesCaches caches);
}

/// <summary>Runs every cache for the lifetime of the host, after attaching every <see cref="IKubernetesCacheSubscriber"/>.</summary>
public sealed class KubernetesCachesHostedService(KubernetesCaches caches, IEnumerable<IKubernetesCacheSubscriber> subscribers) : BackgroundService
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var subscriber in subscribers)
        {
            subscriber.Attach(caches);
        }
        return base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(caches.All.Select(c => Task.Run(() => c.RunAsync(stoppingToken), CancellationToken.None)));
}
