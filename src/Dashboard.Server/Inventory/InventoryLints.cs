using System.Collections.Immutable;
using Dashboard.Client.Model;
using k8s.Models;

namespace Dashboard.Server.Inventory;

/// <summary>What the lints of one Service need besides the Service itself.</summary>
/// <param name="SelectedPods">Running pods in the Service's namespace that its selector matches.</param>
/// <param name="PodsKnown">False until the pod cache has listed once; pod-based lints are skipped meanwhile.</param>
/// <param name="AwsLoadBalancerControllerInstalled">See <see cref="InventoryLints.IsAwsLoadBalancerControllerInstalled"/>.</param>
public sealed record ServiceLintContext(IReadOnlyCollection<V1Pod> SelectedPods, bool PodsKnown, bool AwsLoadBalancerControllerInstalled);

/// <summary>Configuration problems an operator should see, each with the reason and the fix. Pure.</summary>
public static class InventoryLints
{
    public const string ControllerDeploymentName = "aws-load-balancer-controller";

    public static class Codes
    {
        public const string OpenSourceRanges = "open-source-ranges";
        public const string DeprecatedIngressClass = "deprecated-ingress-class";
        public const string InTreeNlbWithController = "in-tree-nlb-with-controller";
        public const string HealthCheckPathNotServed = "health-check-path-not-served";
        public const string SelectorMatchesNoPod = "selector-matches-no-pod";
        public const string BackendServiceMissing = "backend-service-missing";
        public const string TargetTypeAnnotationIgnored = "target-type-annotation-ignored";
        public const string InvalidAnnotationValue = AnnotationValidation.InvalidValueCode;
        public const string UnknownLoadBalancerType = AnnotationValidation.UnknownLoadBalancerTypeCode;
        public const string IngressClassNotFound = AnnotationValidation.IngressClassNotFoundCode;
        public const string ExternalWithoutTargetType = AnnotationValidation.ExternalWithoutTargetTypeCode;
        public const string HttpWithoutRedirect = "http-without-redirect";
        public const string SslRedirectWithoutHttp = "ssl-redirect-without-http";
        public const string UnusedAction = "unused-action";
        public const string AdminPortExposed = "admin-port-exposed";
        public const string ReadinessGateMissing = "readiness-gate-missing";
        public const string HostOnTwoAlbs = "host-on-two-albs";
    }

    /// <summary>
    /// The AWS Load Balancer Controller counts as installed when a Deployment named aws-load-balancer-controller exists in
    /// kube-system or an IngressClass names controller ingress.k8s.aws/alb.
    /// </summary>
    public static bool IsAwsLoadBalancerControllerInstalled(IEnumerable<V1Deployment> kubeSystemDeployments, IEnumerable<V1IngressClass> ingressClasses) =>
        kubeSystemDeployments.Any(d => d.Metadata?.Name == ControllerDeploymentName && d.Metadata.NamespaceProperty is null or "kube-system")
        || ingressClasses.Any(c => c.Spec?.Controller == IngressDecoder.AlbIngressController);

