namespace Dashboard.Client.Model;

/// <summary>
/// Something that takes capacity from an endpoint, with the endpoint it belongs to and the diagnosis: a target that is not
/// healthy (<see cref="TriageItemKind.Target"/>), a pod that should serve the endpoint but is not a healthy target
/// (<see cref="TriageItemKind.Pod"/>: <see cref="TargetView.Pod"/> names it, <see cref="TargetView.Id"/> is its IP or
/// name), or a target group with no target at all (<see cref="TriageItemKind.NoTargets"/>).
/// </summary>
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
    public TriageItemKind Kind { get; init; } = TriageItemKind.Target;

    /// <summary>The change in the cluster that shortly preceded this failure, when the server saw one.</summary>
    public PrecedingChange? PrecededBy { get; init; }
}

/// <summary>What a triage item stands for.</summary>
public enum TriageItemKind
{
    /// <summary>A registered target AWS reports as not healthy.</summary>
    Target,
    /// <summary>A pod the endpoint's Service selects that is not serving (not ready, pending, crash-looping) and not a listed target.</summary>
    Pod,
    /// <summary>A target group of the endpoint with no registered target at all.</summary>
    NoTargets,
    /// <summary>The endpoint has fewer ready pods than a Deployment behind it desires (<see cref="TargetView.Id"/> is "deployment/{name}").</summary>
    Replicas,
}
