using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics.Metrics;

namespace Dashboard.Server.LoadBalancers;

/// <summary>How one HTTP request to AWS ended.</summary>
public enum AwsCallOutcome
{
    Success,
    Throttled,
    ServerError,
    ClientError,
    Unreachable,
}

/// <summary>Counts of the AWS requests this server made, by service and action (each retry attempt counts).</summary>
public sealed record AwsCallCounts
{
    /// <summary>Requests by <c>{service}:{action}</c>, e.g. <c>ElasticLoadBalancing:DescribeTargetHealth</c>.</summary>
    public required ImmutableSortedDictionary<string, long> ByAction { get; init; }
    public long ElasticLoadBalancing { get; init; }
    public long CloudWatch { get; init; }
    public long Throttled { get; init; }
    public long ServerErrors { get; init; }
    public string? LastError { get; init; }
    public DateTimeOffset? LastErrorAt { get; init; }

    /// <summary>Metrics requested by successful GetMetricData calls (what CloudWatch bills, per 1,000).</summary>
    public long CloudWatchMetricsRequested { get; init; }

    /// <summary>Since when the counts run (the server's start).</summary>
    public DateTimeOffset Since { get; init; }

    /// <summary>Requests of one ELBv2 action.</summary>
    public long Elb(string action) => ByAction.GetValueOrDefault("ElasticLoadBalancing:" + action);
}

/// <summary>
/// Every request the AWS clients send, counted as it leaves (see <see cref="AwsCallMeteringHandler"/>): for the
/// pollers' budget, for tests and benchmarks (<see cref="Snapshot"/>), and as the OpenTelemetry-ready instrument
/// <c>dashboard.aws.requests</c> (meter <c>Dashboard.Aws</c>, tags service, action, outcome).
/// </summary>
public sealed class AwsCallStatistics
{
    public const string MeterName = "Dashboard.Aws";

    private readonly ConcurrentDictionary<string, long> _byAction = new(StringComparer.Ordinal);
    private readonly Counter<long> _requests;
    private readonly Counter<long> _throttles;
    private readonly TimeProvider _time;
    private long _elb;
    private long _cloudWatch;
    private long _throttled;
    private long _serverErrors;
    private long _metricsRequested;
    private readonly DateTimeOffset _since;
    private volatile ErrorNote? _lastError;

    public AwsCallStatistics(IMeterFactory meterFactory, TimeProvider time)
    {
        _time = time;
        _since = time.GetUtcNow();
        var meter = meterFactory.Create(MeterName);
        _requests = meter.CreateCounter<long>("dashboard.aws.requests", unit: "{request}", description: "HTTP requests sent to AWS APIs, retries included.");
        _throttles = meter.CreateCounter<long>("dashboard.aws.throttles", unit: "{request}", description: "AWS requests answered with throttling (the poller then backs that service off), by service and action.");
    }

    /// <summary>ELBv2 requests so far (the pollers charge their budget with the growth of this number).</summary>
    public long ElasticLoadBalancingCalls => Interlocked.Read(ref _elb);

    public long CloudWatchCalls => Interlocked.Read(ref _cloudWatch);

    /// <summary>Records the billed units of a successful request (GetMetricData: metrics requested).</summary>
    public void RecordBilledUnits(string service, string action, int units)
    {
        if (service == "CloudWatch" && action == "GetMetricData" && units > 0)
        {
            Interlocked.Add(ref _metricsRequested, units);
        }
    }

    public void Record(string service, string action, AwsCallOutcome outcome, string? error = null)
    {
        _byAction.AddOrUpdate($"{service}:{action}", 1, static (_, n) => n + 1);
        if (service == "ElasticLoadBalancing")
        {
            Interlocked.Increment(ref _elb);
        }
        else if (service == "CloudWatch")
        {
            Interlocked.Increment(ref _cloudWatch);
        }
        if (outcome == AwsCallOutcome.Throttled)
        {
            _throttles.Add(1, new("service", service), new("action", action));
            Interlocked.Increment(ref _throttled);
        }
        else if (outcome == AwsCallOutcome.ServerError)
        {
            Interlocked.Increment(ref _serverErrors);
        }
        if (outcome != AwsCallOutcome.Success)
        {
            _lastError = new ErrorNote($"{service} {action}: {error ?? outcome.ToString()}", _time.GetUtcNow());
        }
        _requests.Add(1, new("service", service), new("action", action), new("outcome", outcome.ToString()));
    }

    public AwsCallCounts Snapshot()
    {
        var error = _lastError;
        return new AwsCallCounts
        {
            ByAction = _byAction.ToImmutableSortedDictionary(StringComparer.Ordinal),
            ElasticLoadBalancing = ElasticLoadBalancingCalls,
            CloudWatch = CloudWatchCalls,
            Throttled = Interlocked.Read(ref _throttled),
            ServerErrors = Interlocked.Read(ref _serverErrors),
            LastError = error?.Message,
            LastErrorAt = error?.At,
            CloudWatchMetricsRequested = Interlocked.Read(ref _metricsRequested),
            Since = _since,
        };
    }

    private sealed record ErrorNote(string Message, DateTimeOffset At);
}
