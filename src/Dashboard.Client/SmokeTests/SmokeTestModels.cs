using System.Collections.Immutable;
using Dashboard.Client.Changes;
using Dashboard.Client.Model;
using Dashboard.Client.Verify;

namespace Dashboard.Client.SmokeTests;

/// <summary>What a user asks a smoke test to do (POST /api/v1/endpoints/{kind}/{ns}/{name}/smoke-tests). Nulls take the defaults.</summary>
public sealed record SmokeTestRequest
{
    /// <summary>Arrival rate, requests per second (constant: an open model). Default 20.</summary>
    public int? RatePerSecond { get; init; }

    /// <summary>How long, in seconds. Default 10.</summary>
    public int? DurationSeconds { get; init; }

    /// <summary>At most this many requests in flight (and connections). Default 10.</summary>
    public int? Connections { get; init; }

    /// <summary>A <see cref="VerifyTarget.Id"/>; default the endpoint's first target.</summary>
    public string? Target { get; init; }

    /// <summary>Default the target's path (health check or the member's rule).</summary>
    public string? Path { get; init; }

    /// <summary><c>GET</c> (default), <c>HEAD</c> or <c>POST</c>.</summary>
    public string? Method { get; init; }

    /// <summary>A JSON body for POST.</summary>
    public string? Body { get; init; }

    /// <summary>The status every answer should have. Default 200.</summary>
    public int? ExpectStatus { get; init; }
}

/// <summary>The caps in force (configuration; the UI and the API cannot exceed them).</summary>
public sealed record SmokeTestLimits(int MaxDurationSeconds, int MaxRatePerSecond, int MaxConnections, int MaxConcurrentTests, double AutoStopErrorRate);

/// <summary>Latency percentiles in milliseconds (from an HDR histogram, measured from each request's intended send time).</summary>
public sealed record LatencyFigures(double P50, double P90, double P99, double Max);

/// <summary>One second of a run, for the latency-over-time chart.</summary>
public sealed record SmokeTestSecond(int Second, long Requests, long Failures, double P50Ms, double P99Ms);

/// <summary>The settings a run used (after defaults and caps).</summary>
public sealed record SmokeTestSettings(int RatePerSecond, int DurationSeconds, int Connections, string Method, string Path, int ExpectStatus);

/// <summary>A smoke test, live or finished.</summary>
public sealed record SmokeTestStatus
{
    public required string Id { get; init; }
    public required ObjectRef Endpoint { get; init; }
    public required VerifyTarget Target { get; init; }
    public required string Url { get; init; }
    public required SmokeTestSettings Settings { get; init; }

    /// <summary><c>running</c>, <c>done</c> or <c>stopped</c>.</summary>
    public required string State { get; init; }

    /// <summary>Why it stopped early: stopped by a user (named) or the error-rate auto-stop.</summary>
    public string? StopReason { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public required string RunBy { get; init; }

    /// <summary>Requests completed (answered or failed).</summary>
    public long Requests { get; init; }

    /// <summary>Requests sent so far.</summary>
    public long Sent { get; init; }

    /// <summary>Completed requests per second of elapsed time.</summary>
    public double AchievedRate { get; init; }
    public required LatencyFigures LatencyMs { get; init; }
    public ImmutableSortedDictionary<string, long> StatusCodes { get; init; } = ImmutableSortedDictionary<string, long>.Empty;

    /// <summary>Failures without an answer by kind: <c>connect</c>, <c>timeout</c>, <c>tls</c>, <c>reset</c>, <c>dns</c>, <c>other</c>.</summary>
    public ImmutableSortedDictionary<string, long> Errors { get; init; } = ImmutableSortedDictionary<string, long>.Empty;

    /// <summary>Answers with another status than expected, plus <see cref="Errors"/>.</summary>
    public long Failures { get; init; }
    public ImmutableArray<SmokeTestSecond> Timeline { get; init; } = [];

    /// <summary>Finished, not stopped early, and at most 1 % failures.</summary>
    public bool Passed => State == "done" && Requests > 0 && Failures <= Requests / 100.0;
}

/// <summary>Bounded smoke tests against endpoints in the dashboard's inventory (Operator). Pages and the API call this.</summary>
public interface ISmokeTests
{
    SmokeTestLimits Limits { get; }

    /// <summary>Starts a run; throws <see cref="VerifyRefusedException"/> naming the field (caps, busy endpoint, global limit).</summary>
    Task<SmokeTestStatus> StartAsync(ObjectRef endpoint, SmokeTestRequest request, ChangeActor actor, CancellationToken cancellationToken);

    /// <summary>A run by id: live while it runs, then from the store.</summary>
    Task<SmokeTestStatus?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Stops a run within about a second, on whichever replica runs it (a run elsewhere gets the request through the
    /// shared state store); false when it is not running.
    /// </summary>
    Task<bool> StopAsync(string id, ChangeActor actor, CancellationToken cancellationToken);

    /// <summary>The running test of an endpoint on this replica, if any.</summary>
    SmokeTestStatus? Running(ObjectRef endpoint);

    /// <summary>The running test of an endpoint on any replica (its last figures when another replica runs it).</summary>
    Task<SmokeTestStatus?> RunningAsync(ObjectRef endpoint, CancellationToken cancellationToken);

    /// <summary>Finished runs of an endpoint, newest first.</summary>
    Task<IReadOnlyList<SmokeTestStatus>> HistoryAsync(ObjectRef endpoint, CancellationToken cancellationToken);
}
