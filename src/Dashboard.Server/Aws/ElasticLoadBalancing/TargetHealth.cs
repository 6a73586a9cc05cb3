namespace Dashboard.Server.Aws.ElasticLoadBalancing;

/// <summary>The health of one registered target of a target group.</summary>
public sealed record TargetHealthDescription
{
    public required TargetDescription Target { get; init; }
    public string? HealthCheckPort { get; init; }
    public required TargetHealth TargetHealth { get; init; }
}

/// <summary>A target: instance id, IP address, Lambda ARN or ALB ARN, with port and zone.</summary>
public sealed record TargetDescription(string Id, int? Port, string? AvailabilityZone);

/// <summary>
/// A target's health: <see cref="State"/>, the reason code (e.g. <c>Target.Timeout</c>,
/// <c>Elb.RegistrationInProgress</c>) and AWS's description. <see cref="RawState"/> keeps the wire value.
/// </summary>
public sealed record TargetHealth(TargetHealthState State, string RawState, string? Reason, string? Description);

/// <summary>ELBv2 <c>TargetHealthStateEnum</c>; <see cref="Unknown"/> for a value this build does not know.</summary>
public enum TargetHealthState
{
    Unknown,
    Initial,
    Healthy,
    Unhealthy,
    UnhealthyDraining,
    Unused,
    Draining,
    Unavailable,
}
