using System.Threading.Channels;
using Dashboard.Client.Model;
using Dashboard.Server.Aws;
using Dashboard.Server.Feed;
using Dashboard.Server.LoadBalancers;
using Dashboard.Server.State;
using Dashboard.Server.Telemetry;
using Microsoft.Extensions.Options;

namespace Dashboard.Server.ScaleOut;

/// <summary>
/// Shares the one AWS snapshot through the state store. The leader writes each new snapshot (at most once per
/// <see cref="SharingOptions.PublishInterval"/>) with the AWS source's status; followers hear of it by notification
/// (PostgreSQL <c>LISTEN/NOTIFY</c>) and publish it into their own <see cref="AwsSnapshotStore"/>, so their topology,
/// pages and API serve exactly what the leader read. At start, before the poller's first round, the stored snapshot is
/// loaded: a restart (or a new replica) is warm, its data labelled with the time it was read.
/// </summary>
public sealed partial class AwsSnapshotSharing(
    IStateStore state,
    StateSchema schema,
    AwsSnapshotStore snapshots,
    SourceStatusRegistry sources,
    IReplicaLeadership leadership,
    IOptions<SharingOptions> options,
    IOptions<AwsOptions> aws,
    IServiceProvider services,
    TimeProvider time,
    ILogger<AwsSnapshotSharing> logger,
    DashboardTelemetry? telemetry = null) : BackgroundService
{
    private readonly Channel<bool> _changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private AwsSnapshot? _written;
    private SourceStatus? _writtenStatus;
    private DateTimeOffset _lastWrite = DateTimeOffset.MinValue;
    private volatile PublishedInfo? _published;
    private AwsSnapshot? _loaded;

    /// <summary>When and by whom the snapshot this replica serves was published; null when it read (or reads) AWS itself only.</summary>
    public PublishedInfo? Published => _published;

    /// <summary>Whether sharing is on (off in sandbox mode unless configured).</summary>
    public bool Enabled => options.Value.PublishAwsSnapshot ?? !aws.Value.SandboxMode;

    /// <summary>Snapshots written by this replica.</summary>
    public long Writes { get; private set; }

    /// <summary>Published snapshots loaded from the store by this replica.</summary>
    public long Loads { get; private set; }

    /// <summary>Which AWS view a snapshot describes: region and ELBv2 endpoint (a sandbox's URL, or AWS's own).</summary>
    internal string Source => $"{aws.Value.Region ?? services.GetService<AwsSandboxEndpoint>()?.Region ?? "?"}|{aws.Value.Endpoints.ElasticLoadBalancing ?? services.GetService<AwsSandboxEndpoint>()?.Url.ToString() ?? "aws"}";

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Enabled)
        {
            await schema.EnsureMigratedAsync(cancellationToken);
            // Before the poller's first round (this service is registered before it): a warm start, labelled with its age.
            await LoadAsync(startUp: true, cancellationToken);
            snapshots.Changed += OnSnapshotChanged;
        }
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        snapshots.Changed -= OnSnapshotChanged;
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }
        try
        {
            await Task.WhenAll(PublishLoopAsync(stoppingToken), ListenLoopAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private void OnSnapshotChanged(AwsSnapshot snapshot) => _changed.Writer.TryWrite(true);

    /// <summary>The leader's side: writes a changed snapshot or status, at most once per publish interval.</summary>
    private async Task PublishLoopAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.PublishInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            // Wakes on a new snapshot, or after an interval to notice a status-only change.
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
            {
                wait.CancelAfter(interval);
                try
                {
                    await _changed.Reader.WaitToReadAsync(wait.Token);
                    _changed.Reader.TryRead(out _);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // The interval passed.
                }
            }
            if (!leadership.IsLeader)
            {
                continue;
            }
            var wait2 = _lastWrite + interval - time.GetUtcNow();
            if (wait2 > TimeSpan.Zero)
            {
                await Task.Delay(wait2, time, stoppingToken);
            }
            var snapshot = snapshots.Current;
            var status = sources.Get(AwsPoller.SourceKey);
            if (snapshot.ConfigurationAsOf is null || (ReferenceEquals(snapshot, _written) && status == _writtenStatus))
            {
                continue;
            }
            try
            {
                var document = new PublishedAwsSnapshot { Source = Source, Snapshot = snapshot, Status = status };
                var now = time.GetUtcNow();
                await state.WriteDocumentAsync(new StoredDocument(PublishedAwsSnapshot.DocumentKey, document.Serialize(), now, leadership.Replica), stoppingToken);
                _written = snapshot;
                _writtenStatus = status;
                _lastWrite = now;
                if (!ReferenceEquals(snapshot, _loaded))
                {
                    // From now on this replica serves what it read itself.
                    _published = null;
                }
                Writes++;
                telemetry?.Publications.Add(1, new KeyValuePair<string, object?>("dashboard.document", PublishedAwsSnapshot.DocumentKey));
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Followers keep the last published snapshot (it ages visibly); the next change tries again.
                _lastWrite = time.GetUtcNow();
                LogWriteFailed(logger, state.Description, exception.Message);
            }
        }
    }

    /// <summary>The followers' side: loads each snapshot another replica publishes.</summary>
    private async Task ListenLoopAsync(CancellationToken stoppingToken)
    {
        await foreach (var key in state.ListenAsync(stoppingToken))
        {
            if ((key == PublishedAwsSnapshot.DocumentKey || key == IStateStore.AllDocuments) && !leadership.IsLeader)
            {
                try
                {
                    await LoadAsync(startUp: false, stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogReadFailed(logger, state.Description, exception.Message);
                }
            }
        }
    }

    private async Task LoadAsync(bool startUp, CancellationToken cancellationToken)
    {
        var document = await state.ReadDocumentAsync(PublishedAwsSnapshot.DocumentKey, cancellationToken);
        if (document is null || (!startUp && document.WrittenBy == leadership.Replica))
        {
            return;
        }
        var published = PublishedAwsSnapshot.Deserialize(document.Content);
        if (published is null)
        {
            LogUnreadable(logger, document.WrittenBy, document.WrittenAt);
            return;
        }
        if (published.Source != Source)
        {
            if (startUp)
            {
                LogOtherSource(logger, document.WrittenAt);
            }
            return;
        }
        if (startUp && snapshots.Current.ConfigurationAsOf is not null)
        {
            return;
        }
        _published = new PublishedInfo(document.WrittenBy, document.WrittenAt, published.Snapshot.ConfigurationAsOf);
        Loads++;
        telemetry?.Loads.Add(1, new KeyValuePair<string, object?>("dashboard.document", PublishedAwsSnapshot.DocumentKey));
        if (!startUp)
        {
            telemetry?.PublishLag.Record(Math.Max(0, (time.GetUtcNow() - document.WrittenAt).TotalSeconds));
        }
        // The status first (as the poller does): whoever sees the snapshot sees how good it is.
        var status = StatusOf(published, document, startUp);
        sources.Publish(status);
        // Loaded, not read: not to be written back unless this replica's own poller changes it.
        _loaded = published.Snapshot;
        _written = published.Snapshot;
        _writtenStatus = status;
        snapshots.Publish(published.Snapshot);
        if (startUp)
        {
            LogWarmStart(logger, published.Snapshot.LoadBalancers.Length, published.Snapshot.TargetGroups.Length, document.WrittenBy, document.WrittenAt);
        }
    }

    /// <summary>The AWS source as this replica shows it: the leader's status, saying who read it and when it was published.</summary>
    private SourceStatus StatusOf(PublishedAwsSnapshot published, StoredDocument document, bool startUp)
    {
        var leaderStatus = published.Status;
        var origin = startUp
            ? $"Restored from the state store: published by replica {document.WrittenBy} at {document.WrittenAt:u}"
            : $"Polled by replica {document.WrittenBy}; published at {document.WrittenAt:u}";
        return new SourceStatus
        {
            Key = AwsPoller.SourceKey,
            DisplayName = AwsPoller.SourceDisplayName,
            // A restored snapshot is old until this replica (or the leader) reads AWS again.
            State = startUp ? SourceState.Stale : leaderStatus?.State ?? SourceState.Live,
            LastGoodAt = leaderStatus?.LastGoodAt ?? published.Snapshot.ConfigurationAsOf,
            Message = leaderStatus?.Message is { Length: > 0 } message ? $"{message} ({origin})" : origin,
            NextRetryAt = leaderStatus?.NextRetryAt,
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Warm start: serving the stored AWS snapshot ({LoadBalancers} load balancers, {TargetGroups} target groups) published by {Replica} at {PublishedAt:O} until AWS is read again")]
    private static partial void LogWarmStart(ILogger logger, int loadBalancers, int targetGroups, string replica, DateTimeOffset publishedAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "The stored AWS snapshot (published {PublishedAt:O}) describes another region or endpoint; starting cold")]
    private static partial void LogOtherSource(ILogger logger, DateTimeOffset publishedAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The stored AWS snapshot written by {Replica} at {PublishedAt:O} is of another format; ignoring it until the leader publishes again")]
    private static partial void LogUnreadable(ILogger logger, string replica, DateTimeOffset publishedAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish the AWS snapshot to {Store}: {Reason}. Followers keep the previous one")]
    private static partial void LogWriteFailed(ILogger logger, string store, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the published AWS snapshot from {Store}: {Reason}. Serving the previous one")]
    private static partial void LogReadFailed(ILogger logger, string store, string reason);
}

/// <summary>Where the snapshot a follower serves came from.</summary>
public sealed record PublishedInfo(string Replica, DateTimeOffset PublishedAt, DateTimeOffset? ListedAt);
