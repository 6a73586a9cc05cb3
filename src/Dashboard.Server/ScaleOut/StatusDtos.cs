namespace Dashboard.Server.ScaleOut;

/// <summary>
/// <c>GET /api/v1/status</c>: which replica answered, whether it polls AWS, who holds the Lease, and every data source's
/// state. Scripts and probes read it to see where the data comes from and how old it is.
/// </summary>
/// <param name="Replica">This replica's identity, as written in the Lease.</param>
/// <param name="Leader">True when this replica polls AWS and Cost Explorer.</param>
/// <param name="LeaseHolder">The replica holding the Lease as last observed (this one with a single replica); null while none does.</param>
/// <param name="Election"><c>lease</c> (a Kubernetes Lease decides) or <c>single</c> (one replica, always polling).</param>
/// <param name="Lease">The Lease as <c>namespace/name</c>; null without election.</param>
/// <param name="Store">The state store (<c>SQLite …</c> or <c>PostgreSQL host:port/database</c>).</param>
/// <param name="Published">On a follower, or after a warm start until this replica publishes itself: who published the AWS snapshot it serves, and when.</param>
/// <param name="Sources">Every data source: its state, when it last answered, why it fails.</param>
public sealed record StatusDto(
    string Replica,
    bool Leader,
    string? LeaseHolder,
    string Election,
    string? Lease,
    string Store,
    PublishedDto? Published,
    IReadOnlyList<StatusSourceDto> Sources);

/// <param name="Replica">The replica that read AWS and published the snapshot.</param>
/// <param name="PublishedAt">When it was published.</param>
/// <param name="AgeSeconds">Seconds since then, as this replica answers.</param>
/// <param name="ListedAt">When its load balancers were last listed.</param>
public sealed record PublishedDto(string Replica, DateTimeOffset PublishedAt, double AgeSeconds, DateTimeOffset? ListedAt);

/// <param name="Name">The source's key: <c>kubernetes</c>, <c>aws</c>, <c>costs</c>, …</param>
/// <param name="DisplayName">What the UI calls it.</param>
/// <param name="State"><c>syncing</c>, <c>live</c> or <c>stale</c>.</param>
/// <param name="LastGoodAt">When it last answered successfully.</param>
/// <param name="Error">Why it is stale or where its data comes from; null when live and local.</param>
/// <param name="Scope">What the source reads: the AWS region (<c>us-east-1</c>), the Kubernetes context; null when there is no choice.</param>
public sealed record StatusSourceDto(string Name, string DisplayName, string State, DateTimeOffset? LastGoodAt, string? Error, string? Scope = null);
