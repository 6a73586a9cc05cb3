using System.Collections.Immutable;
using Dashboard.Client.Feed;

namespace Dashboard.Client.Model;

/// <summary>
/// One incident of one endpoint: a spell during which Triage listed something that takes its capacity (an item of
/// severity outage, degraded or stuck — notices such as a rollout's draining targets are not incidents). When it
/// started, what it was (the causes seen, the worst severity, the targets and pods involved), and when it cleared. The
/// polling leader records incidents in the state store, so the history is the same on every replica and survives a
/// restart or a failover (docs/triage.md, "Incident history"). Keyed by <see cref="Id"/>.
/// </summary>
public sealed record EndpointIncident
{
    /// <summary>Bounds: targets and causes kept per incident.</summary>
    public const int MaxTargets = 20;
    public const int MaxCauses = 10;

    public string Key => Id;

    /// <summary>"{endpoint key}@{start, Unix milliseconds}": unique, and stable across replicas.</summary>
    public required string Id { get; init; }

    public required ObjectRef Endpoint { get; init; }

    /// <summary>When capacity was first lost: the earliest time in state of the items that opened it (else when it was seen).</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When the recorder first saw the endpoint with nothing listed; null while open.</summary>
    public DateTimeOffset? ClearedAt { get; init; }

    /// <summary>The last time the recorder saw it open (renewed about once a minute while open).</summary>
    public required DateTimeOffset LastSeenAt { get; init; }

    /// <summary>The worst severity it reached.</summary>
    public required TriageSeverity Severity { get; init; }

    /// <summary>The title of the first diagnosis at its worst severity: what it was, in one line.</summary>
    public required string Summary { get; init; }

    /// <summary>Every distinct cause seen, in the order first seen (at most <see cref="MaxCauses"/>).</summary>
    public ImmutableArray<IncidentCause> Causes { get; init; } = [];

    /// <summary>The targets and pods involved, in the order first seen (at most <see cref="MaxTargets"/>).</summary>
    public ImmutableArray<IncidentTarget> Targets { get; init; } = [];

    /// <summary>The most items listed at once.</summary>
    public int PeakItems { get; init; }

    /// <summary>The load balancers the items sat behind, by name.</summary>
    public ImmutableArray<string> LoadBalancers { get; init; } = [];

    /// <summary>The replica that opened it (and, after a failover, the one that closed it, in <see cref="ClearedBy"/>).</summary>
    public required string OpenedBy { get; init; }

    public string? ClearedBy { get; init; }

    /// <summary>The change in the cluster that shortly preceded it (kept from the first item that named one).</summary>
    public PrecedingChange? PrecededBy { get; init; }

    public bool Open => ClearedAt is null;

    /// <summary>
    /// True when nobody watched between the last time it was seen open and when it was seen cleared for longer than a
    /// minute (a restart, or every replica down): it cleared somewhere in between.
    /// </summary>
    public bool ClearedWhileUnwatched => ClearedAt is { } cleared && cleared - LastSeenAt > TimeSpan.FromMinutes(1.5);

    /// <summary>How long it lasted, or has lasted until <paramref name="now"/>.</summary>
    public TimeSpan Duration(DateTimeOffset now) => ((ClearedAt ?? now) - StartedAt) is var d && d > TimeSpan.Zero ? d : TimeSpan.Zero;

    /// <summary>A kind the host does not compute: no incidents, now or later (the default of <see cref="IDashboardFeed.Incidents"/>).</summary>
    public static IFeed<EndpointIncident> NoHistory { get; } = new NoIncidents();

    private sealed class NoIncidents : IFeed<EndpointIncident>
    {
        public ImmutableArray<EndpointIncident> Snapshot => [];

        public FeedSubscription<EndpointIncident> Subscribe(CancellationToken cancellationToken) => new([], NoChangesAsync(cancellationToken));

        private static async IAsyncEnumerable<IReadOnlyList<FeedChange<EndpointIncident>>> NoChangesAsync(
            [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            yield break;
        }
    }
}

/// <summary>One cause an incident had: the diagnosis code and title, its severity, and when it was first seen.</summary>
public sealed record IncidentCause(string Code, string Title, TriageSeverity Severity, DateTimeOffset FirstSeenAt);

/// <summary>A target or pod involved: its id and port, target group, the state and reason it had when first seen, and its cause.</summary>
public sealed record IncidentTarget(string Id, int Port, string TargetGroupName, string State, string? Reason, string Code, DateTimeOffset FirstSeenAt)
{
    public TriageItemKind Kind { get; init; } = TriageItemKind.Target;

    /// <summary>The pod behind the target, "namespace/name", when known.</summary>
    public string? Pod { get; init; }
}
