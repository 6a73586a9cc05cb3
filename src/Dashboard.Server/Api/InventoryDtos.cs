namespace Dashboard.Server.Api;

/// <summary>A row of <c>GET /api/v1/services</c>: a Service with its decoded annotations and lints.</summary>
public sealed record ServiceDto
{
    public required string Kind { get; init; }
    public required string Namespace { get; init; }
    public required string Name { get; init; }
    public required string Uid { get; init; }
    /// <summary>ClusterIP, NodePort, LoadBalancer or ExternalName.</summary>
    public required string Type { get; init; }
    public string? ClusterIp { get; init; }
    public required IReadOnlyList<string> ExternalAddresses { get; init; }
    /// <summary>A LoadBalancer Service whose address has not been assigned yet.</summary>
    public required bool ExternalPending { get; init; }
    public required IReadOnlyList<ServicePortDto> Ports { get; init; }
    public required IReadOnlyDictionary<string, string> Selector { get; init; }
    public required IReadOnlyDictionary<string, string> Labels { get; init; }
    /// <summary>Every annotation with its meaning; known ones first.</summary>
    public required IReadOnlyList<AnnotationDto> Annotations { get; init; }
    /// <summary>What the spec and annotations ask of the load balancer, decoded; null unless type LoadBalancer.</summary>
    public LoadBalancerSettingsDto? LoadBalancer { get; init; }
    public required int ReadyEndpoints { get; init; }
    public required int NotReadyEndpoints { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required IReadOnlyList<LintDto> Lints { get; init; }
}

public sealed record ServicePortDto(string? Name, int Port, string TargetPort, string Protocol, int? NodePort);

/// <summary>A Service's load-balancer settings as decoded from its spec and annotations.</summary>
public sealed record LoadBalancerSettingsDto
{
    /// <summary>awsLoadBalancerController, inTree or other.</summary>
    public required string Controller { get; init; }
    /// <summary>nlb, classic …</summary>
    public required string BalancerType { get; init; }
    public required string Scheme { get; init; }
    public required string TargetType { get; init; }
    public required HealthCheckSettingsDto HealthCheck { get; init; }
    public bool? CrossZone { get; init; }
    public required IReadOnlyList<string> SourceRanges { get; init; }
    public required string ExternalTrafficPolicy { get; init; }
    public string? LoadBalancerClass { get; init; }
    public string? CertificateArn { get; init; }
    public string? TlsPorts { get; init; }
    public required IReadOnlyDictionary<string, string> TargetGroupAttributes { get; init; }
    public required IReadOnlyDictionary<string, string> LoadBalancerAttributes { get; init; }
}

/// <summary>A row of <c>GET /api/v1/ingresses</c>: an Ingress with its decoded ALB settings, annotations and lints.</summary>
public sealed record IngressDto
{
    public required string Kind { get; init; }
    public required string Namespace { get; init; }
    public required string Name { get; init; }
    public required string Uid { get; init; }
    /// <summary>The effective class (the deprecated annotation wins over spec.ingressClassName, as the controller does).</summary>
    public string? IngressClass { get; init; }
    public required bool ClassFromDeprecatedAnnotation { get; init; }
    public string? GroupName { get; init; }
    public int? GroupOrder { get; init; }
    public required IReadOnlyList<IngressRuleDto> Rules { get; init; }
    public IngressBackendDto? DefaultBackend { get; init; }
    public required IReadOnlyList<IngressTlsDto> Tls { get; init; }
    public string? CertificateArn { get; init; }
    public string? Scheme { get; init; }
    public string? TargetType { get; init; }
    /// <summary>listen-ports as written, e.g. <c>[{"HTTP":80},{"HTTPS":443}]</c>.</summary>
    public string? ListenPorts { get; init; }
    public string? SslRedirect { get; init; }
    public string? WafAclArn { get; init; }
    public required IReadOnlyList<string> InboundCidrs { get; init; }
    public required HealthCheckSettingsDto HealthCheck { get; init; }
    /// <summary>Target-group settings a backend Service's own alb.* annotation overrides: the Service's value is the effective one.</summary>
    public IReadOnlyList<BackendOverrideDto> BackendOverrides { get; init; } = [];
    /// <summary>Group-wide settings another member of its IngressGroup sets: the effective value and the member to edit.</summary>
    public IReadOnlyList<GroupSettingDto> GroupSettings { get; init; } = [];
    public required IReadOnlyDictionary<string, string> TargetGroupAttributes { get; init; }
    public required IReadOnlyList<string> Addresses { get; init; }
    public required IReadOnlyDictionary<string, string> Labels { get; init; }
    public required IReadOnlyList<AnnotationDto> Annotations { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required IReadOnlyList<LintDto> Lints { get; init; }
    /// <summary>Set while the Ingress is being deleted but its finalizers still hold it (a deleting Ingress still serves).</summary>
    public DeletionDto? Deletion { get; init; }
}

/// <summary>An object being deleted: when the delete was asked for and what still holds it.</summary>
/// <param name="Since">metadata.deletionTimestamp.</param>
/// <param name="Finalizers">metadata.finalizers still on the object; empty when only a grace period holds it.</param>
public sealed record DeletionDto(DateTimeOffset Since, IReadOnlyList<string> Finalizers);

public sealed record IngressRuleDto(string? Host, IReadOnlyList<IngressPathDto> Paths);

public sealed record IngressPathDto(string Path, string PathType, IngressBackendDto Backend);

/// <summary>A backend: a Service and port (number or name); both null for a resource or annotation action.</summary>
public sealed record IngressBackendDto(string? ServiceName, string? ServicePort);

public sealed record IngressTlsDto(IReadOnlyList<string> Hosts, string? SecretName);

/// <summary>A backend Service's alb.* annotation that overrides the Ingress's for its target group: <c>value</c> applies, <c>ingressValue</c> (if any) is ignored.</summary>
public sealed record BackendOverrideDto(string Service, string Annotation, string Value, string? IngressValue);

/// <summary>A group-wide setting (<c>annotation</c>) another member (<c>member</c>, "namespace/name") sets to <c>value</c>, which applies to this Ingress too; <c>ownValue</c> is this Ingress's own (a <c>conflict</c> when it differs).</summary>
public sealed record GroupSettingDto(string Annotation, string Value, string Member, string? OwnValue, bool Conflict);
