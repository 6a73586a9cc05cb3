using System.Collections.Immutable;
using System.Net;
using Dashboard.Client.Model;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Dashboard.Server.Kubernetes;

/// <summary>The health of one watch cache.</summary>
public sealed record CacheStatus(string Kind, SourceState State, DateTimeOffset? LastGoodAt, string? Message, DateTimeOffset? NextRetryAt);

/// <summary>A watch cache seen without its object type: what the status board and the host need.</summary>
public interface IResourceCache
{
    string Kind { get; }

    CacheStatus Status { get; }

    /// <summary>Raised when <see cref="CacheStatus.State"/> or its message changes (not on every event).</summary>
    event Action<CacheStatus>? StatusChanged;

    /// <summary>Lists, watches and re-lists until cancelled. Never throws except on cancellation.</summary>
    Task RunAsync(CancellationToken cancellationToken);
}

/// <summary>
/// One kind, listed once and watched, shared by every viewer — the informer KubernetesClient does not ship.
/// List (paged), watch from the list's resourceVersion with bookmarks, re-list on 410 Gone (which KubernetesClient
/// reports only to onError), retry with bounded exponential back-off and jitter, and report staleness.
/// </summary>
public sealed partial class ResourceCache<T> : IResourceCache where T : class, IKubernetesObject<V1ObjectMeta>
{
    private static readonly TimeSpan ShortWatch = TimeSpan.FromSeconds(1);
    private readonly object _gate = new();
    private readonly ResourceSet<T> _set = new();
    private readonly WatchedKind<T> _kind;
    private readonly KubernetesConnection _connection;
    private readonly RetryBackoff _backoff;
    private readonly TimeProvider _time;
    private readonly int _watchTimeoutSeconds;
    private readonly int _pageSize;
    private readonly ILogger _logger;
    private readonly StringPool _strings;
    private CacheStatus _status;
    private string? _resourceVersion;
    private ImmutableArray<T> _items;

    public ResourceCache(WatchedKind<T> kind, KubernetesConnection connection, RetryBackoff backoff, TimeProvider time,
        TimeSpan watchTimeout, int pageSize, StringPool strings, ILogger logger)
    {
        _strings = strings;
        _kind = kind;
        _connection = connection;
        _backoff = backoff;
        _time = time;
        _watchTimeoutSeconds = (int)Math.Max(1, watchTimeout.TotalSeconds);
        _pageSize = pageSize;
        _logger = logger;
        _status = new CacheStatus(kind.Name, SourceState.Syncing, null, null, null);
    }

    public string Kind => _kind.Name;

    public CacheStatus Status { get { lock (_gate) { return _status; } } }

    public event Action<CacheStatus>? StatusChanged;

    /// <summary>Changes in the order they were applied; raised on the cache's own loop, one call per list or event.</summary>
    public event Action<IReadOnlyList<ResourceChange<T>>>? Changed;

    /// <summary>A copy of every cached object.</summary>
    public IReadOnlyList<T> Snapshot() => Items;

