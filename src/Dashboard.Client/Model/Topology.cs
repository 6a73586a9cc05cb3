using System.Collections.Immutable;

namespace Dashboard.Client.Model;

// The joined view of Kubernetes and AWS: object → load balancer → listener/rule → target group → target → pod/node.
// Produced on the server by the pure topology join; consumed by the Load balancers, Endpoint and Triage pages.

/// <summary>A reference to a Kubernetes object a page can link to.</summary>
public sealed record ObjectRef(ObjectKind Kind, string Namespace, string Name)
{
    public string Key => $"{Kind}/{Namespace}/{Name}";
    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()}/{Namespace}/{Name}";
}

/// <summary>How a Kubernetes object was tied to an AWS resource, in order of trust.</summary>
public enum LinkSource { TargetGroupBinding, ControllerTags, StatusHostname }

[Flags]
public enum LoadBalancerFlags
{
    None = 0,
    /// <summary>Tagged for this cluster, but the owning object is gone.</summary>
    Orphan = 1,
    /// <summary>Live AWS configuration differs from what the annotations ask for.</summary>
    Drift = 2,
    /// <summary>Every registered target is unhealthy (an ALB fails open).</summary>
    AllUnhealthy = 4,
    /// <summary>No target registered at all.</summary>
    NoTargets = 8,
    /// <summary>Shared by several Ingresses of one group.</summary>
    Shared = 16,
}

