namespace Dashboard.Client.Model;

/// <summary>
/// A group-wide setting of an ALB IngressGroup that another member sets: the AWS Load Balancer Controller applies one
/// value to the whole group's balancer, whichever member carries it, so the member is the object to edit. When this
/// Ingress sets a different value too, the controller refuses the group ("conflicting scheme").
/// </summary>
/// <param name="Annotation">The full annotation key.</param>
/// <param name="Value">The member's (effective) value.</param>
/// <param name="Member">The member that sets it, "namespace/name".</param>
/// <param name="OwnValue">This Ingress's own value when it sets one (a conflict when it differs); null when it sets none.</param>
public sealed record GroupSetting(string Annotation, string Value, string Member, string? OwnValue)
{
    /// <summary>True when this Ingress sets a different value: the controller builds nothing for the group.</summary>
    public bool Conflict => OwnValue is not null && !string.Equals(OwnValue, Value, StringComparison.Ordinal);
}
