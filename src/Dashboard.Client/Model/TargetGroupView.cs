using System.Collections.Immutable;

namespace Dashboard.Client.Model;

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
