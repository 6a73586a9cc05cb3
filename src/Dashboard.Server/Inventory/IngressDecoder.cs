using System.Globalization;
using Dashboard.Client.Model;
using k8s.Models;

namespace Dashboard.Server.Inventory;

/// <summary>V1Ingress → <see cref="IngressViewModel"/>, reading the AWS Load Balancer Controller's alb.* annotations. Pure.</summary>
public static class IngressDecoder
{
    public const string DeprecatedClassAnnotation = "kubernetes.io/ingress.class";
    public const string Prefix = "alb.ingress.kubernetes.io/";
    public const string SchemeAnnotation = Prefix + "scheme";
    public const string InboundCidrsAnnotation = Prefix + "inbound-cidrs";
    public const string AlbIngressController = "ingress.k8s.aws/alb";

    public static IngressViewModel Decode(V1Ingress ingress)
    {
        var meta = ingress.Metadata;
        var a = meta.Annotations;
        var spec = ingress.Spec ?? new V1IngressSpec();
        var deprecatedClass = AnnotationValues.Get(a, DeprecatedClassAnnotation);
        return new IngressViewModel
        {
            Uid = meta.Uid ?? "",
            Namespace = meta.NamespaceProperty ?? "default",
            Name = meta.Name ?? "",
            Deletion = ObjectDeletion.Of(meta.DeletionTimestamp, meta.Finalizers),
            IngressClass = deprecatedClass ?? spec.IngressClassName,
            ClassFromDeprecatedAnnotation = deprecatedClass is not null,
            GroupName = AnnotationValues.Get(a, Prefix + "group.name"),
            GroupOrder = AnnotationValues.Int(AnnotationValues.Get(a, Prefix + "group.order")),
            Rules = [.. (spec.Rules ?? []).Select(r => new IngressRuleView(
                string.IsNullOrEmpty(r.Host) ? null : r.Host,
                [.. (r.Http?.Paths ?? []).Select(p => new IngressPathView(p.Path ?? "/", p.PathType ?? "ImplementationSpecific", Backend(p.Backend)))]))],
            DefaultBackend = spec.DefaultBackend is { } backend ? Backend(backend) : null,
            Tls = [.. (spec.Tls ?? []).Select(t => new IngressTlsView([.. t.Hosts ?? []], t.SecretName))],
            CertificateArn = AnnotationValues.Get(a, Prefix + "certificate-arn"),
            Scheme = AnnotationValues.Get(a, SchemeAnnotation)?.ToLowerInvariant(),
            TargetType = AnnotationValues.Get(a, Prefix + "target-type")?.ToLowerInvariant(),
            ListenPorts = AnnotationValues.Get(a, Prefix + "listen-ports"),
            Listeners = IngressListeners.Of(a),
            SslRedirect = AnnotationValues.Get(a, Prefix + "ssl-redirect"),
            WafAclArn = AnnotationValues.First(a, Prefix + "wafv2-acl-arn", Prefix + "waf-acl-id"),
            InboundCidrs = AnnotationValues.List(AnnotationValues.Get(a, InboundCidrsAnnotation)),
            HealthCheck = new HealthCheckFacts
            {
                Protocol = AnnotationValues.Get(a, Prefix + "healthcheck-protocol"),
                Path = AnnotationValues.Get(a, Prefix + "healthcheck-path"),
                Port = AnnotationValues.Get(a, Prefix + "healthcheck-port"),
                IntervalSeconds = AnnotationValues.Int(AnnotationValues.Get(a, Prefix + "healthcheck-interval-seconds")),
                TimeoutSeconds = AnnotationValues.Int(AnnotationValues.Get(a, Prefix + "healthcheck-timeout-seconds")),
                HealthyThreshold = AnnotationValues.Int(AnnotationValues.Get(a, Prefix + "healthy-threshold-count")),
                UnhealthyThreshold = AnnotationValues.Int(AnnotationValues.Get(a, Prefix + "unhealthy-threshold-count")),
                SuccessCodes = AnnotationValues.Get(a, Prefix + "success-codes"),
            },
            TargetGroupAttributes = AnnotationValues.KeyValues(AnnotationValues.Get(a, Prefix + "target-group-attributes")),
            Addresses = [.. (ingress.Status?.LoadBalancer?.Ingress ?? []).Select(i => i.Hostname ?? i.Ip).OfType<string>().Where(s => s.Length > 0)],
            Labels = ServiceDecoder.ToImmutable(meta.Labels),
            Annotations = ServiceDecoder.ToImmutable(a),
            CreatedAt = meta.CreationTimestamp is { } created ? new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) : DateTimeOffset.MinValue,
        };
    }

    /// <summary>The Services an Ingress routes to (rules and default backend), by name.</summary>
    public static IEnumerable<string> BackendServiceNames(V1Ingress ingress)
    {
        var spec = ingress.Spec;
        if (spec is null)
        {
            yield break;
        }
        if (spec.DefaultBackend?.Service?.Name is { } defaultName)
        {
            yield return defaultName;
        }
        foreach (var path in (spec.Rules ?? []).SelectMany(r => r.Http?.Paths ?? []))
        {
            if (path.Backend?.Service?.Name is { } name)
            {
                yield return name;
            }
        }
    }

    private static IngressBackendView Backend(V1IngressBackend? backend)
    {
        var service = backend?.Service;
        if (service is null)
        {
            return new IngressBackendView(null, null);
        }
        var port = service.Port?.Number is { } number ? number.ToString(CultureInfo.InvariantCulture) : service.Port?.Name;
        return new IngressBackendView(service.Name, port);
    }
}
