using System.Collections.Immutable;
using System.Text.Json;
using System.Threading.Channels;
using Dashboard.Client.Feed;
using Dashboard.Client.Model;
using Dashboard.Server.Feed;
using Dashboard.Server.Inventory;
using Dashboard.Server.Kubernetes;
using Dashboard.Server.LoadBalancers;
using Microsoft.Extensions.Options;

namespace Dashboard.Server.Topology;

/// <summary>
/// The live topology: recomputes the join when either snapshot changes (debounced, on its own loop, never on a request),
/// diffs the result against the previous one and publishes only what changed through <see cref="FeedBroadcaster{T}"/>s.
/// An open endpoint subscription marks that endpoint's target groups as viewed for as long as it is open. DNS answers for
/// the checklist are looked up in the background and trigger a recompute when they arrive. Pages reach its feeds through
/// <see cref="IDashboardFeed"/> (<see cref="IDashboardFeed.LoadBalancers"/>, <see cref="IDashboardFeed.Triage"/>,
/// <see cref="IDashboardFeed.Endpoint"/>).
/// </summary>
public sealed partial class TopologyFeed : BackgroundService, ITopologyFeeds
{
    private static readonly JsonSerializerOptions FingerprintOptions = new();

    /// <summary>How long DNS answers are gathered before they cause a recompute (unless no other lookup is pending).</summary>
    internal static readonly TimeSpan DnsBatchWindow = TimeSpan.FromSeconds(10);
    private readonly object _gate = new();
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Func<KubernetesIndex?, KubernetesIndex> _kubernetes;
    private readonly IAwsSnapshotSource _aws;
    private readonly IDnsLookup _dns;
    private readonly Verify.EndpointProbeBoard? _probes;
    private readonly PodLogReader? _logs;
    private readonly TopologyOptions _options;
    private readonly string? _clusterName;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<string, byte[]> _balancerPrints = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> _triagePrints = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EndpointWatch> _endpointWatches = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dnsPending = new(StringComparer.Ordinal);
    private ImmutableDictionary<string, DnsAnswer> _dnsAnswers = ImmutableDictionary<string, DnsAnswer>.Empty.WithComparers(StringComparer.Ordinal);
    private bool _dnsFlushScheduled;
    private EndpointTopology _topology = EndpointTopology.Empty;
    private CancellationToken _stopping;
    private Metrics.MetricsFreshness? _metrics;

    /// <summary>The server's feed over the watch caches.</summary>
    public TopologyFeed(KubernetesCaches caches, ClusterIndex index, IAwsSnapshotSource aws, IDnsLookup dns, PodLogReader logs, IOptions<TopologyOptions> options,
        IOptions<Dashboard.Sandbox.SandboxOptions> sandbox, IOptions<Configuration.KubernetesSourceOptions> source, SourceStatusRegistry sources,
        TimeProvider time, ILogger<TopologyFeed> logger, Metrics.MetricsFreshness? metrics = null, Verify.EndpointProbeBoard? probes = null)
        : this(previous => KubernetesIndex.Freeze(index, previous), aws, dns, logs, options.Value,
            ClusterNameOf(options.Value, sandbox.Value, source.Value), time, logger)
    {
        if (metrics is not null)
        {
            _metrics = metrics;
            metrics.Changed += Invalidate;
        }
        // Verify and smoke-test results feed the checklist's "answers" and "smoke test passed" rows.
        _probes = probes;
        if (probes is not null)
        {
            probes.Changed += Invalidate;
        }
        FollowAwsStatus(sources);
        foreach (var cache in new IResourceCache[] { caches.Services, caches.Ingresses, caches.IngressClasses, caches.EndpointSlices, caches.Pods, caches.Nodes, caches.Events, caches.TargetGroupBindings })
        {
            cache.StatusChanged += _ => Invalidate();
        }
        // Every object change reaches the join through the one index, after the index holds it.
        index.Changed += _ => Invalidate();
        Settled = () => FirstSyncSettled(caches.All.Select(c => c.Status.State));
    }

