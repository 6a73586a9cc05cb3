namespace Dashboard.Client.Model;

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
