using System.Collections.Immutable;

namespace Dashboard.Client.Model;

/// <summary>An Ingress as an operator thinks of it. Immutable; the feed replaces it on every change.</summary>
public sealed record IngressViewModel
{
    public string Key => $"{Namespace}/{Name}";
    public required string Uid { get; init; }
    public required string Namespace { get; init; }
    public required string Name { get; init; }
    /// <summary>The effective class: the deprecated annotation wins over spec.ingressClassName, as the controller does.</summary>
    public string? IngressClass { get; init; }
    /// <summary>True when the class comes from the deprecated kubernetes.io/ingress.class annotation.</summary>
    public bool ClassFromDeprecatedAnnotation { get; init; }
    /// <summary>alb.ingress.kubernetes.io/group.name, when set.</summary>
    public string? GroupName { get; init; }
    public int? GroupOrder { get; init; }
    public ImmutableArray<IngressRuleView> Rules { get; init; } = [];
    /// <summary>spec.defaultBackend, as "service:port".</summary>
    public IngressBackendView? DefaultBackend { get; init; }
    public ImmutableArray<IngressTlsView> Tls { get; init; } = [];
    public string? CertificateArn { get; init; }
    public string? Scheme { get; init; }
    public string? TargetType { get; init; }
    /// <summary>listen-ports as written, e.g. [{"HTTP":80},{"HTTPS":443}].</summary>
    public string? ListenPorts { get; init; }
    /// <summary>
    /// The listeners the controller makes for this Ingress: listen-ports, else HTTPS 443 with certificate-arn, else HTTP 80;
    /// empty when listen-ports is invalid.
    /// </summary>
    public ImmutableArray<IngressListenerView> Listeners { get; init; } = [];
    public string? SslRedirect { get; init; }
    public string? WafAclArn { get; init; }
    public ImmutableArray<string> InboundCidrs { get; init; } = [];
    public HealthCheckFacts HealthCheck { get; init; } = new();
    /// <summary>Target-group settings a backend Service's own annotation overrides (effective value and where it comes from).</summary>
    public ImmutableArray<BackendOverride> BackendOverrides { get; init; } = [];

    /// <summary>Group-wide settings (scheme, ssl-redirect, WAF…) another member of its IngressGroup sets: their effective value and the member to edit.</summary>
    public ImmutableArray<GroupSetting> GroupSettings { get; init; } = [];
    public ImmutableDictionary<string, string> TargetGroupAttributes { get; init; } = ImmutableDictionary<string, string>.Empty;
    public ImmutableArray<string> Addresses { get; init; } = [];
    public ImmutableDictionary<string, string> Labels { get; init; } = ImmutableDictionary<string, string>.Empty;
    public ImmutableDictionary<string, string> Annotations { get; init; } = ImmutableDictionary<string, string>.Empty;
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>Set while the Ingress is being deleted but its finalizers still hold it.</summary>
    public ObjectDeletion? Deletion { get; init; }
    public ImmutableArray<Lint> Lints { get; init; } = [];
}

public sealed record IngressRuleView(string? Host, ImmutableArray<IngressPathView> Paths);

public sealed record IngressPathView(string Path, string PathType, IngressBackendView Backend);

/// <summary>A backend: a Service and port (number or name), or a resource / annotation action.</summary>
public sealed record IngressBackendView(string? ServiceName, string? ServicePort)
{
    public override string ToString() => ServiceName is null ? "(resource)" : $"{ServiceName}:{ServicePort}";
}

/// <summary>One listener of the Ingress's ALB; <paramref name="FromDefault"/> when listen-ports is not set.</summary>
public sealed record IngressListenerView(string Protocol, int Port, bool FromDefault)
{
    public override string ToString() => $"{Protocol}:{Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}

public sealed record IngressTlsView(ImmutableArray<string> Hosts, string? SecretName);
