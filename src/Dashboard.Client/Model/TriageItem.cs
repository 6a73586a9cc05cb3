namespace Dashboard.Client.Model;

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
