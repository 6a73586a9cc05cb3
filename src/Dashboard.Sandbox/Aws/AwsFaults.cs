using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Dashboard.Sandbox.Aws;

/// <summary>What a fault does to a matching request.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AwsFaultKind>))]
public enum AwsFaultKind
{
    /// <summary>Answers the service's throttling error (ELBv2/CloudWatch <c>Throttling</c>, Cost Explorer <c>LimitExceededException</c>).</summary>
    Throttle,

    /// <summary>Answers a 5xx (<see cref="AwsFaultRule.StatusCode"/>: 500 InternalFailure or 503 ServiceUnavailable).</summary>
    ServerError,

    /// <summary>Answers normally after <see cref="AwsFaultRule.Latency"/>.</summary>
    Latency,
}

/// <summary>
/// A fault injected into the emulator. <see cref="Service"/> (signing name: <c>elasticloadbalancing</c>,
/// <c>monitoring</c>, <c>ce</c>) and <see cref="Action"/> (e.g. <c>DescribeTargetHealth</c>) narrow it; null matches all.
/// <see cref="Count"/> limits it to the next N matching requests; <see cref="Rate"/> applies it to that share of them.
/// </summary>
public sealed record AwsFaultRule
{
    public required AwsFaultKind Kind { get; init; }
    public string? Service { get; init; }
    public string? Action { get; init; }
    public int? Count { get; init; }
    public double Rate { get; init; } = 1.0;
    public TimeSpan Latency { get; init; }
    public int StatusCode { get; init; } = 500;
}

/// <summary>The outcome of fault evaluation for one request: a delay and, optionally, an error to answer instead.</summary>
public sealed record AwsFaultDecision(TimeSpan Delay, AwsFaultRule? Error)
{
    public static readonly AwsFaultDecision None = new(TimeSpan.Zero, null);
}

/// <summary>
/// Faults on demand for the AWS emulator: tests add rules directly, people through <c>POST /_sandbox/faults</c>.
/// Thread-safe; the random share uses the world's seed so runs repeat.
/// </summary>
public sealed class AwsFaults(int seed = 0)
{
    private readonly Lock _gate = new();
    private readonly Random _random = new(seed);
    private readonly List<(long Id, AwsFaultRule Rule, int? Remaining)> _rules = [];
    private long _nextId;

    /// <summary>Adds a rule and returns its id (for <see cref="Remove"/>).</summary>
    public long Add(AwsFaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (rule.Rate is <= 0 or > 1)
        {
            throw new ArgumentException($"Rate {rule.Rate} must be greater than 0 and at most 1.", nameof(rule));
        }
        if (rule.Count is <= 0)
        {
            throw new ArgumentException($"Count {rule.Count} must be positive, or null for no limit.", nameof(rule));
        }
        if (rule.Kind == AwsFaultKind.ServerError && rule.StatusCode is < 500 or > 599)
        {
            throw new ArgumentException($"StatusCode {rule.StatusCode} of a ServerError fault must be 5xx.", nameof(rule));
        }
        lock (_gate)
        {
            var id = ++_nextId;
            _rules.Add((id, rule, rule.Count));
            return id;
        }
    }

    public bool Remove(long id)
    {
        lock (_gate)
        {
            return _rules.RemoveAll(r => r.Id == id) > 0;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
        }
    }

    public ImmutableArray<(long Id, AwsFaultRule Rule, int? Remaining)> Rules
    {
        get
        {
            lock (_gate)
            {
                return [.. _rules];
            }
        }
    }

    /// <summary>Decides what happens to a request: latency rules add up, the first matching error rule wins.</summary>
    public AwsFaultDecision Evaluate(string service, string action)
    {
        lock (_gate)
        {
            if (_rules.Count == 0)
            {
                return AwsFaultDecision.None;
            }
            var delay = TimeSpan.Zero;
            AwsFaultRule? error = null;
            for (var i = 0; i < _rules.Count; i++)
            {
                var (id, rule, remaining) = _rules[i];
                if ((rule.Service is not null && !string.Equals(rule.Service, service, StringComparison.OrdinalIgnoreCase)) ||
                    (rule.Action is not null && !string.Equals(rule.Action, action, StringComparison.OrdinalIgnoreCase)) ||
                    (rule.Kind != AwsFaultKind.Latency && error is not null) ||
                    (rule.Rate < 1 && _random.NextDouble() >= rule.Rate))
                {
                    continue;
                }
                if (rule.Kind == AwsFaultKind.Latency)
                {
                    delay += rule.Latency;
                }
                else
                {
                    error = rule;
                }
                if (remaining is not null)
                {
                    _rules[i] = (id, rule, remaining - 1);
                }
            }
            _rules.RemoveAll(r => r.Remaining <= 0);
            return new AwsFaultDecision(delay, error);
        }
    }
}