    public static ImmutableArray<Lint> ForService(V1Service service, ServiceViewModel model, ServiceLintContext context)
    {
        var lints = ImmutableArray.CreateBuilder<Lint>();
        var annotations = service.Metadata?.Annotations;
        var facts = model.LoadBalancer;
        if (facts is not null)
        {
            lints.AddRange(AnnotationValidation.ForService(service, facts, context.AwsLoadBalancerControllerInstalled));
            if (facts.Scheme == "internet-facing" && model.Ports.Where(IsAdminPort).ToList() is { Count: > 0 } adminPorts)
            {
                lints.Add(new Lint
                {
                    Code = Codes.AdminPortExposed,
                    Severity = LintSeverity.Warning,
                    Title = "Metrics or admin port on an internet-facing load balancer: " + string.Join(", ", adminPorts.Select(PortLabel)),
                    Detail = "Every Service port gets a listener, so anyone who can reach the balancer can read metrics, debug or admin endpoints "
                        + "(they often leak internals or allow changes). Move the port to a separate ClusterIP Service for in-cluster scraping, or make "
                        + $"this balancer internal ({ServiceDecoder.SchemeAnnotation}: internal), or restrict spec.loadBalancerSourceRanges.",
                });
            }
        }
        if (facts is not null && facts.Scheme == "internet-facing" && IsOpen(facts.SourceRanges))
        {
            lints.Add(new Lint
            {
                Code = Codes.OpenSourceRanges,
                Severity = LintSeverity.Warning,
                Title = "Internet-facing load balancer open to every address",
                Detail = (facts.SourceRanges.IsEmpty ? "No source ranges are set, so " : "Source ranges include 0.0.0.0/0, so ")
                    + "anyone on the internet can reach this Service. Set spec.loadBalancerSourceRanges to the CIDRs of the clients "
                    + "that need it (office, VPN, partner ranges), or make it internal with "
                    + $"{ServiceDecoder.SchemeAnnotation}: internal.",
            });
        }
        if (facts is { Controller: LoadBalancerController.InTree, BalancerType: "nlb" } && context.AwsLoadBalancerControllerInstalled)
        {
            lints.Add(new Lint
            {
                Code = Codes.InTreeNlbWithController,
                Severity = LintSeverity.Warning,
                Title = "NLB made by the legacy in-tree provider although the AWS Load Balancer Controller is installed",
                Detail = $"{ServiceDecoder.TypeAnnotation}: nlb is read by the in-tree cloud provider: instance targets only, no "
                    + "TargetGroupBinding, fewer settings, and no further fixes upstream. Set spec.loadBalancerClass: "
                    + $"{ServiceDecoder.AwsLoadBalancerClass} (or {ServiceDecoder.TypeAnnotation}: external) with "
                    + $"{ServiceDecoder.NlbTargetTypeAnnotation}: ip. The change replaces the load balancer, so its DNS name changes: "
                    + "update DNS records after the new one is active.",
            });
        }
        if (AnnotationValues.Get(annotations, ServiceDecoder.MisspelledTargetTypeAnnotation) is { } ignored
            && AnnotationValues.Get(annotations, ServiceDecoder.NlbTargetTypeAnnotation) is null)
        {
            lints.Add(new Lint
            {
                Code = Codes.TargetTypeAnnotationIgnored,
                Severity = LintSeverity.Info,
                Title = $"{ServiceDecoder.MisspelledTargetTypeAnnotation} is not read by any controller",
                Detail = $"The target type stays '{facts?.TargetType ?? "instance"}', not '{ignored}'. The AWS Load Balancer Controller reads "
                    + $"{ServiceDecoder.NlbTargetTypeAnnotation} (and only for Services it manages); the in-tree provider always uses instance targets.",
            });
        }
        if (context.PodsKnown && model.Selector.Count > 0)
        {
            if (context.SelectedPods.Count == 0)
            {
                lints.Add(new Lint
                {
                    Code = Codes.SelectorMatchesNoPod,
                    Severity = LintSeverity.Warning,
                    Title = "Selector matches no pod",
                    Detail = $"No running pod in namespace {model.Namespace} has the labels {FormatSelector(model.Selector)}, so the Service "
                        + "has no endpoints and its load balancer no healthy targets. Fix the selector or the pod template's labels "
                        + "(kubectl get pods -n " + model.Namespace + " --show-labels).",
                });
            }
            else if (facts?.HealthCheck.Path is { } path && !ServesReadinessPath(context.SelectedPods, path))
            {
                var probes = ReadinessPaths(context.SelectedPods);
                lints.Add(new Lint
                {
                    Code = Codes.HealthCheckPathNotServed,
                    Severity = LintSeverity.Warning,
                    Title = $"Health-check path {path} is served by no readiness probe",
                    Detail = $"The load balancer checks {path}, but no container of the {context.SelectedPods.Count} selected pod(s) has a "
                        + "readinessProbe on that path"
                        + (probes.Count > 0 ? $" (their probes use {string.Join(", ", probes)})" : " (they have no HTTP readiness probe)")
                        + ". Targets can turn unhealthy while Kubernetes shows the pods Ready. Point "
                        + $"{ServiceDecoder.HealthCheckPathAnnotation} at the path the readiness probe uses, or add an httpGet readinessProbe on {path}.",
                });
            }
        }
        if (context.PodsKnown && facts is { Controller: LoadBalancerController.AwsLoadBalancerController, TargetType: "ip" } && context.SelectedPods.Count > 0
            && !context.SelectedPods.Any(HasTargetHealthGate))
        {
            lints.Add(new Lint
            {
                Code = Codes.ReadinessGateMissing,
                Severity = LintSeverity.Warning,
                Title = "IP targets without the pod readiness gate: rolling updates can drop traffic",
                Detail = $"None of the {context.SelectedPods.Count} selected pod(s) carries a {ReadinessGatePrefix}… readiness gate, so a new pod counts as "
                    + "ready (and the rollout deletes an old one) before the load balancer has registered it and seen it healthy; for a while no "
                    + $"healthy target may serve. Label the namespace: kubectl label namespace {model.Namespace} {ReadinessGateInjectLabel}=enabled, then "
                    + "restart the workload (kubectl rollout restart) so its pods are created with the gate.",
            });
        }
        return lints.ToImmutable();
    }

