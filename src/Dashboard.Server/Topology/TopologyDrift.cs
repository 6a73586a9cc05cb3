using System.Collections.Immutable;
using System.Globalization;
using Dashboard.Client.Model;
using Dashboard.Server.Aws.ElasticLoadBalancing;
using Dashboard.Server.Inventory;
using k8s.Models;

namespace Dashboard.Server.Topology;

/// <summary>
/// Where the live AWS configuration differs from what the annotations ask for. Only settings an annotation sets
/// explicitly are compared (a default is the controller's business, not drift). The annotations are read through the
/// inventory's decoders; this class only knows which annotation spells which setting, to name it in the result.
/// Source ranges are enforced in security groups, which the ELBv2 API does not show: they are not compared here (the
/// checklist reports what is asked for).
/// </summary>
internal static class TopologyDrift
{
    private const string ServicePrefix = ServiceDecoder.Prefix + "aws-load-balancer-";

    public static ImmutableArray<DriftItem> ForBalancer(KubernetesIndex k8s, LoadBalancer lb, ImmutableArray<ObjectRef> owners)
    {
        var items = new List<DriftItem>();
        foreach (var owner in owners)
        {
            string? desired = null;
            string? annotation = null;
            if (owner.Kind == ObjectKind.Service && k8s.Services.TryGetValue($"{owner.Namespace}/{owner.Name}", out var svc))
            {
                var a = svc.Metadata?.Annotations;
                if (AnnotationValues.Get(a, ServiceDecoder.SchemeAnnotation) is not null || AnnotationValues.Get(a, ServiceDecoder.InternalAnnotation) is not null)
                {
                    desired = ServiceDecoder.DecodeLoadBalancer(svc).Scheme;
                    annotation = AnnotationValues.Get(a, ServiceDecoder.SchemeAnnotation) is not null ? ServiceDecoder.SchemeAnnotation : ServiceDecoder.InternalAnnotation;
                }
            }
            else if (owner.Kind == ObjectKind.Ingress && k8s.Ingresses.TryGetValue($"{owner.Namespace}/{owner.Name}", out var ing))
            {
                desired = IngressDecoder.Decode(ing).Scheme;
                annotation = IngressDecoder.SchemeAnnotation + (owners.Length > 1 ? $" on {owner}" : "");
            }
            Compare(items, "scheme", desired, lb.Scheme, annotation);
        }
        return [.. items.DistinctBy(i => (i.Setting, i.Desired, i.Actual))];
    }

    public static ImmutableArray<DriftItem> ForTargetGroup(KubernetesIndex k8s, TargetGroup tg, TargetGroupView view, ImmutableArray<ObjectRef> owners)
    {
        var items = new List<DriftItem>();
        var service = view.Service is { } s ? k8s.Services.GetValueOrDefault($"{s.Namespace}/{s.Name}") : null;
        var ingressRef = view.Member ?? owners.FirstOrDefault(o => o.Kind == ObjectKind.Ingress);
        if (ingressRef is not null && k8s.Ingresses.TryGetValue($"{ingressRef.Namespace}/{ingressRef.Name}", out var ingress))
        {
            // The controller reads alb.* health-check annotations on the backend Service first, then on the Ingress.
            var onIngress = IngressDecoder.Decode(ingress);
            var onService = service is null ? null : IngressDecoder.Decode(new V1Ingress { Metadata = new V1ObjectMeta { Annotations = service.Metadata?.Annotations } });
            var hc = Overlay(onService?.HealthCheck, onIngress.HealthCheck);
            string Where(string key) => IngressDecoder.Prefix + key + (AnnotationValues.Get(service?.Metadata?.Annotations, IngressDecoder.Prefix + key) is not null ? $" on service/{service?.Metadata?.Name}" : "");
            CompareHealthCheck(items, tg, hc, Where("healthcheck-protocol"), Where("healthcheck-path"), Where("healthcheck-port"),
                Where("healthcheck-interval-seconds"), Where("healthcheck-timeout-seconds"), Where("healthy-threshold-count"),
                Where("unhealthy-threshold-count"), Where("success-codes"));
            Compare(items, "target type", onService?.TargetType ?? onIngress.TargetType, tg.TargetType, Where("target-type"));
        }
        else if (service?.Spec?.Type == "LoadBalancer" && (owners.Contains(view.Service!) || owners.IsEmpty))
        {
            var facts = ServiceDecoder.DecodeLoadBalancer(service);
            var a = service.Metadata?.Annotations;
            string First(params string[] keys) => keys.FirstOrDefault(k => AnnotationValues.Get(a, k) is not null) ?? keys[0];
            CompareHealthCheck(items, tg, facts.HealthCheck, ServicePrefix + "healthcheck-protocol", ServiceDecoder.HealthCheckPathAnnotation,
                ServicePrefix + "healthcheck-port", ServicePrefix + "healthcheck-interval", ServicePrefix + "healthcheck-timeout",
                First(ServicePrefix + "healthcheck-healthy-threshold", ServicePrefix + "healthy-threshold"),
                First(ServicePrefix + "healthcheck-unhealthy-threshold", ServicePrefix + "unhealthy-threshold"),
                ServicePrefix + "healthcheck-success-codes");
            if (facts.Controller == LoadBalancerController.AwsLoadBalancerController && AnnotationValues.Get(a, ServiceDecoder.NlbTargetTypeAnnotation) is not null)
            {
                Compare(items, "target type", facts.TargetType, tg.TargetType, ServiceDecoder.NlbTargetTypeAnnotation);
            }
        }
        return [.. items];
    }