/// <summary>One load balancer with its owners and a health summary.</summary>
public sealed record LoadBalancerViewModel
{
    public string Key => Arn;
    public required string Arn { get; init; }
    public required string Name { get; init; }
    /// <summary>"application" or "network".</summary>
    public required string Type { get; init; }
    public required string Scheme { get; init; }
    /// <summary>provisioning, active, active_impaired, failed.</summary>
    public required string State { get; init; }
    public required string DnsName { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    /// <summary>Who owns the balancer, each with its share; empty when no live object does.</summary>
    public ImmutableArray<BalancerOwner> Owners { get; init; } = [];
    /// <summary>The owner the controller's tags name, live or not (an orphan's former owner); null when the tags name none.</summary>
    public ObjectRef? TaggedOwner { get; init; }
    /// <summary>The explicit Ingress group (<c>alb.ingress.kubernetes.io/group.name</c>) the balancer serves, if any.</summary>
    public string? IngressGroup { get; init; }
    /// <summary>The EKS cluster the balancer's tags name, if any.</summary>
    public string? Cluster { get; init; }
    public LinkSource? LinkedBy { get; init; }
    public ImmutableArray<ListenerView> Listeners { get; init; } = [];
    public ImmutableArray<TargetGroupView> TargetGroups { get; init; } = [];
    public ImmutableDictionary<string, string> Attributes { get; init; } = ImmutableDictionary<string, string>.Empty;
    public ImmutableDictionary<string, string> Tags { get; init; } = ImmutableDictionary<string, string>.Empty;
    public int HealthyTargets { get; init; }
    public int TotalTargets { get; init; }
    public LoadBalancerFlags Flags { get; init; }
    public ImmutableArray<DriftItem> Drift { get; init; } = [];
    /// <summary>When the AWS data behind this row was read.</summary>
    public DateTimeOffset? AsOf { get; init; }
}

public sealed record ListenerView(string Arn, string Protocol, int Port, string? CertificateArn, string DefaultAction, ImmutableArray<RuleView> Rules);

/// <summary>A listener rule: conditions and where it sends traffic; <see cref="Member"/> is the Ingress of a group that owns it.</summary>
public sealed record RuleView(string Arn, string Priority, ImmutableArray<string> Conditions, ImmutableArray<ForwardView> Forwards, string? OtherAction, ObjectRef? Member);

public sealed record ForwardView(string TargetGroupArn, string TargetGroupName, int? Weight);

/// <summary>A target group with its health-check configuration, attributes and targets.</summary>
public sealed record TargetGroupView
{
    public string Key => Arn;
    public required string Arn { get; init; }
    public required string Name { get; init; }
    public required string Protocol { get; init; }
    public required int Port { get; init; }
    /// <summary>"ip" or "instance".</summary>
    public required string TargetType { get; init; }
    public required HealthCheckView HealthCheck { get; init; }
    public ImmutableDictionary<string, string> Attributes { get; init; } = ImmutableDictionary<string, string>.Empty;
    /// <summary>The Service (and port) the target group serves.</summary>
    public ObjectRef? Service { get; init; }
    public string? ServicePort { get; init; }
    /// <summary>For Ingress groups: the member Ingress this target group belongs to.</summary>
    public ObjectRef? Member { get; init; }
    public LinkSource? LinkedBy { get; init; }
    public ImmutableArray<TargetView> Targets { get; init; } = [];
    public ImmutableArray<DriftItem> Drift { get; init; } = [];
    public DateTimeOffset? HealthAsOf { get; init; }
}

public sealed record HealthCheckView(string Protocol, string? Path, string Port, int IntervalSeconds, int TimeoutSeconds, int HealthyThreshold, int UnhealthyThreshold, string? Matcher);

/// <summary>One registered target and what it is in Kubernetes.</summary>
public sealed record TargetView
{
    public required string Id { get; init; }
    public required int Port { get; init; }
    public string? Zone { get; init; }
    /// <summary>initial, healthy, unhealthy, unused, draining, unavailable.</summary>
    public required string State { get; init; }
    public string? Reason { get; init; }
    public string? Description { get; init; }
    /// <summary>When the target entered its current state, as far as the dashboard has observed.</summary>
    public DateTimeOffset? Since { get; init; }
    public PodView? Pod { get; init; }
    public NodeView? Node { get; init; }
}

public sealed record PodView(string Namespace, string Name, string Phase, bool Ready, int Restarts, string? NodeName, string? ReadinessGate, string? ReadinessProbePath, string? ReadinessProbePort);

public sealed record NodeView(string Name, bool Ready, string? Zone, string? InstanceId);

/// <summary>A difference between what the annotations ask for and what AWS runs.</summary>
public sealed record DriftItem(string Setting, string Desired, string Actual, string Annotation);

public enum CheckState { Pass, Warn, Fail, Unknown }

/// <summary>One line of the endpoint checklist (balancer exists, address assigned, health, TLS, DNS, WAF, monitoring).</summary>
public sealed record ChecklistItem(string Code, string Title, CheckState State, string Reason);

/// <summary>Everything the endpoint detail page shows for one Service or Ingress.</summary>
public sealed record EndpointViewModel
{
    public string Key => Object.Key;
    public required ObjectRef Object { get; init; }
    public ImmutableArray<LoadBalancerViewModel> LoadBalancers { get; init; } = [];
    public ImmutableArray<ChecklistItem> Checklist { get; init; } = [];
    public ImmutableArray<Diagnosis> Diagnoses { get; init; } = [];
    public ImmutableArray<EventView> Events { get; init; } = [];
    /// <summary>Why the object has no balancer although it should (controller Warning events), when so.</summary>
    public string? MissingBalancerReason { get; init; }
    public DateTimeOffset? AsOf { get; init; }
}

public enum TriageSeverity
{
    /// <summary>Every target of the endpoint unhealthy: an outage (an ALB fails open).</summary>
    Outage = 0,
    /// <summary>Some targets unhealthy.</summary>
    Degraded = 1,
    /// <summary>Draining or initial longer than expected.</summary>
    Stuck = 2,
    /// <summary>Not in use / unavailable.</summary>
    Notice = 3,
}

/// <summary>A reasoned explanation of why a target is not healthy, with the evidence it rests on.</summary>
public sealed record Diagnosis(string Code, string Title, ImmutableArray<string> Evidence, string Fix);

/// <summary>A target that is not healthy, with the endpoint it belongs to and the diagnosis.</summary>
public sealed record TriageItem
{
    /// <summary>"{target group arn}|{target id}:{port}".</summary>
    public string Key => $"{TargetGroupArn}|{Target.Id}:{Target.Port}";
    public required ObjectRef Endpoint { get; init; }
    public required TriageSeverity Severity { get; init; }
    public required string LoadBalancerName { get; init; }
    public required string TargetGroupArn { get; init; }
    public required string TargetGroupName { get; init; }
    public required TargetView Target { get; init; }
    public required Diagnosis Diagnosis { get; init; }
    public DateTimeOffset? AsOf { get; init; }
}
