using System.Collections.Immutable;
using Dashboard.Client.Model;
using k8s.Models;

namespace Dashboard.Server.Inventory;

/// <summary>
/// V1Service → <see cref="ServiceViewModel"/>, decoding what load balancer the spec and annotations ask for, as the AWS
/// Load Balancer Controller and the in-tree cloud provider read them. Pure.
/// </summary>
public static class ServiceDecoder
{
    public const string Prefix = "service.beta.kubernetes.io/";
    public const string TypeAnnotation = Prefix + "aws-load-balancer-type";
    public const string NlbTargetTypeAnnotation = Prefix + "aws-load-balancer-nlb-target-type";
    /// <summary>Not read by either controller; the seed uses it by mistake for <see cref="NlbTargetTypeAnnotation"/>.</summary>
    public const string MisspelledTargetTypeAnnotation = Prefix + "aws-load-balancer-target-type";
    public const string SchemeAnnotation = Prefix + "aws-load-balancer-scheme";
    public const string InternalAnnotation = Prefix + "aws-load-balancer-internal";
    public const string SourceRangesAnnotation = Prefix + "load-balancer-source-ranges";
    public const string CrossZoneAnnotation = Prefix + "aws-load-balancer-cross-zone-load-balancing-enabled";
    public const string AttributesAnnotation = Prefix + "aws-load-balancer-attributes";
    public const string TargetGroupAttributesAnnotation = Prefix + "aws-load-balancer-target-group-attributes";
    public const string HealthCheckPathAnnotation = Prefix + "aws-load-balancer-healthcheck-path";
    public const string AwsLoadBalancerClass = "service.k8s.aws/nlb";
    public const string CrossZoneAttribute = "load_balancing.cross_zone.enabled";

