using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Dashboard.Client.Changes;
using Dashboard.Client.Model;
using Dashboard.Client.SmokeTests;
using Dashboard.Client.Verify;
using Dashboard.Server.State;
using Dashboard.Server.Verify;
using Microsoft.Extensions.Options;

namespace Dashboard.Server.SmokeTests;

/// <summary>
/// Bounded smoke tests: only endpoints in the inventory (<see cref="EndpointTargets"/>), caps from configuration that no
/// request can exceed, one run per endpoint and <see cref="VerifyOptions.MaxConcurrentTests"/> in all, stop on request or
/// on the error-rate threshold. Finished runs are kept (with who ran them) in the state database, one document per
/// endpoint holding its last runs, so a run can be compared with the previous one and survives a restart. The one run
/// per endpoint and the cap on runs at once hold over every replica sharing the store (<see cref="SmokeTestLocks"/>). Every
/// run's figures are in the store too (<see cref="SmokeTestRunStore"/>, written once a second), so any replica answers
/// for a run by id and can stop it: the stop is recorded there and the running replica acts on it at its next write.
/// </summary>
public sealed partial class SmokeTestService(EndpointTargets targets, VerifyService verify, EndpointProbeBoard board, IStateStore store,
    SmokeTestLocks locks, SmokeTestRunStore shared, IOptions<VerifyOptions> options, TimeProvider time, ILogger<SmokeTestService> logger)
    : ISmokeTests, IAsyncDisposable
{
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web);
    private readonly ConcurrentDictionary<string, SmokeTestRun> _runs = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _startGate = new(1, 1);
    private readonly ConcurrentDictionary<string, bool> _unshared = new(StringComparer.Ordinal);

    public SmokeTestLimits Limits => new(options.Value.MaxDurationSeconds, options.Value.MaxRatePerSecond, options.Value.MaxConnections,
        options.Value.MaxConcurrentTests, options.Value.AutoStopErrorRate);

    /// <summary>The settings a request asks for, with defaults, checked against the caps; every problem names its field.</summary>
    public SmokeTestSettings Settings(SmokeTestRequest request, string defaultPath)
    {
        var limits = Limits;
        var errors = new List<(string Field, string Message)>();
        var rate = request.RatePerSecond ?? Math.Min(20, limits.MaxRatePerSecond);
        var duration = request.DurationSeconds ?? Math.Min(10, limits.MaxDurationSeconds);
        var connections = request.Connections ?? Math.Min(10, limits.MaxConnections);
        var method = (request.Method ?? "GET").ToUpperInvariant();
        var path = request.Path ?? defaultPath;
        var expect = request.ExpectStatus ?? 200;
        if (rate < 1 || rate > limits.MaxRatePerSecond)
        {
            errors.Add(("ratePerSecond", $"ratePerSecond must be 1–{limits.MaxRatePerSecond} (the configured cap, Dashboard:Verify:MaxRatePerSecond); got {rate}."));
        }
        if (duration < 1 || duration > limits.MaxDurationSeconds)
        {
            errors.Add(("durationSeconds", $"durationSeconds must be 1–{limits.MaxDurationSeconds} (the configured cap, Dashboard:Verify:MaxDurationSeconds); got {duration}."));
        }
        if (connections < 1 || connections > limits.MaxConnections)
        {
            errors.Add(("connections", $"connections must be 1–{limits.MaxConnections} (the configured cap, Dashboard:Verify:MaxConnections); got {connections}."));
        }
        if (method is not ("GET" or "HEAD" or "POST"))
        {
            errors.Add(("method", $"method must be GET, HEAD or POST; got '{request.Method}'."));
        }
        if (expect is < 100 or > 599)
        {
            errors.Add(("expectStatus", $"expectStatus must be an HTTP status 100–599; got {expect}."));
        }
        if (EndpointTargets.PathProblem(path) is { } problem)
        {
            errors.Add(("path", problem));
        }
        if (request.Body is { Length: > 65536 })
        {
            errors.Add(("body", "body must be at most 64 KiB."));
        }
        if (errors.Count > 0)
        {
            throw new VerifyRefusedException(errors[0].Field, string.Join(" ", errors.Select(e => e.Message)));
        }
        return new SmokeTestSettings(rate, duration, connections, method, path, expect);
    }

    public async Task<SmokeTestStatus> StartAsync(ObjectRef endpoint, SmokeTestRequest request, ChangeActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        VerifyTarget target;
        try
        {
            (target, _) = verify.Resolve(endpoint, request.Target, null, null);
        }
        catch (VerifyRefusedException e) when (e.Status == StatusCodes.Status409Conflict)
        {
            // Bad input is named before "not ready yet", so the caller can fix the request while the balancer is built.
            Settings(request, "/");
            throw;
        }
        var settings = Settings(request, target.DefaultPath);
        SmokeTestRun run;
        await _startGate.WaitAsync(cancellationToken);
        try
        {
            var running = _runs.Values.Where(r => r.Status().State == "running").ToList();
            if (running.FirstOrDefault(r => r.Endpoint == endpoint) is { } busy)
            {
                throw new VerifyRefusedException("endpoint", $"A smoke test of {endpoint} is already running ({busy.Id}, by {busy.RunBy}); stop it or wait for it to end.", 409);
            }
            var id = "st-" + Guid.NewGuid().ToString("N")[..12];
            // The lock in the shared store: another replica's run of this endpoint (or the cap over all replicas) refuses this one.
            SmokeTestLockResult taken;
            try
            {
                taken = await locks.TryAcquireAsync(endpoint.Key, id, actor.Name, options.Value.MaxConcurrentTests, cancellationToken);
            }
            catch (Exception e) when (e is System.Data.Common.DbException or IOException or TimeoutException or System.Net.Sockets.SocketException)
            {
                LogLockUnavailable(logger, endpoint.ToString(), e);
                throw new VerifyRefusedException("endpoint", $"The state store ({store.Description}) did not answer, so the one-test-per-endpoint lock cannot be taken; nothing was sent. Try again when the store is back.", 503);
            }
            if (taken.Holder is { } holder)
            {
                throw new VerifyRefusedException("endpoint", $"A smoke test of {endpoint} is already running ({holder.RunId}, by {holder.RunBy}, on replica {holder.Replica}); stop it there or wait for it to end.", 409);
            }
            if (!taken.Acquired)
            {
                throw new VerifyRefusedException("endpoint", $"{taken.Running} smoke tests are running over all replicas, the most allowed at once (Dashboard:Verify:MaxConcurrentTests); try again when one ends.", 429);
            }
            var handler = targets.CreateHandler(settings.Connections, options.Value.SmokeRequestTimeout);
            run = new SmokeTestRun(id, endpoint, target, settings, request.Body, actor.Name, handler, options.Value.AutoStopErrorRate,
                options.Value.SmokeRequestTimeout, time.GetUtcNow());
            _runs[id] = run;
            run.Start(time.GetUtcNow);
        }
        finally
        {
            _startGate.Release();
        }
        LogStarted(logger, actor.Name, run.Id, endpoint.ToString(), run.Url, settings.RatePerSecond, settings.DurationSeconds, settings.Connections);
        // In the store before the answer, so the id answers on every replica at once.
        await PublishAsync(run, cancellationToken);
        _ = HoldLockAsync(run);
        _ = ShareAsync(run);
        _ = FinishAsync(run);
        return run.Status();
    }

    /// <summary>How often the running replica writes a run's figures and looks for a stop request from another replica.</summary>
    public static readonly TimeSpan ShareEvery = TimeSpan.FromSeconds(1);

    /// <summary>Writes the run's figures to the store every second until it ends, stopping it when another replica asks.</summary>
    private async Task ShareAsync(SmokeTestRun run)
    {
        while (!run.Completion.IsCompleted)
        {
            await Task.WhenAny(run.Completion, Task.Delay(ShareEvery, time));
            if (!run.Completion.IsCompleted)
            {
                await PublishAsync(run, CancellationToken.None);
            }
        }
    }

    /// <summary>Writes the run's figures; acts on a stop request recorded by any replica.</summary>
    private async Task PublishAsync(SmokeTestRun run, CancellationToken cancellationToken)
    {
        try
        {
            if (await shared.PublishAsync(run.Status(), cancellationToken) is { } stopBy && run.Stop($"stopped by {stopBy}"))
            {
                LogStoppedElsewhere(logger, stopBy, run.Id);
            }
            _unshared.TryRemove(run.Id, out _);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Other replicas see older figures (and cannot stop the run) until the store answers; the run goes on.
            // Said once per outage, not every second.
            if (_unshared.TryAdd(run.Id, true))
            {
                LogNotShared(logger, run.Id, e);
            }
        }
    }

    /// <summary>Renews the run's lock in the store until the run ends, so other replicas keep out while it runs.</summary>
    private async Task HoldLockAsync(SmokeTestRun run)
    {
        while (!run.Completion.IsCompleted)
        {
            await Task.WhenAny(run.Completion, Task.Delay(SmokeTestLocks.RenewEvery, time));
            if (run.Completion.IsCompleted)
            {
                return;
            }
            try
            {
                if (!await locks.RenewAsync(run.Endpoint.Key, run.Id, CancellationToken.None))
                {
                    // It expired (the store was unreachable for longer than its time to live) and may be another's now.
                    LogLockLost(logger, run.Id);
                    run.Stop("its endpoint lock expired while the state store was unreachable");
                    return;
                }
            }
            catch (Exception e)
            {
                LogLockRenewFailed(logger, run.Id, e);
            }
        }
    }

    private async Task FinishAsync(SmokeTestRun run)
    {
        await run.Completion;
        var status = run.Status();
        board.RecordSmoke(run.Endpoint.Key, new SmokeOutcome(run.Id, status.EndedAt ?? time.GetUtcNow(), status.Passed, Summary(status), status.RunBy));
        LogFinished(logger, run.Id, status.State, status.Requests, status.Failures, status.LatencyMs.P99, status.StopReason);
        try
        {
            await shared.PublishAsync(status, CancellationToken.None);
            await shared.PruneAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            LogNotShared(logger, run.Id, e);
        }
        try
        {
            var history = (await HistoryAsync(run.Endpoint, CancellationToken.None)).Where(s => s.Id != run.Id).ToList();
            history.Insert(0, status);
            var content = JsonSerializer.SerializeToUtf8Bytes(history.Take(options.Value.KeepResultsPerEndpoint).ToList(), _json);
            await store.WriteDocumentAsync(new StoredDocument(DocumentKey(run.Endpoint), content, time.GetUtcNow(), "smoke-tests"), CancellationToken.None);
        }
        catch (Exception e)
        {
            LogNotKept(logger, run.Id, e);
        }
        try
        {
            await locks.ReleaseAsync(run.Endpoint.Key, run.Id, CancellationToken.None);
        }
        catch (Exception e)
        {
            // The lock expires on its own (SmokeTestLocks.TimeToLive).
            LogLockRenewFailed(logger, run.Id, e);
        }
        // Live figures stay readable for a while; the store answers afterwards.
        await Task.Delay(TimeSpan.FromMinutes(10), time);
        _unshared.TryRemove(run.Id, out _);
        if (_runs.TryRemove(run.Id, out var done))
        {
            done.Dispose();
        }
    }

    public static string Summary(SmokeTestStatus s) => string.Create(CultureInfo.InvariantCulture,
        $"{s.Requests} requests at {s.AchievedRate:0.#}/s, {s.Failures} failed, p50 {s.LatencyMs.P50:0.#} ms, p99 {s.LatencyMs.P99:0.#} ms")
        + (s.StopReason is null ? "" : "; " + s.StopReason);

    public async Task<SmokeTestStatus?> GetAsync(string id, CancellationToken cancellationToken)
    {
        if (_runs.TryGetValue(id, out var run))
        {
            return run.Status();
        }
        // A run of another replica (its last figures), or one that ended here or there before a restart.
        if (await shared.GetAsync(id, cancellationToken) is { } stored)
        {
            return shared.Describe(stored);
        }
        // Finished runs kept before the runs table existed live in their endpoint's document; the id does not name the endpoint, so look through the kept ones.
        foreach (var key in board.Snapshot.Keys)
        {
            if (ObjectRefFromKey(key) is { } endpoint && (await HistoryAsync(endpoint, cancellationToken)).FirstOrDefault(s => s.Id == id) is { } kept)
            {
                return kept;
            }
        }
        return null;
    }

    public async Task<bool> StopAsync(string id, ChangeActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (_runs.TryGetValue(id, out var run))
        {
            if (!run.Stop($"stopped by {actor.Name}"))
            {
                return false;
            }
            LogStopped(logger, actor.Name, id);
            return true;
        }
        // Running on another replica: it reads the request at its next write (within ShareEvery) and stops.
        if (!await shared.RequestStopAsync(id, actor.Name, cancellationToken))
        {
            return false;
        }
        LogStopRequested(logger, actor.Name, id);
        return true;
    }

    public SmokeTestStatus? Running(ObjectRef endpoint) =>
        _runs.Values.Where(r => r.Endpoint == endpoint).Select(r => r.Status()).OrderByDescending(s => s.StartedAt).FirstOrDefault();

    public async Task<SmokeTestStatus?> RunningAsync(ObjectRef endpoint, CancellationToken cancellationToken)
    {
        var here = Running(endpoint);
        if (here is { State: "running" })
        {
            return here;
        }
        // Not running here: a run of another replica, else this replica's last (ended) run, as before.
        return await shared.RunningAsync(endpoint.Key, cancellationToken) is { } stored ? shared.Describe(stored) : here;
    }

    public async Task<IReadOnlyList<SmokeTestStatus>> HistoryAsync(ObjectRef endpoint, CancellationToken cancellationToken)
    {
        var document = await store.ReadDocumentAsync(DocumentKey(endpoint), cancellationToken);
        return document is null ? [] : JsonSerializer.Deserialize<List<SmokeTestStatus>>(document.Content, _json) ?? [];
    }

    private static string DocumentKey(ObjectRef endpoint) => "smoke-tests/" + endpoint.Key;

    private static ObjectRef? ObjectRefFromKey(string key)
    {
        var parts = key.Split('/', 3);
        return parts.Length == 3 && Enum.TryParse<ObjectKind>(parts[0], out var kind) ? new ObjectRef(kind, parts[1], parts[2]) : null;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var run in _runs.Values)
        {
            run.Stop("the dashboard is stopping");
        }
        await Task.WhenAll(_runs.Values.Select(r => r.Completion)).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Smoke test {Id} started by {User} on {Endpoint}: {Url} at {Rate}/s for {Duration} s, {Connections} connections")]
    private static partial void LogStarted(ILogger logger, string user, string id, string endpoint, string url, int rate, int duration, int connections);

    [LoggerMessage(Level = LogLevel.Information, Message = "Smoke test {Id} {State}: {Requests} requests, {Failures} failed, p99 {P99} ms {StopReason}")]
    private static partial void LogFinished(ILogger logger, string id, string state, long requests, long failures, double p99, string? stopReason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Smoke test {Id} stopped by {User}")]
    private static partial void LogStopped(ILogger logger, string user, string id);

    [LoggerMessage(Level = LogLevel.Information, Message = "Smoke test {Id} stopped at the request of {User} on another replica")]
    private static partial void LogStoppedElsewhere(ILogger logger, string user, string id);

    [LoggerMessage(Level = LogLevel.Information, Message = "Smoke test {Id} runs on another replica; {User}'s stop request is recorded in the state store for it")]
    private static partial void LogStopRequested(ILogger logger, string user, string id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Smoke test {Id}: its figures could not be written to the state store (other replicas see older ones)")]
    private static partial void LogNotShared(ILogger logger, string id, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Smoke test of {Endpoint} refused: the state store holding the endpoint locks did not answer")]
    private static partial void LogLockUnavailable(ILogger logger, string endpoint, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Smoke test {Id}: its endpoint lock could not be renewed or released in the state store")]
    private static partial void LogLockRenewFailed(ILogger logger, string id, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Smoke test {Id}: its endpoint lock expired and was not renewed; stopping the run")]
    private static partial void LogLockLost(ILogger logger, string id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Smoke test {Id}: its result could not be kept in the state database")]
    private static partial void LogNotKept(ILogger logger, string id, Exception exception);
}
