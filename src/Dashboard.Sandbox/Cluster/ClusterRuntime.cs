using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Dashboard.Sandbox.Kubernetes;

namespace Dashboard.Sandbox.Cluster;

/// <summary>A level-based controller of the simulation: maps changes to keys, and reconciles one key at a time.</summary>
internal interface IClusterController
{
    /// <summary>Called on the simulation loop for every change of a watched kind; enqueues the keys to reconcile.</summary>
    void OnChange(ObjectChange change);

    /// <summary>Brings the world in line for one key; called on the simulation loop, never concurrently.</summary>
    void Reconcile(string key);
}

/// <summary>A reading of <see cref="ClusterRuntime.Progress"/>: idle or not, and how many rounds the loop has run.</summary>
internal readonly record struct SimulationProgress(bool Idle, long Steps);

/// <summary>
/// The simulation's single loop: one watch per kind feeds informer caches, changes fan out to the controllers,
/// and their keys are reconciled one at a time from a de-duplicating queue. Timers (readiness delays, restarts)
/// post into the same loop, so controllers need no locks and never spin. Hand-written: the sandbox has no
/// controller-runtime; this is its smallest equivalent.
/// </summary>
internal sealed partial class ClusterRuntime : IAsyncDisposable
{
    private static readonly TimeSpan _retryDelay = TimeSpan.FromSeconds(1);

    // Multi-reader only so that Progress can read its Count (the single-reader channel does not count).
    private readonly Channel<Work> _inbox = Channel.CreateUnbounded<Work>();
    private readonly Dictionary<ResourceType, ObjectCache> _caches = [];
    /// <summary>Kinds whose first list has been taken in: no key is reconciled before every kind has one (an informer's HasSynced).</summary>
    private readonly HashSet<ResourceType> _listed = [];
    private readonly List<IClusterController> _controllers = [];
    private readonly List<Action<ObjectChange>> _observers = [];
    private readonly Queue<(IClusterController Controller, string Key)> _queue = new();
    private readonly HashSet<(IClusterController Controller, string Key)> _queued = [];
    private readonly Dictionary<(IClusterController Controller, string Key), DateTimeOffset> _scheduled = [];
    private readonly HashSet<TimerHolder> _timers = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _tasks = [];
    private readonly ILogger _logger;
    /// <summary>The newest resourceVersion the loop has taken in, per kind (read by <see cref="Progress"/> from other threads).</summary>
    private readonly ConcurrentDictionary<ResourceType, long> _handled = [];
    private long _steps;
    private volatile bool _busy;

    public ClusterRuntime(ResourceStore store, TimeProvider time, ILogger logger, IEnumerable<ResourceType> watched)
    {
        Store = store;
        Time = time;
        _logger = logger;
        foreach (var type in watched)
        {
            _caches[type] = new ObjectCache(type);
        }
    }

    public ResourceStore Store { get; }
    public TimeProvider Time { get; }

    public ObjectCache Cache(ResourceType type) => _caches[type];

    public void Add(IClusterController controller) => _controllers.Add(controller);

    /// <summary>
    /// Whether the loop has nothing left to do right now — every change in the store of a watched kind taken in, no work
    /// waiting, no key queued, nothing running — and how many rounds it has run. Two readings with the same
    /// <see cref="SimulationProgress.Steps"/>, both idle, mean nothing happened in between: tests on a simulated clock
    /// use that to know the simulation has settled before they move time on, instead of waiting for a quiet moment.
    /// Pending timers do not count: they fire when the clock reaches them.
    /// </summary>
    public SimulationProgress Progress
    {
        get
        {
            var steps = Interlocked.Read(ref _steps);
            var caughtUp = _caches.Keys.All(type => _handled.GetValueOrDefault(type) >= Store.LatestVersionOf(type));
            var idle = caughtUp && _listed.Count == _caches.Count && _inbox.Reader.Count == 0 && !_busy;
            return new SimulationProgress(idle && Interlocked.Read(ref _steps) == steps, steps);
        }
    }

