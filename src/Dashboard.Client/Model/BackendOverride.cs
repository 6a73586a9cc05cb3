namespace Dashboard.Client.Model;

/// <summary>
/// A target-group setting of an ALB Ingress that a backend Service overrides: the AWS Load Balancer Controller reads the
/// Service's <c>alb.ingress.kubernetes.io/*</c> annotation before the Ingress's for that Service's target group, so the
/// Service's value is the effective one and the Service is the object to edit.
/// </summary>
/// <param name="Service">The backend Service (same namespace).</param>
/// <param name="Annotation">The full annotation key.</param>
/// <param name="Value">The Service's (effective) value.</param>
/// <param name="IngressValue">The Ingress's own value, ignored for that Service's target group; null when the Ingress sets none.</param>
public sealed record BackendOverride(string Service, string Annotation, string Value, string? IngressValue);
