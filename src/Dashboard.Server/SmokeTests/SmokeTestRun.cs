using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Dashboard.Client.Model;
using Dashboard.Client.SmokeTests;
using Dashboard.Client.Verify;
using Dashboard.Server.Verify;
using HdrHistogram;

namespace Dashboard.Server.SmokeTests;

/// <summary>
/// One smoke test: requests at a constant arrival rate (an open model — each request has an intended send time i/rate,
/// and its latency is measured from that time, so a slow endpoint cannot slow the schedule down and hide its own
/// latency: no coordinated omission), at most <see cref="SmokeTestSettings.Connections"/> in flight, for the duration or
/// until stopped. Latencies go into an HDR histogram (microseconds, 3 significant digits) for the whole run and one per
/// second for the chart. Auto-stops when the share of failures over the last 10 s passes the threshold.
/// </summary>
internal sealed class SmokeTestRun : IDisposable
{
    private const long HighestMicros = 120_000_000; // 2 minutes
    private readonly Lock _gate = new();
    private readonly LongHistogram _histogram = new(HighestMicros, 3);
    private readonly List<(LongHistogram Histogram, long Failures)> _seconds = [];
    private readonly Dictionary<string, long> _statusCodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _errors = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient _client;
    private readonly double _autoStopErrorRate;
    private readonly TimeSpan _requestTimeout;
    private long _sent;
    private long _completed;
    private long _failures;
    private long _startTimestamp;
    private string _state = "running";
    private string? _stopReason;
    private DateTimeOffset? _endedAt;

