using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Dashboard.Sandbox.Aws.Emulator;

/// <summary>
/// Every signed request the emulator answered or refused on purpose (faults included), by service and action, as AWS
/// would bill or throttle them: what tests and benchmarks count to prove, say, that several dashboard replicas call AWS
/// no more than one. <c>GET /_sandbox/requests</c> serves the counts (loopback only).
/// </summary>
public sealed class AwsRequestCounter
{
    private readonly ConcurrentDictionary<(string Service, string Action), long> _counts = new();

    public void Add(string service, string action) => _counts.AddOrUpdate((service, action), 1, static (_, count) => count + 1);

    /// <summary>Requests so far by (service, action).</summary>
    public ImmutableDictionary<(string Service, string Action), long> Snapshot() => _counts.ToImmutableDictionary();

    /// <summary>Requests so far to <paramref name="service"/> (e.g. <c>elasticloadbalancing</c>, <c>monitoring</c>, <c>ce</c>).</summary>
    public long Total(string service) => _counts.Where(c => c.Key.Service == service).Sum(c => c.Value);
}

public sealed partial class AwsEmulator
{
    public AwsRequestCounter Requests { get; } = new();

    private void MapRequestsAdmin() =>
        _app.MapGroup(string.Empty).AddEndpointFilter<LoopbackOnlyFilter>()
            .MapGet("/_sandbox/requests", () => Results.Json(Requests.Snapshot().Select(c => new { service = c.Key.Service, action = c.Key.Action, count = c.Value })));
}
