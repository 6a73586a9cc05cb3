namespace Dashboard.Sandbox.Aws;

/// <summary>Target health state, as the API spells it in lower case.</summary>
public enum TargetHealthState
{
    Initial,
    Healthy,
    Unhealthy,
    Unused,
    Draining,
    Unavailable,
}

/// <summary>
/// The health of one registered target. <see cref="Reason"/> is an ELB reason code such as
/// <c>Target.ResponseCodeMismatch</c>; <see cref="Since"/> is when this state began (not on the wire, used by metrics).
/// </summary>
public sealed record TargetHealth(TargetHealthState State, string? Reason, string? Description, DateTimeOffset Since)
{
    public static TargetHealth Healthy(DateTimeOffset since) => new(TargetHealthState.Healthy, null, null, since);

    public static TargetHealth RegistrationInProgress(DateTimeOffset since) =>
        new(TargetHealthState.Initial, "Elb.RegistrationInProgress", "Target registration is in progress", since);
}

/// <summary>A target to register: an instance id or an IP address, with port and optional zone.</summary>
public sealed record TargetDescription(string Id, int Port, string? AvailabilityZone = null);

/// <summary>A registered target and its current health (<c>DescribeTargetHealth</c>).</summary>
public sealed record RegisteredTarget
{
    public required string Id { get; init; }
    public required int Port { get; init; }
    public string? AvailabilityZone { get; init; }
    public required TargetHealth Health { get; init; }

    /// <summary>When the target was (last) registered.</summary>
    public required DateTimeOffset RegisteredTime { get; init; }
}