    /// <summary>
    /// Whether the Kubernetes side is worth joining: not while the first lists are still arriving (each kind's list would
    /// make a join of a half-loaded cluster, tens of megabytes of garbage each at scale, that nobody sees), unless a kind
    /// failed, in which case the join runs on what there is and the pages say what is stale.
    /// </summary>
    internal static bool FirstSyncSettled(IEnumerable<SourceState> states)
    {
        var list = states.ToList();
        return !list.Contains(SourceState.Syncing) || list.Contains(SourceState.Stale);
    }

    /// <summary>See <see cref="FirstSyncSettled"/>; a feed over a plain snapshot source is always settled.</summary>
    internal Func<bool> Settled { get; init; } = () => true;

    /// <summary>Recompute requests skipped because the first sync was still running.</summary>
    internal long SkippedWhileSyncing { get; private set; }

    /// <summary>A feed over any Kubernetes snapshot source (tests call <see cref="Invalidate"/> or <see cref="Recompute"/> themselves).</summary>
    internal TopologyFeed(Func<KubernetesSnapshot> kubernetes, IAwsSnapshotSource aws, IDnsLookup dns, PodLogReader? logs, TopologyOptions options,
        string? clusterName, TimeProvider time, ILogger logger)
        : this(_ => KubernetesIndex.From(kubernetes()), aws, dns, logs, options, clusterName, time, logger)
    {
    }

    private TopologyFeed(Func<KubernetesIndex?, KubernetesIndex> kubernetes, IAwsSnapshotSource aws, IDnsLookup dns, PodLogReader? logs, TopologyOptions options,
        string? clusterName, TimeProvider time, ILogger logger)
    {
        _kubernetes = kubernetes;
        _aws = aws;
        _dns = dns;
        _logs = logs;
        _options = options;
        _clusterName = clusterName;
        _time = time;
        _logger = logger;
        LoadBalancers = new FeedBroadcaster<LoadBalancerViewModel>(time);
        Triage = new FeedBroadcaster<TriageItem>(time);
        _aws.Changed += OnAwsChanged;
    }

    internal FeedBroadcaster<LoadBalancerViewModel> LoadBalancers { get; }

    internal FeedBroadcaster<TriageItem> Triage { get; }

    /// <summary>The last computed topology.</summary>
    public EndpointTopology Current { get { lock (_gate) { return _topology; } } }

    /// <summary>How long the last recompute took (join plus diff).</summary>
    public TimeSpan LastRecomputeDuration { get; private set; }

    /// <summary>How many recomputes ran since start.</summary>
    public long Recomputes { get; private set; }

    IFeed<LoadBalancerViewModel> ITopologyFeeds.LoadBalancers => LoadBalancers;

    IFeed<TriageItem> ITopologyFeeds.Triage => Triage;

    /// <summary>One endpoint and its chain: zero or one item; subscribing marks its target groups as viewed.</summary>
    public IFeed<EndpointViewModel> Endpoint(ObjectRef endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return new EndpointFeed(this, endpoint);
    }

