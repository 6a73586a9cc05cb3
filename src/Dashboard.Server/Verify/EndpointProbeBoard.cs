using System.Collections.Immutable;
using Dashboard.Client.Verify;

namespace Dashboard.Server.Verify;

/// <summary>The last smoke test of an endpoint, as the checklist needs it.</summary>
public sealed record SmokeOutcome(string Id, DateTimeOffset At, bool Passed, string Summary, string RunBy);

/// <summary>What the dashboard last saw when it sent traffic to an endpoint: the last Verify and the last smoke test.</summary>
public sealed record EndpointProbes(VerifyResult? LastVerify, SmokeOutcome? LastSmoke);

/// <summary>
/// The last Verify and smoke test per endpoint (key <see cref="Client.Model.ObjectRef.Key"/>), for the checklist's
/// "answers" and "smoke test passed" rows: the topology join reads <see cref="Snapshot"/> like any other input, and
/// <see cref="Changed"/> asks it to recompute.
/// </summary>
public sealed class EndpointProbeBoard
{
    private ImmutableDictionary<string, EndpointProbes> _probes = ImmutableDictionary<string, EndpointProbes>.Empty.WithComparers(StringComparer.Ordinal);

    public ImmutableDictionary<string, EndpointProbes> Snapshot => Volatile.Read(ref _probes);

    /// <summary>Raised after every record.</summary>
    public event Action? Changed;

    public void RecordVerify(VerifyResult result) =>
        Update(result.Endpoint.Key, p => p with { LastVerify = result });

    public void RecordSmoke(string endpointKey, SmokeOutcome outcome) =>
        Update(endpointKey, p => p with { LastSmoke = outcome });

    private void Update(string key, Func<EndpointProbes, EndpointProbes> change)
    {
        ImmutableInterlocked.AddOrUpdate(ref _probes, key, _ => change(new EndpointProbes(null, null)), (_, old) => change(old));
        Changed?.Invoke();
    }
}