    /// <summary>The namespace label that makes the controller's webhook inject target-health readiness gates into new pods.</summary>
    public const string ReadinessGateInjectLabel = "elbv2.k8s.aws/pod-readiness-gate-inject";

    private const string ReadinessGatePrefix = "target-health.elbv2.k8s.aws/";

    private static bool HasTargetHealthGate(V1Pod pod) =>
        (pod.Spec?.ReadinessGates ?? []).Any(g => g.ConditionType?.StartsWith(ReadinessGatePrefix, StringComparison.Ordinal) == true);

    /// <param name="model">The decoded Ingress.</param>
    /// <param name="serviceExists">Whether a Service of that name exists in the Ingress's namespace.</param>
    /// <param name="ingressClassExists">Whether an IngressClass of that name exists; null when the classes are not known.</param>
    /// <param name="otherAlbsForHost">For a host, the other Ingresses routing it and the ALB each is on (see <see cref="AlbOf"/>).</param>
    /// <param name="isAlbClass">Whether an IngressClass of that name names the AWS Load Balancer Controller (for this Ingress's own ALB).</param>
    /// <param name="backendPods">The running pods a backend Service (by name) selects; null while pods are not known.</param>
    public static ImmutableArray<Lint> ForIngress(IngressViewModel model, Func<string, bool> serviceExists, Func<string, bool>? ingressClassExists = null,
        Func<string, IEnumerable<(string IngressKey, string Alb)>>? otherAlbsForHost = null, Func<string, bool>? isAlbClass = null,
        Func<string, IReadOnlyCollection<V1Pod>?>? backendPods = null)
    {
        var lints = ImmutableArray.CreateBuilder<Lint>();
        // The alb.* annotations are read only when the AWS Load Balancer Controller owns the Ingress (class alb); for
        // another class (nginx, say) they mean nothing, and a missing class is the one finding that matters.
        var validation = AnnotationValidation.ForIngress(model, ingressClassExists ?? (_ => true));
        var classMissing = validation.Any(l => l.Code == Codes.IngressClassNotFound);
        var onAlb = !classMissing && AlbOf(model, isAlbClass ?? (_ => true)) is not null;
        lints.AddRange(validation.Where(l => onAlb || l.Code == Codes.IngressClassNotFound));
        var reconciled = !classMissing;
        if (model.ClassFromDeprecatedAnnotation)
        {
            lints.Add(new Lint
            {
                Code = Codes.DeprecatedIngressClass,
                Severity = LintSeverity.Warning,
                Title = $"Deprecated {IngressDecoder.DeprecatedClassAnnotation} annotation",
                Detail = $"The class comes from the {IngressDecoder.DeprecatedClassAnnotation}: {model.IngressClass} annotation, which wins over "
                    + "spec.ingressClassName and is deprecated since Kubernetes 1.18. Remove the annotation and set "
                    + $"spec.ingressClassName: {model.IngressClass} (an IngressClass with controller {IngressDecoder.AlbIngressController} must exist).",
            });
        }
        if (reconciled && model.Scheme == "internet-facing" && IsOpen(model.InboundCidrs))
        {
            lints.Add(new Lint
            {
                Code = Codes.OpenSourceRanges,
                Severity = model.WafAclArn is null ? LintSeverity.Warning : LintSeverity.Info,
                Title = "Internet-facing ALB open to every address",
                Detail = (model.InboundCidrs.IsEmpty ? "No inbound CIDRs are set, so " : "Inbound CIDRs include 0.0.0.0/0, so ")
                    + "anyone on the internet can reach this Ingress"
                    + (model.WafAclArn is null
                        ? $". Set {IngressDecoder.InboundCidrsAnnotation} to the client CIDRs that need it, attach a WAF ACL "
                            + $"({IngressDecoder.Prefix}wafv2-acl-arn), or make it internal with {IngressDecoder.SchemeAnnotation}: internal."
                        : $"; the WAF ACL {model.WafAclArn} filters requests, but not by source. If only known clients need it, set "
                            + $"{IngressDecoder.InboundCidrsAnnotation} to their CIDRs, or make it internal with {IngressDecoder.SchemeAnnotation}: internal."),
            });
        }
        if (onAlb)
        {
            lints.AddRange(ListenerLints(model));
        }
        if (reconciled && backendPods is not null && model.TargetType == "ip")
        {
            var ungated = model.Rules.SelectMany(r => r.Paths).Select(p => p.Backend).Append(model.DefaultBackend)
                .Where(b => b is { ServiceName: not null } && b.ServicePort != "use-annotation").Select(b => b!.ServiceName!)
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
                .Where(name => backendPods(name) is { Count: > 0 } pods && !pods.Any(HasTargetHealthGate)).ToList();
            if (ungated.Count > 0)
            {
                lints.Add(new Lint
                {
                    Code = Codes.ReadinessGateMissing,
                    Severity = LintSeverity.Warning,
                    Title = "IP targets without the pod readiness gate: rolling updates can drop traffic",
                    Detail = $"The pods of {string.Join(", ", ungated)} carry no {ReadinessGatePrefix}… readiness gate, so during a rollout a new pod counts "
                        + "as ready (and an old one is deleted) before the ALB has registered it and seen it healthy. Label the namespace: kubectl label "
                        + $"namespace {model.Namespace} {ReadinessGateInjectLabel}=enabled, then restart the workloads (kubectl rollout restart) so their "
                        + "pods are created with the gate.",
                });
            }
        }
        if (otherAlbsForHost is not null && AlbOf(model, isAlbClass ?? (_ => true)) is { } alb)
        {
            foreach (var host in model.Rules.Select(r => r.Host).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal))
            {
                var others = otherAlbsForHost(host).Where(o => o.Alb != alb).OrderBy(o => o.IngressKey, StringComparer.Ordinal).ToList();
                if (others.Count == 0)
                {
                    continue;
                }
                lints.Add(new Lint
                {
                    Code = Codes.HostOnTwoAlbs,
                    Severity = LintSeverity.Warning,
                    Title = $"Host {host} is also routed by another ALB",
                    Detail = $"This Ingress puts {host} on the ALB of {alb}; " + string.Join("; ", others.Select(o => $"Ingress {o.IngressKey} puts it on the ALB of {o.Alb}"))
                        + $". DNS for {host} can point at one balancer only, so the other's rules for it are never reached (and which one serves depends on "
                        + $"the DNS record). Put the Ingresses in one group ({IngressDecoder.Prefix}group.name: the same value on each) so they share one "
                        + "ALB, or give them different hosts.",
                });
            }
        }
        if (reconciled && model.Scheme == "internet-facing"
            && IngressSummary.Routes(model).Where(r => IsAdminPath(r.Path.Path)).Select(r => (r.Host ?? "*") + r.Path.Path).ToList() is { Count: > 0 } adminPaths)
        {
            lints.Add(new Lint
            {
                Code = Codes.AdminPortExposed,
                Severity = LintSeverity.Warning,
                Title = "Metrics or admin path on an internet-facing ALB: " + string.Join(", ", adminPaths),
                Detail = "Anyone who can reach the ALB can read these metrics, debug or admin endpoints. Remove the rule (scrape metrics in the "
                    + "cluster), answer it with a fixed-response action, or restrict who can reach the ALB with "
                    + $"{IngressDecoder.InboundCidrsAnnotation} or {IngressDecoder.SchemeAnnotation}: internal.",
            });
        }
        var backends = model.Rules.SelectMany(r => r.Paths).Select(p => p.Backend).Append(model.DefaultBackend)
            .Select(b => b?.ServiceName).OfType<string>().Distinct(StringComparer.Ordinal);
        foreach (var missing in backends.Where(name => !serviceExists(name)))
        {
            lints.Add(new Lint
            {
                Code = Codes.BackendServiceMissing,
                Severity = LintSeverity.Error,
                Title = $"Backend Service {missing} does not exist",
                Detail = $"A rule routes to Service {model.Namespace}/{missing}, which is not in the cluster, so the controller cannot build its "
                    + "target group and requests to that path fail. Create the Service or fix the backend name.",
            });
        }
        return lints.ToImmutable();
    }

    /// <summary>
    /// The ALB an Ingress is on, as its group: "group {name}" for an explicit group, "{namespace}/{name}" for the Ingress
    /// alone; null when no ALB is made for it (a class that is not the AWS Load Balancer Controller's).
    /// </summary>
    public static string? AlbOf(IngressViewModel model, Func<string, bool> isAlbClass)
    {
        if (model.IngressClass is not { } className || (model.ClassFromDeprecatedAnnotation ? className != "alb" : !isAlbClass(className)))
        {
            return null;
        }
        return model.GroupName is { } group ? "group " + group : "Ingress " + model.Key;
    }

    /// <summary>Listener lints: HTTP beside HTTPS without a redirect, an ssl-redirect with no HTTP listener, actions no rule uses.</summary>
    private static IEnumerable<Lint> ListenerLints(IngressViewModel model)
    {
        var http = model.Listeners.Where(l => l.Protocol == "HTTP").ToList();
        var https = model.Listeners.Where(l => l.Protocol == "HTTPS").ToList();
        var redirect = AnnotationValues.Int(model.SslRedirect);
        if (http.Count > 0 && https.Count > 0 && model.SslRedirect is null)
        {
            yield return new Lint
            {
                Code = Codes.HttpWithoutRedirect,
                Severity = LintSeverity.Warning,
                Title = $"HTTP listener ({string.Join(", ", http)}) beside HTTPS without a redirect",
                Detail = $"The ALB serves the same routes in clear text on {string.Join(", ", http)} as on {string.Join(", ", https)}, so clients that "
                    + $"type http:// never move to TLS. Set {IngressDecoder.Prefix}ssl-redirect: '{https[0].Port}' to answer every HTTP request with a "
                    + $"301 to HTTPS (in a group it applies to every member), or drop HTTP from {IngressDecoder.Prefix}listen-ports"
                    + (model.GroupName is null ? "." : $" (another member of group {model.GroupName} may already set it)."),
            };
        }
        if (redirect is { } port && http.Count == 0 && https.Any(l => l.Port == port))
        {
            yield return new Lint
            {
                Code = Codes.SslRedirectWithoutHttp,
                Severity = LintSeverity.Info,
                Title = $"{IngressDecoder.Prefix}ssl-redirect does nothing: this Ingress has no HTTP listener",
                Detail = $"The ALB listens on {string.Join(", ", model.Listeners)} only, so there is no HTTP request to redirect"
                    + (model.Listeners.All(l => l.FromDefault) ? " (without listen-ports, certificate-arn makes the listener HTTPS:443 alone)" : "")
                    + $". To redirect http:// clients, set {IngressDecoder.Prefix}listen-ports: '[{{\"HTTP\": 80}}, {{\"HTTPS\": {port}}}]'; otherwise remove ssl-redirect.",
            };
        }
        var used = AnnotationValidation.UsedActions(model);
        foreach (var key in model.Annotations.Keys.Where(k => k.StartsWith(IngressDecoder.Prefix + "actions.", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var name = key[(IngressDecoder.Prefix.Length + "actions.".Length)..];
            if (!used.Contains(name))
            {
                yield return new Lint
                {
                    Code = Codes.UnusedAction,
                    Severity = LintSeverity.Warning,
                    Title = $"{key} is used by no rule",
                    Detail = $"An action is applied only where a path's backend names service '{name}' with port name 'use-annotation'; no path of this "
                        + "Ingress does, so the controller never reads it (a typo in the name, or a rule that was removed). Point a backend at it "
                        + $"(service.name: {name}, service.port.name: use-annotation) or delete the annotation.",
                };
            }
        }
    }

    private static readonly string[] AdminWords = ["metrics", "admin", "debug", "pprof", "actuator", "management", "prometheus"];

    /// <summary>A port whose name says metrics/admin/debug, or a well-known exporter or admin port.</summary>
    private static bool IsAdminPort(ServicePortView port) =>
        (port.Name is { } name && AdminWords.Any(w => name.Contains(w, StringComparison.OrdinalIgnoreCase)))
        || port.Port is 9090 or 9100 or 9113 or 9187 or 9216 or 15000 or 15014 or 8086 or 10250;

    private static bool IsAdminPath(string path) =>
        path.Trim('/').Split('/')[0] is { Length: > 0 } first && AdminWords.Any(w => string.Equals(first, w, StringComparison.OrdinalIgnoreCase));

    private static string PortLabel(ServicePortView port) =>
        port.Name is null ? port.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{port.Name} ({port.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)})";

    /// <summary>True when a pod's labels satisfy a Service selector (every key equal; an empty selector matches nothing).</summary>
    public static bool Selects(IDictionary<string, string>? selector, IDictionary<string, string>? labels) =>
        selector is { Count: > 0 } && labels is not null
        && selector.All(pair => labels.TryGetValue(pair.Key, out var value) && value == pair.Value);

    /// <summary>Pods that take traffic: not finished and not being deleted.</summary>
    public static bool IsActive(V1Pod pod) =>
        pod.Status?.Phase is not ("Succeeded" or "Failed") && pod.Metadata?.DeletionTimestamp is null;

    private static bool IsOpen(ImmutableArray<string> ranges) =>
        ranges.IsEmpty || ranges.Any(r => r is "0.0.0.0/0" or "::/0");

    private static bool ServesReadinessPath(IEnumerable<V1Pod> pods, string path) =>
        pods.SelectMany(p => p.Spec?.Containers ?? []).Any(c => NormalizePath(c.ReadinessProbe?.HttpGet?.Path) == NormalizePath(path));

    private static List<string> ReadinessPaths(IEnumerable<V1Pod> pods) =>
        [.. pods.SelectMany(p => p.Spec?.Containers ?? []).Select(c => c.ReadinessProbe?.HttpGet?.Path).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    private static string? NormalizePath(string? path) =>
        path is null ? null : "/" + path.Trim().TrimStart('/');

    private static string FormatSelector(ImmutableDictionary<string, string> selector) =>
        string.Join(",", selector.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
}