    /// <summary>Adds a plain observer of changes (indexes kept outside controllers).</summary>
    public void Observe(Action<ObjectChange> observer) => _observers.Add(observer);

    public void Start()
    {
        var token = _stopping.Token;
        foreach (var type in _caches.Keys)
        {
            _tasks.Add(Task.Run(() => PumpAsync(type, token), CancellationToken.None));
        }
        _tasks.Add(Task.Run(() => RunAsync(token), CancellationToken.None));
    }

    public void Enqueue(IClusterController controller, string key)
    {
        if (_queued.Add((controller, key)))
        {
            _queue.Enqueue((controller, key));
        }
    }

    /// <summary>Reconciles <paramref name="key"/> again at <paramref name="due"/> (or soon after).</summary>
    public void RecheckAt(IClusterController controller, string key, DateTimeOffset due)
    {
        var now = Time.GetUtcNow();
        if (due <= now)
        {
            Enqueue(controller, key);
            return;
        }
        if (_scheduled.TryGetValue((controller, key), out var pending) && pending > now && pending <= due)
        {
            return;
        }
        _scheduled[(controller, key)] = due;
        var holder = new TimerHolder(controller, key, due, _inbox.Writer);
        _timers.Add(holder);
        holder.Timer = Time.CreateTimer(
            static state => ((TimerHolder)state!).Fire(),
            holder, due - now, Timeout.InfiniteTimeSpan);
    }

    // ---- writes that keep the caches in step (write-through) ----

    public JsonObject? Create(ResourceType type, JsonObject obj, DateTimeOffset? createdAt = null)
    {
        try
        {
            var stored = Store.Create(type, JsonFields.Namespace(obj), obj, createdAt: createdAt);
            Apply(_caches.TryGetValue(type, out var cache) ? cache.Observe(stored) : null);
            return stored;
        }
        catch (StoreException e) when (e.Code is HttpStatusCode.NotFound or HttpStatusCode.Conflict or HttpStatusCode.Forbidden)
        {
            // The namespace went away or the name is taken; the next change reconciles again.
            LogWriteSkipped(type.ToString(), JsonFields.Name(obj) ?? "", e.Message);
            return null;
        }
    }

    public JsonObject? Mutate(ResourceType type, string? ns, string name, Func<JsonObject, JsonObject?> change, bool statusOnly = false)
    {
        var stored = Store.Mutate(type, ns, name, change, statusOnly);
        if (stored is not null && _caches.TryGetValue(type, out var cache))
        {
            Apply(Finalized(type, stored) ? cache.ObserveDeleted(ns, name, JsonFields.ResourceVersion(stored)) : cache.Observe(stored));
        }
        return stored;
    }

