using System.Collections.Immutable;

namespace Dashboard.Server.Kubernetes;

/// <summary>
/// A TargetGroupBinding as the join reads it: the target group ARN and the Service port that feeds it (same namespace).
/// <see cref="ServicePort"/> is the port number or name as written.
/// </summary>
public sealed record TargetGroupBinding(string Namespace, string Name, string TargetGroupArn, string? TargetType, string ServiceName, string? ServicePort)
{
    public ImmutableDictionary<string, string> Labels { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Null when the object lacks the target group ARN or the Service name (nothing to join on).</summary>
    public static TargetGroupBinding? From(TargetGroupBindingResource resource)
    {
        var spec = resource.Spec;
        if (string.IsNullOrEmpty(spec?.TargetGroupArn) || string.IsNullOrEmpty(spec.ServiceRef?.Name))
        {
            return null;
        }
        return new TargetGroupBinding(resource.Metadata.NamespaceProperty ?? "default", resource.Metadata.Name ?? "", spec.TargetGroupArn,
            spec.TargetType?.ToLowerInvariant(), spec.ServiceRef.Name, spec.ServiceRef.Port?.Value)
        {
            Labels = resource.Metadata.Labels is null ? ImmutableDictionary<string, string>.Empty : resource.Metadata.Labels.ToImmutableDictionary(StringComparer.Ordinal),
        };
    }
}
