using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dashboard.Client.Model;
using k8s.Models;

namespace Dashboard.Server.Inventory;

/// <summary>
/// Checks every controller annotation of a Service or an Ingress as the AWS Load Balancer Controller reads it (same
/// accepted forms, same defaults, same error texts — see its pkg/annotations, pkg/service and pkg/ingress) and turns each
/// invalid value into an error lint that quotes the value, says what the controller does with it and lists the valid
/// forms. Pure.
/// </summary>
public static partial class AnnotationValidation
{
    public const string InvalidValueCode = "invalid-annotation-value";
    public const string UnknownLoadBalancerTypeCode = "unknown-load-balancer-type";
    public const string IngressClassNotFoundCode = "ingress-class-not-found";
    public const string ExternalWithoutTargetTypeCode = "external-without-target-type";

    private const string Svc = ServiceDecoder.Prefix;
    private const string Alb = IngressDecoder.Prefix;

    /// <summary>Health-check ranges AWS accepts for a target group (CreateTargetGroup rejects the rest).</summary>
    private static readonly (string Name, int Min, int Max) Interval = ("interval", 5, 300), Timeout = ("timeout", 2, 120), Threshold = ("threshold", 2, 10);

    /// <summary>The invalid annotation values of a LoadBalancer Service.</summary>
    /// <param name="service">The Service as stored.</param>
    /// <param name="facts">What <see cref="ServiceDecoder"/> decoded from it (who owns it).</param>
    /// <param name="controllerInstalled">Whether the AWS Load Balancer Controller runs in the cluster (for the type annotation).</param>
    public static ImmutableArray<Lint> ForService(V1Service service, LoadBalancerFacts facts, bool controllerInstalled)
    {
        var lints = ImmutableArray.CreateBuilder<Lint>();
        var a = service.Metadata?.Annotations ?? new Dictionary<string, string>();
        var key = $"{service.Metadata?.NamespaceProperty}/{service.Metadata?.Name}";

        if (Raw(a, ServiceDecoder.TypeAnnotation) is { } type && type is not ("external" or "nlb-ip" or "nlb"))
        {
            lints.Add(UnknownType(type, facts, controllerInstalled));
        }
        if (facts.Controller != LoadBalancerController.AwsLoadBalancerController)
        {
            return lints.ToImmutable();
        }
        if (service.Spec?.LoadBalancerClass is null && Raw(a, ServiceDecoder.TypeAnnotation) == "external" && Raw(a, ServiceDecoder.NlbTargetTypeAnnotation) is null)
        {
            lints.Add(new Lint
            {
                Code = ExternalWithoutTargetTypeCode,
                Severity = LintSeverity.Error,
                Title = $"{ServiceDecoder.TypeAnnotation}: external without {ServiceDecoder.NlbTargetTypeAnnotation}: no controller makes this load balancer",
                Detail = "Without spec.loadBalancerClass the AWS Load Balancer Controller takes a Service of type 'external' on only when "
                    + $"{ServiceDecoder.NlbTargetTypeAnnotation} is 'ip' or 'instance', and the in-tree cloud provider leaves 'external' alone, so the "
                    + $"Service stays <pending> with no event. Add {ServiceDecoder.NlbTargetTypeAnnotation}: ip (or instance), or set "
                    + $"spec.loadBalancerClass: {ServiceDecoder.AwsLoadBalancerClass}.",
            });
        }

        if (Raw(a, ServiceDecoder.SchemeAnnotation) is { } scheme)
        {
            if (scheme is not ("internal" or "internet-facing"))
            {
                lints.Add(Refused(ServiceDecoder.SchemeAnnotation, scheme, $"unknown scheme: {scheme}", "internal or internet-facing (lower case)"));
            }
        }
        else if (Raw(a, ServiceDecoder.InternalAnnotation) is { } isInternal && ControllerParsing.BoolError(ServiceDecoder.InternalAnnotation, isInternal) is { } boolError)
        {
            lints.Add(Refused(ServiceDecoder.InternalAnnotation, isInternal, boolError, "true or false"));
        }
        if (Raw(a, ServiceDecoder.NlbTargetTypeAnnotation) is { } targetType && targetType is not ("ip" or "instance"))
        {
            lints.Add(Invalid(ServiceDecoder.NlbTargetTypeAnnotation, targetType,
                "The controller treats any value other than 'ip' as instance targets, so this Service gets instance targets (nodes on the NodePort)"
                + (service.Spec?.LoadBalancerClass is null ? "; without spec.loadBalancerClass the controller does not even take the Service on, since it needs 'ip' or 'instance' beside type 'external'" : ""),
                "ip or instance (lower case)"));
        }
        if (Raw(a, Svc + "aws-load-balancer-ip-address-type") is { } ipType && ipType is not ("ipv4" or "dualstack"))
        {
            lints.Add(Refused(Svc + "aws-load-balancer-ip-address-type", ipType, $"unknown IPAddressType: {ipType}", "ipv4 or dualstack"));
        }

        var protocolKey = Svc + "aws-load-balancer-healthcheck-protocol";
        if (Raw(a, protocolKey) is { } protocol && protocol.ToUpperInvariant() is not ("TCP" or "HTTP" or "HTTPS"))
        {
            lints.Add(Refused(protocolKey, protocol, $"unsupported health check protocol {protocol}", "TCP, HTTP or HTTPS"));
        }
        var portKey = Svc + "aws-load-balancer-healthcheck-port";
        if (Raw(a, portKey) is { } port && port != "traffic-port")
        {
            if (!int.TryParse(port, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
            {
                if (!(service.Spec?.Ports ?? []).Any(p => p.Name == port))
                {
                    lints.Add(Refused(portKey, port, $"failed to resolve healthCheckPort: unable to find port {port} on service {key}",
                        "traffic-port, a port number (1-65535), or the name of one of the Service's ports"));
                }
            }
            else if (number is < 1 or > 65535)
            {
                lints.Add(AwsRejects(portKey, port, "health-check port must be within 1-65535", "traffic-port, a port number (1-65535), or the name of one of the Service's ports"));
            }
        }
        CheckInt(lints, a, Svc + "aws-load-balancer-healthcheck-interval", Interval);
        CheckInt(lints, a, Svc + "aws-load-balancer-healthcheck-timeout", Timeout);
        CheckInt(lints, a, Svc + "aws-load-balancer-healthcheck-healthy-threshold", Threshold);
        CheckInt(lints, a, Svc + "aws-load-balancer-healthcheck-unhealthy-threshold", Threshold);

        foreach (var boolKey in (ReadOnlySpan<string>)[Svc + "aws-load-balancer-cross-zone-load-balancing-enabled", Svc + "aws-load-balancer-access-log-enabled",
            Svc + "aws-load-balancer-manage-backend-security-group-rules"])
        {
            if (Raw(a, boolKey) is { } raw && ControllerParsing.BoolError(boolKey, raw) is { } error)
            {
                lints.Add(Refused(boolKey, raw, error, "true or false"));
            }
        }
        foreach (var mapKey in (ReadOnlySpan<string>)[ServiceDecoder.AttributesAnnotation, ServiceDecoder.TargetGroupAttributesAnnotation,
            Svc + "aws-load-balancer-additional-resource-tags", Svc + "aws-load-balancer-target-node-labels"])
        {
            if (Raw(a, mapKey) is { } raw && ControllerParsing.StringMapError(mapKey, raw) is { } error)
            {
                lints.Add(Refused(mapKey, raw, error, "comma-separated key=value pairs"));
            }
        }
        if (Raw(a, Svc + "aws-load-balancer-proxy-protocol") is { } proxy && proxy != "*")
        {
            lints.Add(Refused(Svc + "aws-load-balancer-proxy-protocol", proxy,
                $"invalid value {proxy} for Load Balancer proxy protocol v2 annotation, only value currently supported is *", "*"));
        }
        if (Raw(a, Svc + "aws-load-balancer-name") is { Length: > 32 } name)
        {
            lints.Add(Refused(Svc + "aws-load-balancer-name", name, "load balancer name cannot be longer than 32 characters", "at most 32 letters, digits and hyphens"));
        }

        var rangesFromSpec = service.Spec?.LoadBalancerSourceRanges is { Count: > 0 };
        var ranges = rangesFromSpec ? service.Spec!.LoadBalancerSourceRanges : AnnotationValues.List(Raw(a, ServiceDecoder.SourceRangesAnnotation)).ToList();
        foreach (var cidr in ranges.Select(r => r.Trim()).Where(r => ControllerParsing.CidrError(r) is not null))
        {
            lints.Add(AwsRejects(rangesFromSpec ? "spec.loadBalancerSourceRanges" : ServiceDecoder.SourceRangesAnnotation, cidr,
                "the controller writes the range into the load balancer's security-group rules, which EC2 refuses (InvalidParameterValue); the Kubernetes API server also refuses it on create or update",
                "IPv4 or IPv6 CIDRs such as 203.0.113.0/24 or 2001:db8::/32"));
        }
        var certificates = AnnotationValues.List(Raw(a, Svc + "aws-load-balancer-ssl-cert"));
        foreach (var arn in certificates.Where(arn => !CertificateArnPattern().IsMatch(arn)))
        {
            lints.Add(AwsRejects(Svc + "aws-load-balancer-ssl-cert", arn, "the controller passes it to CreateListener, which fails with CertificateNotFound",
                "ACM or IAM certificate ARNs, e.g. arn:aws:acm:us-east-1:123456789012:certificate/…"));
        }
        if (Raw(a, Svc + "aws-load-balancer-ssl-ports") is { } sslPorts)
        {
            var ports = service.Spec?.Ports ?? [];
            var unused = AnnotationValues.List(sslPorts).Where(p => p != "*" && !ports.Any(sp => sp.Name == p || sp.Port.ToString(CultureInfo.InvariantCulture) == p)).ToList();
            if (unused.Count > 0)
            {
                lints.Add(Refused(Svc + "aws-load-balancer-ssl-ports", sslPorts, $"Unused port in ssl-ports annotation {ControllerParsing.GoList(unused)}",
                    "a comma-separated list of the Service's port numbers or names ("
                    + string.Join(", ", ports.Select(p => p.Name is null ? p.Port.ToString(CultureInfo.InvariantCulture) : $"{p.Port} / {p.Name}")) + ")"));
            }
        }
        return lints.ToImmutable();
    }

    /// <summary>The invalid annotation values of an Ingress the controller would reconcile, and a class that does not exist.</summary>
    /// <param name="model">The decoded Ingress (its annotations as written, its effective class and listeners).</param>
    /// <param name="ingressClassExists">Whether an IngressClass of the given name exists.</param>
    public static ImmutableArray<Lint> ForIngress(IngressViewModel model, Func<string, bool> ingressClassExists)
    {
        var lints = ImmutableArray.CreateBuilder<Lint>();
        IDictionary<string, string> a = model.Annotations;
        var key = model.Key;
        if (!model.ClassFromDeprecatedAnnotation && model.IngressClass is { } className && !ingressClassExists(className))
        {
            lints.Add(new Lint
            {
                Code = IngressClassNotFoundCode,
                Severity = LintSeverity.Error,
                Title = $"IngressClass {className} does not exist: no controller will reconcile this Ingress",
                Detail = $"spec.ingressClassName names IngressClass '{className}', which is not in the cluster, so no ALB is made and the Ingress gets no "
                    + "address. The AWS Load Balancer Controller records the warning event FailedLoadGroupID \"failed load groupID due to invalid ingress class: "
                    + $"ingressclasses.networking.k8s.io \"{className}\" not found\". Set spec.ingressClassName to an existing class whose controller is "
                    + $"{IngressDecoder.AlbIngressController} (kubectl get ingressclass), or create that IngressClass.",
            });
        }

        if (Raw(a, Alb + "group.name") is { } group && (group.Length > 63 || !GroupNamePattern().IsMatch(group)))
        {
            var reason = group.Length > 63
                ? "groupName must be no more than 63 characters"
                : "groupName must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
            lints.Add(Error(Alb + "group.name", group,
                "The controller leaves this Ingress out of every group, so it makes no ALB for it (an Ingress already in a group leaves it), and records the "
                + $"warning event FailedLoadGroupID \"failed load groupID due to invalid ingress group: {reason}\"",
                "lower-case letters, digits, '-' and '.', starting and ending with a letter or digit, at most 63 characters"));
        }
        if (Raw(a, Alb + "group.order") is { } order)
        {
            if (ControllerParsing.GoInt32(order, out var error, Alb + "group.order") is not { } value)
            {
                lints.Add(Refused(Alb + "group.order", order, $"failed to load Ingress group order for ingress: {key}: {error}", "an integer from -1000 to 1000"));
            }
            else if (value is < -1000 or > 1000)
            {
                lints.Add(Refused(Alb + "group.order", order, $"explicit Ingress group order must be within [-1000:1000], Ingress: {key}, order: {value}",
                    "an integer from -1000 to 1000"));
            }
        }
        if (Raw(a, IngressDecoder.SchemeAnnotation) is { } scheme && scheme is not ("internal" or "internet-facing"))
        {
            lints.Add(Refused(IngressDecoder.SchemeAnnotation, scheme, $"unknown scheme: {scheme}", "internal or internet-facing (lower case)"));
        }
        if (Raw(a, Alb + "target-type") is { } targetType && targetType is not ("ip" or "instance"))
        {
            lints.Add(Refused(Alb + "target-type", targetType, $"unknown targetType: {targetType}", "ip or instance (lower case)"));
        }
        if (Raw(a, Alb + "ip-address-type") is { } ipType && ipType is not ("ipv4" or "dualstack" or "dualstack-without-public-ipv4"))
        {
            lints.Add(Refused(Alb + "ip-address-type", ipType, $"unknown IPAddressType: {ipType}", "ipv4, dualstack or dualstack-without-public-ipv4"));
        }
        if (Raw(a, Alb + "listen-ports") is { } listenPorts && IngressListeners.ListenPortsError(listenPorts) is { } listenError)
        {
            lints.Add(Refused(Alb + "listen-ports", listenPorts, listenError, "a JSON list of {\"HTTP\": port} or {\"HTTPS\": port} objects, e.g. [{\"HTTP\": 80}, {\"HTTPS\": 443}]"));
        }
        var redirect = Raw(a, Alb + "ssl-redirect");
        if (redirect is not null && ControllerParsing.GoInt32(redirect, out var redirectError, Alb + "ssl-redirect") is null)
        {
            lints.Add(Refused(Alb + "ssl-redirect", redirect, $"ingress: {key}: {redirectError}", "the port number of an HTTPS listener, usually 443"));
        }
        else if (redirect is not null && model.GroupName is null && !model.Listeners.IsEmpty
            && int.Parse(redirect, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) is var sslPort
            && model.Listeners.FirstOrDefault(l => l.Port == sslPort) is var listener && listener is not { Protocol: "HTTPS" })
        {
            lints.Add(Refused(Alb + "ssl-redirect", redirect, listener is null
                    ? $"listener does not exist for SSLRedirect port: {sslPort}"
                    : $"listener protocol non-SSL for SSLRedirect port: {sslPort}",
                "the port of one of this Ingress's HTTPS listeners (" + string.Join(", ", model.Listeners.Where(l => l.Protocol == "HTTPS")) + ")"));
        }
        var protocolKey = Alb + "healthcheck-protocol";
        if (Raw(a, protocolKey) is { } protocol && protocol.ToUpperInvariant() is not ("HTTP" or "HTTPS"))
        {
            lints.Add(Refused(protocolKey, protocol, "healthCheckProtocol must be within [HTTP, HTTPS]", "HTTP or HTTPS"));
        }
        if (Raw(a, Alb + "backend-protocol") is { } backend && backend.ToUpperInvariant() is not ("HTTP" or "HTTPS"))
        {
            lints.Add(Refused(Alb + "backend-protocol", backend, $"backend protocol must be within [HTTP, HTTPS]: {backend}", "HTTP or HTTPS"));
        }
        CheckInt(lints, a, Alb + "healthcheck-interval-seconds", Interval);
        CheckInt(lints, a, Alb + "healthcheck-timeout-seconds", Timeout);
        CheckInt(lints, a, Alb + "healthy-threshold-count", Threshold);
        CheckInt(lints, a, Alb + "unhealthy-threshold-count", Threshold);
        foreach (var mapKey in (ReadOnlySpan<string>)[Alb + "tags", Alb + "load-balancer-attributes", Alb + "target-group-attributes", Alb + "target-node-labels"])
        {
            if (Raw(a, mapKey) is { } raw && ControllerParsing.StringMapError(mapKey, raw) is { } error)
            {
                lints.Add(Refused(mapKey, raw, error, "comma-separated key=value pairs"));
            }
        }
        foreach (var cidr in model.InboundCidrs.Where(c => ControllerParsing.CidrError(c) is not null))
        {
            lints.Add(Refused(IngressDecoder.InboundCidrsAnnotation, cidr, $"invalid inbound-cidrs settings on Ingress: {key}: {ControllerParsing.CidrError(cidr)}",
                "comma-separated IPv4 or IPv6 CIDRs such as 203.0.113.0/24"));
        }
        foreach (var arn in AnnotationValues.List(Raw(a, Alb + "certificate-arn")).Where(arn => !CertificateArnPattern().IsMatch(arn)))
        {
            lints.Add(AwsRejects(Alb + "certificate-arn", arn, "the controller passes it to CreateListener, which fails with CertificateNotFound",
                "ACM or IAM certificate ARNs, e.g. arn:aws:acm:us-east-1:123456789012:certificate/…"));
        }
        var usedActions = UsedActions(model);
        foreach (var (name, raw) in a.Where(p => p.Key.StartsWith(Alb + "actions.", StringComparison.Ordinal)).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var action = name[(Alb.Length + "actions.".Length)..];
            if (ActionError(name, raw.Trim()) is not { } error)
            {
                continue;
            }
            lints.Add(usedActions.Contains(action)
                ? Refused(name, raw.Trim(), $"ingress: {key}: {error}", ActionForms)
                : Error(name, raw.Trim(), "No rule uses this action (no backend names service " + action + " with port name use-annotation), so the controller never reads it; "
                    + $"once a rule does, it refuses to reconcile with \"{error}\"", ActionForms));
        }
        return lints.ToImmutable();
    }

    private const string ActionForms = "JSON with \"type\" forward, redirect or fixed-response and its config, e.g. "
        + "{\"type\":\"redirect\",\"redirectConfig\":{\"protocol\":\"HTTPS\",\"port\":\"443\",\"statusCode\":\"HTTP_301\"}}";

    /// <summary>The action names (actions.{name}) that some backend of the Ingress uses (service name + port name use-annotation).</summary>
    public static ImmutableHashSet<string> UsedActions(IngressViewModel model) =>
        [.. model.Rules.SelectMany(r => r.Paths).Select(p => p.Backend).Append(model.DefaultBackend)
            .Where(b => b is { ServicePort: "use-annotation", ServiceName: not null }).Select(b => b!.ServiceName!)];

    /// <summary>The controller's error for an actions.* value: its JSON, then its type.</summary>
    private static string? ActionError(string key, string raw)
    {
        if (ControllerParsing.JsonError(raw) is { } jsonError)
        {
            return $"failed to parse json annotation, {key}: {raw}: {jsonError}";
        }
        var node = JsonNode.Parse(raw);
        if (node is not JsonObject action)
        {
            return $"failed to parse json annotation, {key}: {raw}: json: cannot unmarshal {GoJsonKind(node)} into Go value of type ingress.Action";
        }
        var type = action["type"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : "";
        return type switch
        {
            "forward" => action["forwardConfig"] is null && action["targetGroupARN"] is null ? "missing ForwardConfig" : null,
            "redirect" => action["redirectConfig"] is null ? "missing RedirectConfig" : null,
            "fixed-response" => action["fixedResponseConfig"] is null ? "missing FixedResponseConfig" : null,
            _ => $"unknown action type: {type}",
        };
    }

    private static string GoJsonKind(JsonNode? node) => node switch
    {
        JsonArray => "array",
        null => "null",
        JsonValue v when v.TryGetValue<string>(out _) => "string",
        JsonValue v when v.TryGetValue<bool>(out _) => "bool",
        _ => "number",
    };

    private static Lint UnknownType(string type, LoadBalancerFacts facts, bool controllerInstalled)
    {
        var outcome = facts.Controller switch
        {
            LoadBalancerController.AwsLoadBalancerController =>
                $"spec.loadBalancerClass is {facts.LoadBalancerClass}, so the AWS Load Balancer Controller owns the Service anyway and makes an NLB; the value is ignored",
            LoadBalancerController.Other => $"spec.loadBalancerClass {facts.LoadBalancerClass} hands the Service to another controller; the value is ignored",
            _ when controllerInstalled =>
                "the Service has no spec.loadBalancerClass, so the AWS Load Balancer Controller's Service mutator webhook (on by default since v2.5) did not set "
                + $"{ServiceDecoder.AwsLoadBalancerClass} when it was created (the webhook was off or the controller not running then); the controller ignores it and the "
                + "in-tree cloud provider makes a Classic ELB",
            _ => "no AWS Load Balancer Controller is installed and the Service has no spec.loadBalancerClass, so the in-tree cloud provider makes a Classic ELB",
        };
        return new Lint
        {
            Code = UnknownLoadBalancerTypeCode,
            Severity = LintSeverity.Error,
            Title = $"Invalid {ServiceDecoder.TypeAnnotation}: \"{type}\"",
            Detail = $"'{type}' is not a load-balancer type: {outcome}. Valid values: external (AWS Load Balancer Controller, with "
                + $"{ServiceDecoder.NlbTargetTypeAnnotation}: ip or instance), nlb-ip (legacy shorthand for external + ip), nlb (legacy in-tree NLB); or set "
                + $"spec.loadBalancerClass: {ServiceDecoder.AwsLoadBalancerClass}. Changing the type replaces the load balancer (new DNS name).",
        };
    }

    private static void CheckInt(ImmutableArray<Lint>.Builder lints, IDictionary<string, string> a, string key, (string Name, int Min, int Max) range)
    {
        if (Raw(a, key) is not { } raw)
        {
            return;
        }
        var forms = $"an integer from {range.Min} to {range.Max}";
        if (ControllerParsing.GoInt32(raw, out var error, key) is not { } value)
        {
            lints.Add(Refused(key, raw, error!, forms));
        }
        else if (value < range.Min || value > range.Max)
        {
            lints.Add(AwsRejects(key, raw, $"AWS accepts a health-check {range.Name} of {range.Min}-{range.Max} only", forms));
        }
    }

    /// <summary>The controller refuses to build the model: FailedBuildModel with its message.</summary>
    private static Lint Refused(string key, string value, string message, string validForms) =>
        Error(key, value, $"The controller refuses to reconcile: warning event FailedBuildModel \"Failed build model due to {message}\"; "
            + "the load balancer is neither created nor updated until the value is fixed", validForms);

    /// <summary>The controller builds the model, but the AWS call fails: FailedDeployModel.</summary>
    private static Lint AwsRejects(string key, string value, string why, string validForms) =>
        Error(key, value, $"The controller does not check it, but AWS rejects it: {why}, so the controller records the warning event FailedDeployModel "
            + "and retries without changing the load balancer", validForms);

    private static Lint Invalid(string key, string value, string outcome, string validForms) => Error(key, value, outcome, validForms);

    private static Lint Error(string key, string value, string outcome, string validForms) => new()
    {
        Code = InvalidValueCode,
        Severity = LintSeverity.Error,
        Title = $"Invalid {key}: \"{value}\"",
        Detail = $"{outcome}. Valid: {validForms}.",
    };

    /// <summary>An annotation's value as the controller reads it (not trimmed), or null when absent.</summary>
    private static string? Raw(IDictionary<string, string> annotations, string key) =>
        annotations.TryGetValue(key, out var value) ? value : null;

    [GeneratedRegex("^([a-z0-9][-a-z0-9.]*)?[a-z0-9]$")]
    private static partial Regex GroupNamePattern();

    [GeneratedRegex(@"^arn:aws(-[a-z]+)*:(acm:[a-z0-9-]+:\d{12}:certificate/[A-Za-z0-9-]+|iam::\d{12}:server-certificate/.+)$")]
    private static partial Regex CertificateArnPattern();
}
