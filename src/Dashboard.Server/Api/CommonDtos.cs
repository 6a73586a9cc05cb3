namespace Dashboard.Server.Api;

// Shapes shared by several /api/v1 answers. Kinds are spelt as Kubernetes spells them ("Service", "Ingress"); codes are
// the dashboard's stable identifiers, the same the pages use; times are UTC.

/// <summary>A page of a list: the items, and the token that asks for the next page (null on the last page).</summary>
public sealed record ListPage<T>(IReadOnlyList<T> Items, string? Continue);

/// <summary>A Kubernetes object: <c>kind</c> as Kubernetes spells it (<c>Service</c>, <c>Ingress</c>).</summary>
public sealed record ObjectRefDto(string Kind, string Namespace, string Name);

/// <summary>
/// A Kubernetes object that owns (part of) a load balancer, as the topology decides it (one rule for every page and
/// answer). The same values in <c>/load-balancers</c> and <c>/costs</c>: <c>share</c> is the fraction of the balancer the
/// owner accounts for (by requests on a shared Ingress-group ALB, 1 for a sole owner), and so of its cost.
/// </summary>
public sealed record OwnerDto(string Kind, string Namespace, string Name, double Share);

/// <summary>Something to know about an object's configuration: a stable <c>code</c>, <c>severity</c> (info, warning, error), text.</summary>
public sealed record LintDto(string Code, string Severity, string Title, string Detail);

/// <summary>One annotation with what it means (null when the dashboard does not know it).</summary>
public sealed record AnnotationDto(string Name, string Value, string? Meaning);

/// <summary>Health-check settings an object asks for; null members mean the controller's default.</summary>
public sealed record HealthCheckSettingsDto(string? Protocol, string? Path, string? Port, int? IntervalSeconds, int? TimeoutSeconds,
    int? HealthyThreshold, int? UnhealthyThreshold, string? SuccessCodes);

/// <summary>A pod behind a target.</summary>
public sealed record PodDto(string Namespace, string Name, string Phase, bool Ready, int Restarts, string? NodeName,
    string? ReadinessGate, string? ReadinessProbePath, string? ReadinessProbePort);

/// <summary>A node behind an instance target.</summary>
public sealed record NodeDto(string Name, bool Ready, string? Zone, string? InstanceId);

/// <summary>
/// A data source (Kubernetes API, AWS ELBv2, …): <c>state</c> is syncing, live or stale; while stale the answers hold the
/// last known values, as of <c>lastGoodAt</c>.
/// </summary>
public sealed record SourceDto(string Key, string DisplayName, string State, DateTimeOffset? LastGoodAt, string? Message, DateTimeOffset? NextRetryAt);