    /// <summary>Decodes a Service with its EndpointSlices' ready/not-ready counts; lints are added by <see cref="InventoryLints"/>.</summary>
    public static ServiceViewModel Decode(V1Service service, IEnumerable<V1EndpointSlice> endpointSlices)
    {
        var meta = service.Metadata;
        var spec = service.Spec ?? new V1ServiceSpec();
        var type = spec.Type ?? "ClusterIP";
        var (ready, notReady) = EndpointCounts.Count(endpointSlices);
        var addresses = ExternalAddresses(service);
        return new ServiceViewModel
        {
            Uid = meta.Uid ?? "",
            Namespace = meta.NamespaceProperty ?? "default",
            Name = meta.Name ?? "",
            Type = type,
            ClusterIp = spec.ClusterIP,
            ExternalAddresses = addresses,
            ExternalPending = type == "LoadBalancer" && addresses.IsEmpty,
            Ports = [.. (spec.Ports ?? []).Select(p => new ServicePortView(p.Name, p.Port, p.TargetPort?.Value ?? p.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), p.Protocol ?? "TCP", p.NodePort))],
            Selector = ToImmutable(spec.Selector),
            Labels = ToImmutable(meta.Labels),
            Annotations = ToImmutable(meta.Annotations),
            LoadBalancer = type == "LoadBalancer" ? DecodeLoadBalancer(service) : null,
            ReadyEndpoints = ready,
            NotReadyEndpoints = notReady,
            CreatedAt = meta.CreationTimestamp is { } created ? new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) : DateTimeOffset.MinValue,
        };
    }

    /// <summary>The balancer a LoadBalancer Service asks for.</summary>
    public static LoadBalancerFacts DecodeLoadBalancer(V1Service service)
    {
        var a = service.Metadata?.Annotations;
        var spec = service.Spec ?? new V1ServiceSpec();
        var lbType = AnnotationValues.Get(a, TypeAnnotation)?.ToLowerInvariant();
        var controller = spec.LoadBalancerClass switch
        {
            AwsLoadBalancerClass => LoadBalancerController.AwsLoadBalancerController,
            { Length: > 0 } => LoadBalancerController.Other,
            _ => lbType is "external" or "nlb-ip" ? LoadBalancerController.AwsLoadBalancerController : LoadBalancerController.InTree,
        };
        var balancerType = controller switch
        {
            LoadBalancerController.AwsLoadBalancerController => "nlb",
            LoadBalancerController.InTree => lbType == "nlb" ? "nlb" : "classic",
            _ => "other",
        };

        var targetType = controller == LoadBalancerController.AwsLoadBalancerController
            ? AnnotationValues.Get(a, NlbTargetTypeAnnotation)?.ToLowerInvariant() ?? (lbType == "nlb-ip" ? "ip" : "instance")
            : "instance";

        var lbAttributes = AnnotationValues.KeyValues(AnnotationValues.Get(a, AttributesAnnotation));
        bool? crossZone = lbAttributes.TryGetValue(CrossZoneAttribute, out var cz)
            ? AnnotationValues.Bool(cz)
            : AnnotationValues.Bool(AnnotationValues.Get(a, CrossZoneAnnotation));

        var sourceRanges = spec.LoadBalancerSourceRanges is { Count: > 0 } ranges
            ? [.. ranges.Select(r => r.Trim())]
            : AnnotationValues.List(AnnotationValues.Get(a, SourceRangesAnnotation));

        return new LoadBalancerFacts
        {
            Controller = controller,
            BalancerType = balancerType,
            Scheme = Scheme(a, controller),
            TargetType = targetType,
            HealthCheck = new HealthCheckFacts
            {
                Protocol = AnnotationValues.Get(a, Prefix + "aws-load-balancer-healthcheck-protocol"),
                Path = AnnotationValues.Get(a, HealthCheckPathAnnotation),
                Port = AnnotationValues.Get(a, Prefix + "aws-load-balancer-healthcheck-port"),
                IntervalSeconds = AnnotationValues.Int(AnnotationValues.Get(a, Prefix + "aws-load-balancer-healthcheck-interval")),
                TimeoutSeconds = AnnotationValues.Int(AnnotationValues.Get(a, Prefix + "aws-load-balancer-healthcheck-timeout")),
                // The documented key carries "healthcheck-"; the shorter form (the seed's) is accepted as a fallback.
                HealthyThreshold = AnnotationValues.Int(AnnotationValues.First(a,
                    Prefix + "aws-load-balancer-healthcheck-healthy-threshold", Prefix + "aws-load-balancer-healthy-threshold")),
                UnhealthyThreshold = AnnotationValues.Int(AnnotationValues.First(a,
                    Prefix + "aws-load-balancer-healthcheck-unhealthy-threshold", Prefix + "aws-load-balancer-unhealthy-threshold")),
                SuccessCodes = AnnotationValues.Get(a, Prefix + "aws-load-balancer-healthcheck-success-codes"),
            },
            CrossZone = crossZone,
            SourceRanges = sourceRanges,
            ExternalTrafficPolicy = spec.ExternalTrafficPolicy ?? "Cluster",
            LoadBalancerClass = spec.LoadBalancerClass,
            CertificateArn = AnnotationValues.Get(a, Prefix + "aws-load-balancer-ssl-cert"),
            TlsPorts = AnnotationValues.Get(a, Prefix + "aws-load-balancer-ssl-ports"),
            TargetGroupAttributes = AnnotationValues.KeyValues(AnnotationValues.Get(a, TargetGroupAttributesAnnotation)),
            LoadBalancerAttributes = lbAttributes,
        };
    }

    /// <summary>
    /// aws-load-balancer-scheme wins; else the legacy aws-load-balancer-internal (any value but "false" means internal);
    /// else the controller's default: internal for the AWS Load Balancer Controller, internet-facing in-tree.
    /// </summary>
    private static string Scheme(IDictionary<string, string>? annotations, LoadBalancerController controller)
    {
        if (AnnotationValues.Get(annotations, SchemeAnnotation) is { } scheme)
        {
            return scheme.ToLowerInvariant();
        }
        if (AnnotationValues.Get(annotations, InternalAnnotation) is { } isInternal)
        {
            return string.Equals(isInternal, "false", StringComparison.OrdinalIgnoreCase) ? "internet-facing" : "internal";
        }
        return controller == LoadBalancerController.AwsLoadBalancerController ? "internal" : "internet-facing";
    }

    private static ImmutableArray<string> ExternalAddresses(V1Service service)
    {
        var spec = service.Spec;
        if (spec?.Type == "ExternalName" && !string.IsNullOrEmpty(spec.ExternalName))
        {
            return [spec.ExternalName];
        }
        var fromStatus = (service.Status?.LoadBalancer?.Ingress ?? [])
            .Select(i => i.Hostname ?? i.Ip)
            .OfType<string>()
            .Where(s => s.Length > 0);
        return [.. fromStatus.Concat(spec?.ExternalIPs ?? []).Distinct(StringComparer.Ordinal)];
    }

    internal static ImmutableDictionary<string, string> ToImmutable(IDictionary<string, string>? values) =>
        values is null ? ImmutableDictionary<string, string>.Empty : values.ToImmutableDictionary(StringComparer.Ordinal);
}