    public bool Delete(ResourceType type, string? ns, string name)
    {
        try
        {
            var last = Store.Delete(type, ns, name);
            if (_caches.TryGetValue(type, out var cache))
            {
                Apply(cache.ObserveDeleted(ns, name, JsonFields.ResourceVersion(last)));
            }
            return true;
        }
        catch (StoreException e) when (e.Code == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private void Apply(ObjectChange? change)
    {
        if (change is null)
        {
            return;
        }
        foreach (var observer in _observers)
        {
            observer(change);
        }
        foreach (var controller in _controllers)
        {
            controller.OnChange(change);
        }
    }

    private async Task PumpAsync(ResourceType type, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var list = Store.List(type);
                await _inbox.Writer.WriteAsync(new Relisted(type, list), cancellationToken);
                await foreach (var e in Store.WatchAsync(type, null, list.ResourceVersion, cancellationToken))
                {
                    await _inbox.Writer.WriteAsync(new Watched(e), cancellationToken);
                }
                // The watch was dropped: list again and resume.
            }
            catch (StoreException e) when (e.Code == HttpStatusCode.Gone)
            {
                LogWatchExpired(type.ToString());
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await _inbox.Reader.WaitToReadAsync(cancellationToken))
            {
                _busy = true;
                Interlocked.Increment(ref _steps);
                while (_inbox.Reader.TryRead(out var work))
                {
                    Handle(work);
                }
                // Reconciling before every kind is listed would act on half a cluster: an Ingress group built before its
                // other members (or their Services) arrived, a balancer dated by the one member seen.
                while (_listed.Count == _caches.Count && _queue.TryDequeue(out var item) && !cancellationToken.IsCancellationRequested)
                {
                    _queued.Remove(item);
                    try
                    {
                        item.Controller.Reconcile(item.Key);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        // One bad object must not stop the whole simulation: log, and try that key again later.
                        LogReconcileFailed(e, item.Controller.GetType().Name, item.Key);
                        RecheckAt(item.Controller, item.Key, Time.GetUtcNow() + _retryDelay);
                    }
                    // Let fresh watch events in between long runs of keys.
                    while (_inbox.Reader.TryRead(out var work))
                    {
                        Handle(work);
                    }
                }
                _busy = false;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private void Handle(Work work)
    {
        switch (work)
        {
            case Relisted relisted:
                _listed.Add(relisted.Type);
                MarkHandled(relisted.Type, relisted.List.ResourceVersion);
                foreach (var change in _caches[relisted.Type].Relist(relisted.List.Items, relisted.List.ResourceVersion))
                {
                    Apply(change);
                }
                break;
            case Watched { Event: var e }:
                MarkHandled(e.ResourceType, e.ResourceVersion);
                var cache = _caches[e.ResourceType];
                Apply(e.Type switch
                {
                    WatchEventType.Added or WatchEventType.Modified => cache.Observe(e.Object),
                    WatchEventType.Deleted => cache.ObserveDeleted(e.Namespace, e.Name, e.ResourceVersion),
                    _ => null,
                });
                break;
            case TimerFired { Holder: var holder }:
                _timers.Remove(holder);
                holder.Timer?.Dispose();
                var key = (holder.Controller, holder.Key);
                // Timers may fire a little early; the entry goes either way so the reconcile can schedule again.
                if (_scheduled.TryGetValue(key, out var due) && due <= holder.Due)
                {
                    _scheduled.Remove(key);
                }
                Enqueue(holder.Controller, holder.Key);
                break;
        }
    }

    private void MarkHandled(ResourceType type, long version) =>
        _handled.AddOrUpdate(type, version, (_, seen) => Math.Max(seen, version));

    private int _disposed;

    public async ValueTask DisposeAsync()
    {
        // Idempotent: hosts may stop and then dispose the sandbox.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await _stopping.CancelAsync();
        _inbox.Writer.TryComplete();
        await Task.WhenAll(_tasks);
        foreach (var holder in _timers)
        {
            holder.Timer?.Dispose();
        }
        _timers.Clear();
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Simulation write to {Type} {Name} skipped: {Reason}")]
    private partial void LogWriteSkipped(string type, string name, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Simulation watch of {Type} expired; listing again")]
    private partial void LogWatchExpired(string type);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Simulation controller {Controller} failed on {Key}; retrying")]
    private partial void LogReconcileFailed(Exception exception, string controller, string key);

    private abstract record Work;

    private sealed record Relisted(ResourceType Type, StoreList List) : Work;

    private sealed record Watched(StoreEvent Event) : Work;

    private sealed record TimerFired(TimerHolder Holder) : Work;

    /// <summary>Keeps a one-shot timer rooted until it fires (unreferenced timers may be collected).</summary>
    private sealed class TimerHolder(IClusterController controller, string key, DateTimeOffset due, ChannelWriter<Work> inbox)
    {
        public IClusterController Controller { get; } = controller;
        public string Key { get; } = key;
        public DateTimeOffset Due { get; } = due;
        public ITimer? Timer { get; set; }

        public void Fire() => inbox.TryWrite(new TimerFired(this));
    }
}