    /// <summary>
    /// Every cached object as one immutable array, the same instance until the cache next changes: readers that take it
    /// repeatedly (the topology join) neither copy an unchanged kind again nor re-index it.
    /// </summary>
    public ImmutableArray<T> Items
    {
        get
        {
            lock (_gate)
            {
                if (_items.IsDefault)
                {
                    _items = [.. _set.Items];
                }
                return _items;
            }
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        IKubernetes client;
        try
        {
            client = await _connection.GetClientAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (_resourceVersion is null)
                {
                    _resourceVersion = await ListAsync(client, cancellationToken);
                    failures = 0;
                    MarkLive();
                }
                Telemetry.PipelineMetrics.WatchActive(Kind, _time.GetTimestamp());
                var watch = await WatchAsync(client, cancellationToken);
                Telemetry.PipelineMetrics.WatchInactive(Kind);
                Telemetry.PipelineMetrics.WatchRestarted(Kind, watch.Expired ? "expired" : watch.Error is not null ? "error" : "closed");
                if (watch.Expired)
                {
                    LogExpired(_logger, Kind, _resourceVersion);
                    _resourceVersion = null;
                    continue;
                }
                if (watch.Error is not null)
                {
                    throw watch.Error;
                }
                MarkLive();
                if (watch.Events > 0 || watch.Duration >= ShortWatch)
                {
                    failures = 0;
                }
                else
                {
                    // A watch that closes at once with nothing in it: do not spin against such a server.
                    await Task.Delay(_backoff.Delay(failures++), _time, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (IsGone(ex))
            {
                Telemetry.PipelineMetrics.WatchInactive(Kind);
                Telemetry.PipelineMetrics.WatchRestarted(Kind, "expired");
                LogExpired(_logger, Kind, _resourceVersion);
                _resourceVersion = null;
            }
            catch (Exception ex)
            {
                Telemetry.PipelineMetrics.WatchInactive(Kind);
                Telemetry.PipelineMetrics.WatchRestarted(Kind, "error");
                var delay = _backoff.Delay(failures++);
                var retryAt = _time.GetUtcNow() + delay;
                MarkStale(Describe(ex), retryAt);
                LogRetry(_logger, Kind, delay.TotalSeconds, Describe(ex));
                try
                {
                    await Task.Delay(delay, _time, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                // Recover with a fresh list rather than a watch: a list proves at once that the server is back (a
                // re-watch says nothing until its first event) and catches up whatever the outage hid.
                _resourceVersion = null;
            }
        }
    }

    private async Task<string> ListAsync(IKubernetes client, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        string? continueToken = null;
        string? resourceVersion = null;
        do
        {
            var page = await _kind.ListPage(client, _pageSize, continueToken, cancellationToken);
            foreach (var item in page.Items)
            {
                items.Add(ObjectTrim.Apply(item, _strings));
            }
            resourceVersion ??= page.ResourceVersion;
            continueToken = page.Continue;
        }
        while (continueToken is not null);

        IReadOnlyList<ResourceChange<T>> changes;
        lock (_gate)
        {
            changes = _set.Replace(items);
            _items = default;
        }
        LogListed(_logger, Kind, items.Count, resourceVersion);
        Raise(changes);
        return resourceVersion ?? "0";
    }

    private sealed record WatchOutcome(bool Expired, Exception? Error, int Events, TimeSpan Duration);

    /// <summary>Watches from <see cref="_resourceVersion"/>, advancing it with every event and bookmark.</summary>
    private async Task<WatchOutcome> WatchAsync(IKubernetes client, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var expired = false;
        Exception? error = null;
        var events = 0;
        void OnError(Exception ex)
        {
            if (IsGone(ex))
            {
                expired = true;
            }
            else if (ex is KubernetesException)
            {
                error = ex;
            }
            else
            {
                // A line that does not parse: skip it, as the API server will send the next one.
                LogUnreadable(_logger, Kind, ex.Message);
            }
        }

        await foreach (var (type, item) in _kind.Watch(client, _resourceVersion!, _watchTimeoutSeconds, OnError, cancellationToken))
        {
            events++;
            Telemetry.PipelineMetrics.WatchActive(Kind, _time.GetTimestamp());
            if (item is not null && type != WatchEventType.Bookmark)
            {
                ObjectTrim.Apply(item, _strings);
            }
            var version = item?.Metadata?.ResourceVersion;
            ResourceChange<T>? change = null;
            lock (_gate)
            {
                if (type != WatchEventType.Bookmark && item is not null)
                {
                    change = _set.Apply(type, item);
                    if (change is not null)
                    {
                        _items = default;
                    }
                }
                _resourceVersion = string.IsNullOrEmpty(version) ? _resourceVersion : version;
                // The server answered: everything up to here is known, whatever happens to the stream next.
                _status = _status with { LastGoodAt = _time.GetUtcNow() };
            }
            if (change is not null)
            {
                Raise([change]);
            }
            if (Status.State != SourceState.Live)
            {
                MarkLive();
            }
            if (expired || error is not null)
            {
                break;
            }
        }
        if (!expired && error is null)
        {
            // The watch was open until now and closed cleanly: everything up to this moment is known, even when nothing
            // changed (a quiet kind would otherwise date its data to its listing).
            lock (_gate)
            {
                _status = _status with { LastGoodAt = _time.GetUtcNow() };
            }
        }
        return new WatchOutcome(expired, error, events, _time.GetElapsedTime(started));
    }

    private void Raise(IReadOnlyList<ResourceChange<T>> changes)
    {
        if (changes.Count == 0)
        {
            return;
        }
        try
        {
            Changed?.Invoke(changes);
        }
        catch (Exception ex)
        {
            // A subscriber's bug must not stop the cache.
            LogSubscriberFailed(_logger, ex, Kind);
        }
    }

    private void MarkLive() => SetStatus(s => s with
    {
        State = SourceState.Live,
        LastGoodAt = _time.GetUtcNow(),
        Message = null,
        NextRetryAt = null,
    });

    private void MarkStale(string message, DateTimeOffset retryAt) => SetStatus(s => s with
    {
        State = SourceState.Stale,
        Message = message,
        NextRetryAt = retryAt,
    });

    private void SetStatus(Func<CacheStatus, CacheStatus> update)
    {
        CacheStatus before;
        CacheStatus after;
        lock (_gate)
        {
            before = _status;
            after = update(before);
            _status = after;
        }
        if (before.State != after.State || before.Message != after.Message || before.NextRetryAt != after.NextRetryAt)
        {
            StatusChanged?.Invoke(after);
        }
    }

    private static bool IsGone(Exception ex) => ex switch
    {
        KubernetesException k => k.Status?.Code == (int)HttpStatusCode.Gone,
        HttpOperationException h => h.Response?.StatusCode == HttpStatusCode.Gone,
        _ => false,
    };

    /// <summary>A one-line reason without request details (URLs may carry tokens in some setups).</summary>
    private string Describe(Exception ex) => ex switch
    {
        HttpOperationException { Response.StatusCode: HttpStatusCode.Forbidden } h =>
            $"not allowed to read {Kind} (HTTP 403 Forbidden): {StatusMessage(h.Response.Content) ?? "the cluster refused the request"}",
        HttpOperationException h => $"request for {Kind} failed: HTTP {(int)(h.Response?.StatusCode ?? 0)} {h.Response?.ReasonPhrase}".TrimEnd(),
        KubernetesException k => $"watching {Kind} failed: {k.Status?.Code} {k.Status?.Reason} {k.Status?.Message}".TrimEnd(),
        HttpRequestException r => $"cannot reach the Kubernetes API ({Kind}): {r.Message}",
        IOException io => $"connection to the Kubernetes API lost ({Kind}): {io.Message}",
        _ => $"{Kind}: {ex.GetType().Name}: {ex.Message}",
    };

    /// <summary>
    /// The <c>message</c> of a Kubernetes Status body, which for a 403 names the user, the verb and the resource it may not
    /// use (<c>nodes is forbidden: User "x" cannot list resource "nodes" in API group "" at the cluster scope</c>).
    /// </summary>
    private static string? StatusMessage(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(body);
            return json.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                && json.RootElement.TryGetProperty("message", out var message) && message.ValueKind == System.Text.Json.JsonValueKind.String
                ? message.GetString()
                : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Listed {Kind}: {Count} objects at resourceVersion {ResourceVersion}")]
    private static partial void LogListed(ILogger logger, string kind, int count, string? resourceVersion);

    [LoggerMessage(Level = LogLevel.Information, Message = "Watch of {Kind} expired at resourceVersion {ResourceVersion} (410 Gone); re-listing")]
    private static partial void LogExpired(ILogger logger, string kind, string? resourceVersion);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kubernetes {Kind} cache is stale, retrying in {DelaySeconds:F1} s: {Reason}")]
    private static partial void LogRetry(ILogger logger, string kind, double delaySeconds, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Skipped an unreadable watch line for {Kind}: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string kind, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "A subscriber of the {Kind} cache failed")]
    private static partial void LogSubscriberFailed(ILogger logger, Exception exception, string kind);
}