    private FeedSubscription<EndpointViewModel> SubscribeEndpoint(ObjectRef endpoint, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_endpointWatches.TryGetValue(endpoint.Key, out var watch))
            {
                watch = new EndpointWatch(new FeedBroadcaster<EndpointViewModel>(_time));
                _endpointWatches[endpoint.Key] = watch;
                if (_topology.Endpoints.TryGetValue(endpoint.Key, out var current))
                {
                    watch.Broadcaster.Publish([FeedChange<EndpointViewModel>.Upsert(current.Key, current)]);
                    watch.Fingerprint = Fingerprint(current);
                    RenewLease(watch, current);
                }
            }
            watch.Subscribers++;
            var subscription = watch.Broadcaster.Subscribe(cancellationToken);
            cancellationToken.Register(() => Unsubscribe(endpoint.Key, watch));
            return subscription;
        }
    }

    public Task<PodLog> GetPodLogAsync(string @namespace, string pod, int tailLines, CancellationToken cancellationToken) =>
        _logs?.ReadAsync(@namespace, pod, tailLines, cancellationToken)
        ?? Task.FromResult(new PodLog(@namespace, pod, "", false, "Pod logs are not available: no Kubernetes connection.", _time.GetUtcNow()));

    private void OnAwsChanged(AwsSnapshot snapshot) => Invalidate();

    /// <summary>Asks for a recompute; many calls within the debounce window make one.</summary>
    public void Invalidate() => _signal.Writer.TryWrite(true);

    /// <summary>Takes a pending recompute request, if any (tests of a feed whose loop is not running).</summary>
    internal bool TakeInvalidation() => _signal.Reader.TryRead(out _);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        Invalidate();
        try
        {
            while (await _signal.Reader.WaitToReadAsync(stoppingToken))
            {
                await Task.Delay(_options.Debounce, _time, stoppingToken);
                _signal.Reader.TryRead(out _);
                if (!Settled())
                {
                    // Each kind's first list raises StatusChanged, which asks again.
                    SkippedWhileSyncing++;
                    continue;
                }
                try
                {
                    Recompute();
                }
                catch (Exception e)
                {
                    // A bug in the join must not end the feed: the last good topology stays published.
                    LogRecomputeFailed(_logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>Joins the current snapshots and publishes the differences. Runs on the feed's loop (or a test's thread).</summary>
    internal void Recompute()
    {
        var started = _time.GetTimestamp();
        var aws = _aws.Current;
        ImmutableDictionary<string, DnsAnswer> dns;
        EndpointTopology previous;
        lock (_gate)
        {
            dns = _dnsAnswers;
            previous = _topology;
        }
        var k8s = _kubernetes(previous.Index);
        var context = new TopologyContext
        {
            ClusterName = _clusterName,
            Now = _time.GetUtcNow(),
            Dns = dns,
            AwsStale = CurrentAwsStaleness(),
            MetricsFreshness = _metrics?.Current,
            Probes = _probes?.Snapshot ?? ImmutableDictionary<string, Verify.EndpointProbes>.Empty,
        };
        var topology = TopologyBuilder.Build(k8s, aws, context);
        lock (_gate)
        {
            _topology = topology;
            LoadBalancers.Publish(Diff(_balancerPrints, topology.LoadBalancers.Select(l => (l.Key, l))));
            Triage.Publish(Diff(_triagePrints, topology.Triage.Select(t => (t.Key, t))));
            foreach (var (key, watch) in _endpointWatches.ToList())
            {
                if (watch.Subscribers <= 0 || watch.Broadcaster.SubscriberCount == 0)
                {
                    watch.Lease?.Dispose();
                    _endpointWatches.Remove(key);
                    continue;
                }
                PublishEndpoint(key, watch, topology.Endpoints.GetValueOrDefault(key));
            }
            Recomputes++;
        }
        LastRecomputeDuration = _time.GetElapsedTime(started);
        LogRecomputed(_logger, topology.LoadBalancers.Length, topology.Endpoints.Count, topology.Triage.Length, LastRecomputeDuration.TotalMilliseconds);
        RequestDns(topology.HostsToResolve);
    }

    private void PublishEndpoint(string key, EndpointWatch watch, EndpointViewModel? endpoint)
    {
        if (endpoint is null)
        {
            if (watch.Fingerprint is not null)
            {
                watch.Broadcaster.Publish([FeedChange<EndpointViewModel>.Delete(key)]);
                watch.Fingerprint = null;
            }
            return;
        }
        var print = Fingerprint(endpoint);
        if (watch.Fingerprint is null || !print.AsSpan().SequenceEqual(watch.Fingerprint))
        {
            watch.Broadcaster.Publish([FeedChange<EndpointViewModel>.Upsert(key, endpoint)]);
            watch.Fingerprint = print;
        }
        RenewLease(watch, endpoint);
    }

    /// <summary>Keeps one viewed-lease per open endpoint, renewed when its set of target groups changes.</summary>
    private void RenewLease(EndpointWatch watch, EndpointViewModel endpoint)
    {
        var arns = EndpointTopology.TargetGroupArnsOf(endpoint);
        if (watch.Lease is not null && arns.SequenceEqual(watch.LeasedArns, StringComparer.Ordinal))
        {
            return;
        }
        watch.Lease?.Dispose();
        watch.Lease = arns.IsEmpty ? null : _aws.MarkViewed(arns);
        watch.LeasedArns = arns;
    }

    private void Unsubscribe(string key, EndpointWatch watch)
    {
        lock (_gate)
        {
            watch.Subscribers--;
            if (watch.Subscribers <= 0 && _endpointWatches.TryGetValue(key, out var held) && ReferenceEquals(held, watch))
            {
                watch.Lease?.Dispose();
                watch.Lease = null;
                _endpointWatches.Remove(key);
            }
        }
    }

    /// <summary>Upserts for new or changed items (by a structural fingerprint), deletes for vanished keys.</summary>
    internal static List<FeedChange<T>> Diff<T>(Dictionary<string, byte[]> previous, IEnumerable<(string Key, T Item)> items) where T : class
    {
        var changes = new List<FeedChange<T>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, item) in items)
        {
            if (!seen.Add(key))
            {
                continue;
            }
            var print = Fingerprint(item);
            if (!previous.TryGetValue(key, out var old) || !old.AsSpan().SequenceEqual(print))
            {
                previous[key] = print;
                changes.Add(FeedChange<T>.Upsert(key, item));
            }
        }
        foreach (var key in previous.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            previous.Remove(key);
            changes.Add(FeedChange<T>.Delete(key));
        }
        return changes;
    }

    /// <summary>
    /// View models hold immutable arrays, whose equality is by reference: serialising is the simple structural comparison.
    /// </summary>
    private static byte[] Fingerprint<T>(T item) => JsonSerializer.SerializeToUtf8Bytes(item, FingerprintOptions);


    private static string? ClusterNameOf(TopologyOptions options, Dashboard.Sandbox.SandboxOptions sandbox, Configuration.KubernetesSourceOptions source) =>
        !string.IsNullOrWhiteSpace(options.ClusterName) ? options.ClusterName.Trim()
        : source.SourceKind == Configuration.KubernetesSourceKind.Sandbox ? sandbox.ClusterName
        : null;

    public override void Dispose()
    {
        _aws.Changed -= OnAwsChanged;
        lock (_gate)
        {
            foreach (var watch in _endpointWatches.Values)
            {
                watch.Lease?.Dispose();
            }
            _endpointWatches.Clear();
        }
        base.Dispose();
    }

    /// <summary>An endpoint's feed: the snapshot reads the last topology; a subscription shares the endpoint's watch.</summary>
    private sealed class EndpointFeed(TopologyFeed owner, ObjectRef endpoint) : IFeed<EndpointViewModel>
    {
        public ImmutableArray<EndpointViewModel> Snapshot =>
            owner.Current.Endpoints.TryGetValue(endpoint.Key, out var current) ? [current] : [];

        public FeedSubscription<EndpointViewModel> Subscribe(CancellationToken cancellationToken) =>
            owner.SubscribeEndpoint(endpoint, cancellationToken);
    }

    private sealed class EndpointWatch(FeedBroadcaster<EndpointViewModel> broadcaster)
    {
        public FeedBroadcaster<EndpointViewModel> Broadcaster { get; } = broadcaster;
        public int Subscribers { get; set; }
        public byte[]? Fingerprint { get; set; }
        public IDisposable? Lease { get; set; }
        public ImmutableArray<string> LeasedArns { get; set; } = [];
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Topology recomputed: {Balancers} balancers, {Endpoints} endpoints, {Triage} triage items in {Milliseconds:F1} ms")]
    private static partial void LogRecomputed(ILogger logger, int balancers, int endpoints, int triage, double milliseconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Topology recompute failed; the last topology stays published")]
    private static partial void LogRecomputeFailed(ILogger logger, Exception exception);
}