    public SmokeTestRun(string id, ObjectRef endpoint, VerifyTarget target, SmokeTestSettings settings, string? body, string runBy,
        HttpMessageHandler handler, double autoStopErrorRate, TimeSpan requestTimeout, DateTimeOffset startedAt)
    {
        Id = id;
        Endpoint = endpoint;
        Target = target;
        Settings = settings;
        Body = body;
        RunBy = runBy;
        StartedAt = startedAt;
        _autoStopErrorRate = autoStopErrorRate;
        _requestTimeout = requestTimeout;
        _client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public string Id { get; }
    public ObjectRef Endpoint { get; }
    public VerifyTarget Target { get; }
    public SmokeTestSettings Settings { get; }
    public string? Body { get; }
    public string RunBy { get; }
    public DateTimeOffset StartedAt { get; }
    public string Url => Target.Url(Settings.Path);

    /// <summary>Ends when the run has finished and every request is accounted for.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    public void Start(Func<DateTimeOffset> now) => Completion = Task.Run(() => RunAsync(now));

    /// <summary>Asks the run to stop; in-flight requests are cancelled, so it ends within a second.</summary>
    public bool Stop(string reason)
    {
        lock (_gate)
        {
            if (_state != "running" || _stop.IsCancellationRequested)
            {
                return false;
            }
            _stopReason = reason;
        }
        _stop.Cancel();
        return true;
    }

    private async Task RunAsync(Func<DateTimeOffset> now)
    {
        var total = (long)Settings.RatePerSecond * Settings.DurationSeconds;
        using var slots = new SemaphoreSlim(Settings.Connections);
        var inFlight = new List<Task>();
        _startTimestamp = Stopwatch.GetTimestamp();
        var token = _stop.Token;
        var nextCheck = 1.0;
        try
        {
            for (long i = 0; i < total && !token.IsCancellationRequested; i++)
            {
                var intendedSeconds = (double)i / Settings.RatePerSecond;
                var wait = intendedSeconds - Stopwatch.GetElapsedTime(_startTimestamp).TotalSeconds;
                if (wait > 0.0005)
                {
                    await Task.Delay(TimeSpan.FromSeconds(wait), token);
                }
                if (intendedSeconds >= nextCheck)
                {
                    nextCheck = Math.Floor(intendedSeconds) + 1;
                    CheckErrorRate();
                    inFlight.RemoveAll(t => t.IsCompleted);
                }
                await slots.WaitAsync(token);
                Interlocked.Increment(ref _sent);
                inFlight.Add(SendAsync(intendedSeconds, slots, token));
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
        await Task.WhenAll(inFlight);
        lock (_gate)
        {
            _state = _stopReason is null ? "done" : "stopped";
            _endedAt = now();
        }
        _client.Dispose();
    }

    private async Task SendAsync(double intendedSeconds, SemaphoreSlim slots, CancellationToken stop)
    {
        string? status = null;
        string? error = null;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
            timeout.CancelAfter(_requestTimeout);
            using var request = new HttpRequestMessage(new HttpMethod(Settings.Method), Url);
            request.Headers.UserAgent.ParseAdd(VerifyService.UserAgent("smoke-test", Id));
            if (Settings.Method == "POST")
            {
                request.Content = new StringContent(Body ?? "{}", Encoding.UTF8, "application/json");
            }
            try
            {
                using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
                status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is HttpRequestException or IOException || e is OperationCanceledException && !stop.IsCancellationRequested)
            {
                error = VerifyService.Classify(e, _requestTimeout).Kind;
            }
            catch (OperationCanceledException)
            {
                return; // stopped: not counted
            }
        }
        finally
        {
            slots.Release();
        }
        var elapsed = Stopwatch.GetElapsedTime(_startTimestamp).TotalSeconds;
        var micros = (long)Math.Clamp((elapsed - intendedSeconds) * 1_000_000, 1, HighestMicros);
        var failed = error is not null || status != Settings.ExpectStatus.ToString(CultureInfo.InvariantCulture);
        lock (_gate)
        {
            _completed++;
            _histogram.RecordValue(micros);
            var second = (int)intendedSeconds;
            while (_seconds.Count <= second)
            {
                _seconds.Add((new LongHistogram(HighestMicros, 2), 0));
            }
            _seconds[second].Histogram.RecordValue(micros);
            if (failed)
            {
                _failures++;
                _seconds[second] = (_seconds[second].Histogram, _seconds[second].Failures + 1);
            }
            if (status is not null)
            {
                _statusCodes[status] = _statusCodes.GetValueOrDefault(status) + 1;
            }
            else
            {
                _errors[error!] = _errors.GetValueOrDefault(error!) + 1;
            }
        }
    }

    /// <summary>Stops the run when the failures of the last 10 s (at least 10 requests) pass the threshold.</summary>
    private void CheckErrorRate()
    {
        long requests = 0, failures = 0;
        lock (_gate)
        {
            foreach (var (histogram, fails) in _seconds.TakeLast(10))
            {
                requests += histogram.TotalCount;
                failures += fails;
            }
        }
        if (requests >= 10 && (double)failures / requests > _autoStopErrorRate)
        {
            Stop(string.Create(CultureInfo.InvariantCulture, $"auto-stopped: {failures} of {requests} requests failed in the last 10 s (over {_autoStopErrorRate:P0})"));
        }
    }

    public SmokeTestStatus Status()
    {
        lock (_gate)
        {
            var elapsed = _startTimestamp == 0 ? 0 : Stopwatch.GetElapsedTime(_startTimestamp).TotalSeconds;
            if (_endedAt is { } ended)
            {
                elapsed = Math.Max(0.001, (ended - StartedAt).TotalSeconds);
            }
            return new SmokeTestStatus
            {
                Id = Id,
                Endpoint = Endpoint,
                Target = Target,
                Url = Url,
                Settings = Settings,
                State = _state,
                StopReason = _stopReason,
                StartedAt = StartedAt,
                EndedAt = _endedAt,
                RunBy = RunBy,
                Requests = _completed,
                Sent = Interlocked.Read(ref _sent),
                AchievedRate = elapsed <= 0 ? 0 : Math.Round(_completed / elapsed, 1),
                LatencyMs = Figures(_histogram),
                StatusCodes = _statusCodes.ToImmutableSortedDictionary(StringComparer.Ordinal),
                Errors = _errors.ToImmutableSortedDictionary(StringComparer.Ordinal),
                Failures = _failures,
                Timeline = [.. _seconds.Select((s, i) => new SmokeTestSecond(i, s.Histogram.TotalCount, s.Failures,
                    Ms(s.Histogram, 50), Ms(s.Histogram, 99)))],
            };
        }
    }

    private static LatencyFigures Figures(LongHistogram histogram) => histogram.TotalCount == 0
        ? new LatencyFigures(0, 0, 0, 0)
        : new LatencyFigures(Ms(histogram, 50), Ms(histogram, 90), Ms(histogram, 99), Math.Round(histogram.GetMaxValue() / 1000.0, 2));

    private static double Ms(LongHistogram histogram, double percentile) =>
        histogram.TotalCount == 0 ? 0 : Math.Round(histogram.GetValueAtPercentile(percentile) / 1000.0, 2);

    public void Dispose()
    {
        _stop.Dispose();
    }
}
