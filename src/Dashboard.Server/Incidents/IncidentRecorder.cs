using System.Threading.Channels;
using Dashboard.Client.Feed;
using Dashboard.Client.Model;
using Dashboard.Server.Feed;
using Dashboard.Server.LoadBalancers;
using Dashboard.Server.ScaleOut;
using Dashboard.Server.State;
using Dashboard.Server.Topology;
using Microsoft.Extensions.Options;

namespace Dashboard.Server.Incidents;

/// <summary>
/// The incident history of every endpoint (<see cref="IDashboardFeed.Incidents"/>). The polling leader turns the triage
/// list into incidents (<see cref="IncidentTracker"/>) after each join (and every <see cref="IncidentOptions.EvaluateInterval"/>)
/// and writes what changed to the state store; every replica serves the history from the store, told of new rows by
/// notification. A replica that becomes the leader (start-up, failover) first reloads the stored history, so the open
/// incidents continue rather than restart, and evaluates only once its topology has joined the AWS snapshot it serves
/// (an empty triage list of a half-started replica must not clear anything). When sharing is off (sandbox mode, whose
/// world is new at every start) the history is kept in memory only.
/// </summary>
public sealed partial class IncidentRecorder(
    IStateStore state,
    StateSchema schema,
    IReplicaLeadership leadership,
    TopologyFeed topology,
    IAwsSnapshotSource aws,
    SourceStatusRegistry sources,
    IOptions<SharingOptions> sharing,
    IOptions<Aws.AwsOptions> awsOptions,
    IOptions<IncidentOptions> options,
    TimeProvider time,
    ILogger<IncidentRecorder> logger) : BackgroundService, IIncidentFeed
{
    private readonly IncidentRepository _repository = new(state);
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private IncidentTracker? _tracker;
    private long? _readyAfterRecompute;
    private long? _lastWrite;

    /// <summary>The history this replica serves, keyed by incident id.</summary>
    public FeedBroadcaster<EndpointIncident> History { get; } = new(time);

    IFeed<EndpointIncident> IIncidentFeed.Incidents => History;

    /// <summary>Whether the history is kept in the state store (shared and surviving restarts).</summary>
    public bool Persistent => sharing.Value.PublishAwsSnapshot ?? !awsOptions.Value.SandboxMode;

    /// <summary>Incident rows this replica wrote.</summary>
    public long Writes { get; private set; }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Persistent)
        {
            await schema.EnsureMigratedAsync(cancellationToken);
            try
            {
                await LoadAsync(full: true, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogReadFailed(logger, state.Description, exception.Message);
            }
        }
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.WhenAll(EvaluateLoopAsync(stoppingToken), Persistent ? ListenLoopAsync(stoppingToken) : Task.CompletedTask, FollowTriageAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>Wakes the evaluation after each batch of triage changes.</summary>
    private async Task FollowTriageAsync(CancellationToken stoppingToken)
    {
        var subscription = topology.Triage.Subscribe(stoppingToken);
        await foreach (var _ in subscription.Changes.WithCancellation(stoppingToken))
        {
            _wake.Writer.TryWrite(true);
        }
    }

    private async Task EvaluateLoopAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.EvaluateInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
            {
                wait.CancelAfter(interval);
                try
                {
                    await _wake.Reader.WaitToReadAsync(wait.Token);
                    _wake.Reader.TryRead(out _);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // The interval passed: evaluate anyway (heartbeats, a join that changed nothing after a takeover).
                }
            }
            try
            {
                await EvaluateAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The tracker is rebuilt from the store on the next round, so nothing is recorded twice or lost.
                _tracker = null;
                _readyAfterRecompute = null;
                LogWriteFailed(logger, state.Description, exception.Message);
            }
        }
    }

    /// <summary>One evaluation: on the leader, the triage list now against the open incidents.</summary>
    internal async Task EvaluateAsync(CancellationToken cancellationToken)
    {
        if (!leadership.IsLeader)
        {
            _tracker = null;
            _readyAfterRecompute = null;
            return;
        }
        if (_tracker is null)
        {
            if (Persistent)
            {
                // Becoming the recorder: continue from what the previous one wrote (a follower's copy may lag a notification).
                await LoadAsync(full: true, cancellationToken);
            }
            _tracker = new IncidentTracker(History.Current.Values);
        }
        if (!Ready())
        {
            return;
        }
        var now = time.GetUtcNow();
        var changed = _tracker.Apply(topology.Current.Triage, now, leadership.Replica);
        var merged = History.Current.SetItems(changed.Select(i => KeyValuePair.Create(i.Id, i)));
        var o = options.Value;
        var drop = IncidentTracker.Prune(merged.Values, now, o.Retention, o.MaxPerEndpoint, o.MaxIncidents);
        if (changed.Count == 0 && drop.Count == 0)
        {
            return;
        }
        if (Persistent)
        {
            await _repository.WriteAsync(changed, drop, now, cancellationToken);
            Writes += changed.Count;
        }
        Publish(changed, drop);
        foreach (var incident in changed.Where(i => i.ClearedAt == now || i.LastSeenAt == i.StartedAt))
        {
            if (incident.Open)
            {
                LogOpened(logger, incident.Endpoint.ToString(), incident.Summary, incident.StartedAt);
            }
            else
            {
                LogCleared(logger, incident.Endpoint.ToString(), incident.Summary, incident.Duration(now));
            }
        }
    }

    /// <summary>
    /// Whether this replica's triage list says something true: the Kubernetes caches listed, an AWS snapshot served, and
    /// a join that ran after both (asked for once, when they are first seen ready).
    /// </summary>
    private bool Ready()
    {
        if (aws.Current.ConfigurationAsOf is null || sources.Get(Client.Model.SourceStatusBoard.KubernetesSourceKey) is not { State: not SourceState.Syncing })
        {
            return false;
        }
        if (_readyAfterRecompute is null)
        {
            _readyAfterRecompute = topology.Recomputes;
            topology.Invalidate();
            return false;
        }
        return topology.Recomputes > _readyAfterRecompute;
    }

    private async Task ListenLoopAsync(CancellationToken stoppingToken)
    {
        await foreach (var key in state.ListenAsync(stoppingToken))
        {
            if ((key == IncidentRepository.DocumentKey || key == IStateStore.AllDocuments) && !leadership.IsLeader)
            {
                try
                {
                    await LoadAsync(full: key == IStateStore.AllDocuments, stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogReadFailed(logger, state.Description, exception.Message);
                }
            }
        }
    }

    /// <summary>Reads the rows written since the last read (with a margin for clocks of other replicas), or all of them.</summary>
    private async Task LoadAsync(bool full, CancellationToken cancellationToken)
    {
        var since = full || _lastWrite is null ? (long?)null : _lastWrite - (long)options.Value.ClockMargin.TotalMilliseconds;
        var (incidents, last) = await _repository.ReadAsync(since, cancellationToken);
        if (last is not null && (_lastWrite is null || last > _lastWrite))
        {
            _lastWrite = last;
        }
        var current = History.Current;
        var changes = new List<FeedChange<EndpointIncident>>();
        if (full)
        {
            var ids = incidents.Select(i => i.Id).ToHashSet(StringComparer.Ordinal);
            changes.AddRange(current.Keys.Where(k => !ids.Contains(k)).Select(FeedChange<EndpointIncident>.Delete));
        }
        changes.AddRange(incidents.Where(i => current.GetValueOrDefault(i.Id) != i).Select(i => FeedChange<EndpointIncident>.Upsert(i.Id, i)));
        var o = options.Value;
        var merged = current.SetItems(incidents.Select(i => KeyValuePair.Create(i.Id, i)));
        changes.AddRange(IncidentTracker.Prune(merged.Values, time.GetUtcNow(), o.Retention, o.MaxPerEndpoint, o.MaxIncidents).Select(FeedChange<EndpointIncident>.Delete));
        History.Publish(changes);
    }

    private void Publish(IReadOnlyList<EndpointIncident> changed, IReadOnlyList<string> drop) =>
        History.Publish([.. changed.Select(i => FeedChange<EndpointIncident>.Upsert(i.Id, i)), .. drop.Select(FeedChange<EndpointIncident>.Delete)]);

    [LoggerMessage(Level = LogLevel.Information, Message = "Incident opened on {Endpoint}: {Summary} (since {StartedAt:O})")]
    private static partial void LogOpened(ILogger logger, string endpoint, string summary, DateTimeOffset startedAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Incident cleared on {Endpoint}: {Summary} (lasted {Duration})")]
    private static partial void LogCleared(ILogger logger, string endpoint, string summary, TimeSpan duration);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write the incident history to {Store}: {Reason}. Retrying from the stored history")]
    private static partial void LogWriteFailed(ILogger logger, string store, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the incident history from {Store}: {Reason}")]
    private static partial void LogReadFailed(ILogger logger, string store, string reason);
}

/// <summary>The incident history's bounds (<c>Dashboard:Incidents</c>).</summary>
public sealed class IncidentOptions
{
    public const string SectionName = "Dashboard:Incidents";

    /// <summary>Cleared incidents are kept this long.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>At most this many cleared incidents per endpoint (the latest).</summary>
    public int MaxPerEndpoint { get; set; } = 50;

    /// <summary>At most this many cleared incidents in all.</summary>
    public int MaxIncidents { get; set; } = 5000;

    /// <summary>The leader compares the triage list with the open incidents after each change, and at least this often.</summary>
    public TimeSpan EvaluateInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How far back a follower re-reads rows on a notification, for replicas whose clocks differ.</summary>
    public TimeSpan ClockMargin { get; set; } = TimeSpan.FromSeconds(30);
}