    private static HealthCheckFacts Overlay(HealthCheckFacts? first, HealthCheckFacts second) => first is null ? second : new HealthCheckFacts
    {
        Protocol = first.Protocol ?? second.Protocol,
        Path = first.Path ?? second.Path,
        Port = first.Port ?? second.Port,
        IntervalSeconds = first.IntervalSeconds ?? second.IntervalSeconds,
        TimeoutSeconds = first.TimeoutSeconds ?? second.TimeoutSeconds,
        HealthyThreshold = first.HealthyThreshold ?? second.HealthyThreshold,
        UnhealthyThreshold = first.UnhealthyThreshold ?? second.UnhealthyThreshold,
        SuccessCodes = first.SuccessCodes ?? second.SuccessCodes,
    };

    private static void CompareHealthCheck(List<DriftItem> items, TargetGroup tg, HealthCheckFacts hc, string protocol, string path, string port,
        string interval, string timeout, string healthy, string unhealthy, string codes)
    {
        var before = items.Count;
        CompareHealthCheckSettings(items, tg, hc, protocol, path, port, interval, timeout, healthy, unhealthy, codes);
        for (var i = before; i < items.Count; i++)
        {
            items[i] = Explain(items[i], tg, protocol);
        }
    }

    /// <summary>
    /// Why a health-check setting differs and whether it matters: a TCP health check only connects, so a path or success
    /// codes asked for are ignored (harmless, unless the path was meant to be checked); anything else is a setting the
    /// controller has not applied (a failed reconcile, or an edit made in AWS that its next reconcile reverts).
    /// </summary>
    private static DriftItem Explain(DriftItem item, TargetGroup tg, string protocolAnnotation)
    {
        var tcp = string.Equals(tg.HealthCheckProtocol, "TCP", StringComparison.OrdinalIgnoreCase);
        if (tcp && item.Setting is "health-check path" or "success codes")
        {
            var what = item.Setting == "health-check path" ? "path" : "success codes";
            return item with
            {
                Why = $"the health check is TCP, which only opens a connection and ignores the {what}",
                Matters = false,
                Fix = $"Nothing, if a connection is check enough. To have the {what} checked, add {protocolAnnotation}: HTTP.",
            };
        }
        return item with
        {
            Why = $"AWS runs {item.Actual} but {item.Annotation} asks for {item.Desired}: the controller has not applied it (its reconcile failed, or the setting was changed in AWS directly)",
            Fix = "Read the controller's Warning events on the object; its next successful reconcile makes AWS follow the annotation (a change made in AWS by hand is reverted then).",
        };
    }

    private static void CompareHealthCheckSettings(List<DriftItem> items, TargetGroup tg, HealthCheckFacts hc, string protocol, string path, string port,
        string interval, string timeout, string healthy, string unhealthy, string codes)
    {
        Compare(items, "health-check protocol", hc.Protocol, tg.HealthCheckProtocol, protocol);
        Compare(items, "health-check path", hc.Path, tg.HealthCheckPath, path, caseSensitive: true);
        Compare(items, "health-check port", hc.Port, tg.HealthCheckPort, port);
        Compare(items, "health-check interval (s)", Number(hc.IntervalSeconds), Number(tg.HealthCheckIntervalSeconds), interval);
        Compare(items, "health-check timeout (s)", Number(hc.TimeoutSeconds), Number(tg.HealthCheckTimeoutSeconds), timeout);
        Compare(items, "healthy threshold", Number(hc.HealthyThreshold), Number(tg.HealthyThresholdCount), healthy);
        Compare(items, "unhealthy threshold", Number(hc.UnhealthyThreshold), Number(tg.UnhealthyThresholdCount), unhealthy);
        Compare(items, "success codes", hc.SuccessCodes, tg.Matcher?.HttpCode ?? tg.Matcher?.GrpcCode, codes);
    }

    private static string? Number(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static void Compare(List<DriftItem> items, string setting, string? desired, string? actual, string? annotation, bool caseSensitive = false)
    {
        if (desired is null || annotation is null)
        {
            return;
        }
        var comparison = caseSensitive ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        if (!string.Equals(desired.Trim(), actual?.Trim(), comparison))
        {
            items.Add(new DriftItem(setting, desired, actual ?? "(not set)", annotation));
        }
    }
}
