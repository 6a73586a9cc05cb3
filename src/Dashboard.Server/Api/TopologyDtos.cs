namespace Dashboard.Server.Api;

/// <summary>A row of <c>GET /api/v1/load-balancers</c>: one balancer, who owns it, its listeners, target groups and health.</summary>
public sealed record LoadBalancerDto
{
    public required string Name { get; init; }
    public required string Arn { get; init; }
    /// <summary>application or network.</summary>
    public required string Type { get; init; }
    public required string Scheme { get; init; }
    public required string DnsName { get; init; }
    /// <summary>provisioning, active, active_impaired, failed.</summary>
    public required string State { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    /// <summary>The Kubernetes objects that own the balancer, as the topology decides (the same in <c>/costs</c>).</summary>
    public required IReadOnlyList<OwnerDto> Owners { get; init; }
    /// <summary>How the owners were found: targetGroupBinding, controllerTags, statusHostname; null when none was.</summary>
    public string? LinkedBy { get; init; }
    public required IReadOnlyList<ListenerDto> Listeners { get; init; }
    public required IReadOnlyList<TargetGroupDto> TargetGroups { get; init; }
    public required int HealthyTargets { get; init; }
    public required int TotalTargets { get; init; }
    /// <summary>Any of orphan, drift, allUnhealthy, noTargets, shared.</summary>
    public required IReadOnlyList<string> Flags { get; init; }
    public required IReadOnlyList<DriftDto> Drift { get; init; }
    public required IReadOnlyDictionary<string, string> Attributes { get; init; }
    public required IReadOnlyDictionary<string, string> Tags { get; init; }
    /// <summary>When the AWS data behind this row was read (its age).</summary>
    public DateTimeOffset? AsOf { get; init; }
}

public sealed record ListenerDto(string Arn, string Protocol, int Port, string? CertificateArn, string DefaultAction, IReadOnlyList<ListenerRuleDto> Rules);

/// <summary>A listener rule; <c>member</c> is the Ingress of a group that owns it.</summary>
public sealed record ListenerRuleDto(string Arn, string Priority, IReadOnlyList<string> Conditions, IReadOnlyList<ForwardDto> Forwards, string? OtherAction, ObjectRefDto? Member);

public sealed record ForwardDto(string TargetGroupArn, string TargetGroupName, int? Weight);

/// <summary>A target group with its health check, the Service it serves and its targets.</summary>
public sealed record TargetGroupDto
{
    public required string Arn { get; init; }
    public required string Name { get; init; }
    public required string Protocol { get; init; }
    public required int Port { get; init; }
    /// <summary>ip or instance.</summary>
    public required string TargetType { get; init; }
    public required HealthCheckDto HealthCheck { get; init; }
    public required IReadOnlyDictionary<string, string> Attributes { get; init; }
    public ObjectRefDto? Service { get; init; }
    public string? ServicePort { get; init; }
    public ObjectRefDto? Member { get; init; }
    public string? LinkedBy { get; init; }
    public required int HealthyTargets { get; init; }
    public required int TotalTargets { get; init; }
    public required IReadOnlyList<TargetDto> Targets { get; init; }
    public required IReadOnlyList<DriftDto> Drift { get; init; }
    /// <summary>When target health was read.</summary>
    public DateTimeOffset? HealthAsOf { get; init; }
}

/// <summary>A target group's health check as AWS runs it.</summary>
public sealed record HealthCheckDto(string Protocol, string? Path, string Port, int IntervalSeconds, int TimeoutSeconds, int HealthyThreshold, int UnhealthyThreshold, string? Matcher);

/// <summary>A registered target: state (initial, healthy, unhealthy, unused, draining, unavailable), since when, and what it is.</summary>
public sealed record TargetDto(string Id, int Port, string? Zone, string State, string? Reason, string? Description, DateTimeOffset? Since, PodDto? Pod, NodeDto? Node);

/// <summary>A difference between what the annotations ask for and what AWS runs.</summary>
/// <remarks><c>why</c> says why AWS differs, <c>matters</c> is false when the difference changes nothing AWS does, <c>fix</c> what to change.</remarks>
public sealed record DriftDto(string Setting, string Desired, string Actual, string Annotation, string? Why = null, bool Matters = true, string? Fix = null);

/// <summary><c>GET /api/v1/endpoints/{kind}/{namespace}/{name}</c>: a Service or Ingress, its chain, checklist and diagnoses.</summary>
public sealed record EndpointDto
{
    public required ObjectRefDto Object { get; init; }
    /// <summary>The chain: balancers → listeners/rules → target groups → targets → pods/nodes.</summary>
    public required IReadOnlyList<LoadBalancerDto> LoadBalancers { get; init; }
    public required IReadOnlyList<ChecklistItemDto> Checklist { get; init; }
    public required IReadOnlyList<DiagnosisDto> Diagnoses { get; init; }
    public required IReadOnlyList<EventDto> Events { get; init; }
    /// <summary>Why the object has no balancer although it should (controller Warning events), when so.</summary>
    public string? MissingBalancerReason { get; init; }
    public DateTimeOffset? AsOf { get; init; }
}

/// <summary>A checklist line; <c>state</c> is pass, warn, fail or unknown.</summary>
public sealed record ChecklistItemDto(string Code, string Title, string State, string Reason);

/// <summary>Why a target is not healthy: a stable <c>code</c>, the evidence and the fix.</summary>
/// <remarks><c>fixObject</c> is the object to edit (the effective one), <c>fixCommand</c> a command that applies the fix; both are null unless the diagnosis names them.</remarks>
public sealed record DiagnosisDto(string Code, string Title, IReadOnlyList<string> Evidence, string Fix, ObjectRefDto? FixObject = null, string? FixCommand = null);

public sealed record EventDto(string Type, string Reason, string Message, string Source, int Count, DateTimeOffset? LastSeen, string InvolvedObject);

/// <summary>
/// A card of <c>GET /api/v1/triage</c>: one endpoint and one cause, with every target that has that cause.
/// <c>severity</c> is outage, degraded, stuck or notice (most severe of its targets).
/// </summary>
public sealed record TriageCardDto
{
    public required ObjectRefDto Endpoint { get; init; }
    public required string Severity { get; init; }
    public required CauseDto Cause { get; init; }
    /// <summary>When the earliest of its targets entered its state, as far as the dashboard observed.</summary>
    public DateTimeOffset? Since { get; init; }
    public required IReadOnlyList<TriageTargetDto> Targets { get; init; }
    /// <summary>The pods behind those targets, each once.</summary>
    public required IReadOnlyList<PodDto> Pods { get; init; }
    /// <summary>The evidence of the diagnosis, each line once.</summary>
    public required IReadOnlyList<string> Evidence { get; init; }
    public required FixDto Fix { get; init; }
    /// <summary>The oldest AWS read behind the card: the card is true as of this time.</summary>
    public DateTimeOffset? FreshAsOf { get; init; }
    /// <summary>The change in the cluster that shortly preceded the failure, when the server saw one.</summary>
    public PrecedingChangeDto? PrecededBy { get; init; }
}

/// <summary>
/// The change that came shortly before a failure began: <c>text</c> says it ("started 28 s after `healthcheck-path`
/// changed from /ready to /nope on Service payments/api"); <c>kind</c> is annotation, field, rollout or scale; <c>field</c>
/// the annotation's short name or the spec field; <c>from</c>/<c>to</c> the values (null: absent); <c>leadSeconds</c> how
/// long before the start it was seen.
/// </summary>
public sealed record PrecedingChangeDto(string Text, string Kind, DateTimeOffset At, double LeadSeconds, ObjectRefDto Object, string? Field, string? From, string? To)
{
    public static PrecedingChangeDto? Of(Dashboard.Client.Model.PrecedingChange? change) => change is null ? null : new(
        change.Text.English,
        char.ToLowerInvariant(change.Kind.ToString()[0]) + change.Kind.ToString()[1..],
        change.At.ToUniversalTime(),
        Math.Round(change.Lead.TotalSeconds),
        new ObjectRefDto(change.ObjectKind, change.Namespace, change.Name),
        change.Field,
        change.From,
        change.To);
}

/// <summary>The cause of a card: a stable machine <c>code</c> and its title.</summary>
public sealed record CauseDto(string Code, string Title);

/// <summary>What to do: <c>text</c> always; <c>object</c> (the object to edit) and <c>command</c> when the diagnosis names them.</summary>
public sealed record FixDto(ObjectRefDto? Object, string? Command, string Text);

/// <summary>A target of a triage card, with the balancer and target group it is registered in.</summary>
/// <remarks><c>kind</c>: <c>target</c> (a registered target AWS reports not healthy), <c>pod</c> (a pod the Service selects that is not
/// serving and not a listed target: <c>id</c> is its IP or name, <c>state</c> "not serving"), <c>noTargets</c> (the target group has none).</remarks>
public sealed record TriageTargetDto(string LoadBalancer, string TargetGroupArn, string TargetGroupName, string Id, int Port, string? Zone,
    string State, string? Reason, string? Description, DateTimeOffset? Since, string Kind = "target");
