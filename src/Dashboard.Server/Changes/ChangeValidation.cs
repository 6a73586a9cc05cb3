using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Dashboard.Client.Changes;
using Dashboard.Client.Model;
using Dashboard.Server.Inventory;
using k8s.Models;

namespace Dashboard.Server.Changes;

/// <summary>
/// Checks a <see cref="ChangeRequest"/> before anything is built: names as Kubernetes validates them, ports, paths, success
/// codes, CIDRs, ARNs, the integer ranges the controller and AWS accept. Each error names the field (camelCase, as in the
/// API body) and says how to fix it. The annotations the plan then writes are judged once more by the inventory's own
/// rule (<see cref="AnnotationValidation"/>): one rule, not two. Pure.
/// </summary>
public static partial class ChangeValidation
{
    /// <summary>Errors by field; empty when the request may be planned.</summary>
    public static IReadOnlyDictionary<string, string[]> Validate(ChangeRequest request)
    {
        var errors = new Errors();
        switch (request.Action)
        {
            case ChangeActions.Expose:
                ValidateExpose(request, errors);
                break;
            case ChangeActions.Reconfigure:
            case ChangeActions.Unexpose:
                ValidateTarget(request.Target, errors);
                break;
            default:
                errors.Add("action", $"'{request.Action}' is not an action: use expose, reconfigure or unexpose.");
                return errors.ToDictionary();
        }
        if (request.Action == ChangeActions.Unexpose)
        {
            return errors.ToDictionary();
        }
        if (request.Scheme is not null and not ("internet-facing" or "internal"))
        {
            errors.Add("scheme", $"'{request.Scheme}' is not a scheme: use internet-facing or internal (lower case).");
        }
        if (request.TargetType is not null and not ("ip" or "instance"))
        {
            errors.Add("targetType", $"'{request.TargetType}' is not a target type: use ip (pod IPs) or instance (nodes on the NodePort).");
        }
        Port(errors, "port", request.Port);
        Port(errors, "targetPort", request.TargetPort);
        if (request.HealthCheck is { } hc)
        {
            if (hc.Path is not null && (!hc.Path.StartsWith('/') || hc.Path.Length > 1024 || hc.Path.Any(char.IsWhiteSpace)))
            {
                errors.Add("healthCheck.path", $"'{hc.Path}' is not a health-check path: it must start with '/', hold no spaces and be at most 1024 characters (e.g. /healthz).");
            }
            if (hc.Port is not null and not "traffic-port" && !(int.TryParse(hc.Port, out var p) && p is >= 1 and <= 65535))
            {
                errors.Add("healthCheck.port", $"'{hc.Port}' is not a health-check port: use traffic-port or a number from 1 to 65535.");
            }
            if (hc.Protocol is not null && hc.Protocol.ToUpperInvariant() is not ("HTTP" or "HTTPS" or "TCP"))
            {
                errors.Add("healthCheck.protocol", $"'{hc.Protocol}' is not a health-check protocol: use HTTP or HTTPS (or TCP for an NLB).");
            }
            if (hc.Protocol?.ToUpperInvariant() == "TCP" && IsAlb(request))
            {
                errors.Add("healthCheck.protocol", "An ALB health-checks over HTTP or HTTPS only: choose one of those.");
            }
            if (hc.SuccessCodes is not null && !SuccessCodesPattern().IsMatch(hc.SuccessCodes))
            {
                errors.Add("healthCheck.successCodes", $"'{hc.SuccessCodes}' is not a success-code list: use a code (200), a range (200-299) or a comma-separated list (200,302).");
            }
            Range(errors, "healthCheck.intervalSeconds", hc.IntervalSeconds, 5, 300, "seconds between checks");
            Range(errors, "healthCheck.timeoutSeconds", hc.TimeoutSeconds, 2, 120, "seconds before a check fails");
            Range(errors, "healthCheck.healthyThreshold", hc.HealthyThreshold, 2, 10, "successes before healthy");
            Range(errors, "healthCheck.unhealthyThreshold", hc.UnhealthyThreshold, 2, 10, "failures before unhealthy");
            if (hc.TimeoutSeconds is { } timeout && hc.IntervalSeconds is { } interval && timeout >= interval)
            {
                errors.Add("healthCheck.timeoutSeconds", $"The timeout ({timeout} s) must be shorter than the interval ({interval} s).");
            }
        }
        foreach (var (cidr, index) in (request.SourceRanges ?? []).Select((c, i) => (c, i)))
        {
            if (ControllerParsing.CidrError(cidr.Trim()) is { } error)
            {
                errors.Add($"sourceRanges[{index}]", $"'{cidr}' is not a CIDR ({error}): use e.g. 203.0.113.0/24 or 2001:db8::/32.");
            }
        }
        if (request.CertificateArn is { Length: > 0 } cert && !CertificateArnPattern().IsMatch(cert))
        {
            errors.Add("certificateArn", $"'{cert}' is not a certificate ARN: use an ACM ARN such as arn:aws:acm:us-east-1:123456789012:certificate/1234abcd-…");
        }
        if (request.WafAclArn is { Length: > 0 } waf && !WafArnPattern().IsMatch(waf))
        {
            errors.Add("wafAclArn", $"'{waf}' is not a WAFv2 web ACL ARN: use arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>.");
        }
        if (request.WafAclArn is { Length: > 0 } && !IsAlb(request))
        {
            errors.Add("wafAclArn", "WAF attaches to an ALB only: remove it, or expose through an ALB.");
        }
        if (request.SslRedirect == true && string.IsNullOrEmpty(request.CertificateArn))
        {
            errors.Add("sslRedirect", "Redirecting to HTTPS needs an HTTPS listener: give a certificate ARN, or turn the redirect off.");
        }
        if (request.SslPolicy is { Length: > 0 } policy && !SslPolicyPattern().IsMatch(policy))
        {
            errors.Add("sslPolicy", $"'{policy}' is not a security policy name: use e.g. ELBSecurityPolicy-TLS13-1-2-2021-06.");
        }
        Range(errors, "deregistrationDelaySeconds", request.DeregistrationDelaySeconds, 0, 3600, "seconds a target drains");
        foreach (var (key, value) in request.Tags ?? new Dictionary<string, string>())
        {
            if (key.Length is 0 or > 128 || value.Length > 256 || key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase) || key.Contains(',') || key.Contains('=') || value.Contains(','))
            {
                errors.Add($"tags.{key}", $"Tag '{key}={value}' cannot be used: keys 1–128 characters without ',' or '=' and not starting with aws:, values up to 256 characters without ','.");
            }
        }
        if (request.LoadBalancerName is { Length: > 0 } lbName && !LoadBalancerNamePattern().IsMatch(lbName))
        {
            errors.Add("loadBalancerName", $"'{lbName}' is not a load balancer name: 1–32 letters, digits and '-', not starting or ending with '-'.");
        }
        if (request.Group is { Length: > 0 } group && (group.Length > 63 || !GroupPattern().IsMatch(group)))
        {
            errors.Add("group", $"'{group}' is not a group name: lower-case letters, digits, '-' and '.', starting and ending with a letter or digit, at most 63 characters.");
        }
        if (request.Host is { Length: > 0 } host && !IsDns1123Subdomain(host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host))
        {
            errors.Add("host", $"'{host}' is not a host name: lower-case DNS name such as api.example.com (a leading '*.' is allowed).");
        }
        if (request.Path is { Length: > 0 } path && !path.StartsWith('/'))
        {
            errors.Add("path", $"'{path}' is not a path: it must start with '/'.");
        }
        return errors.ToDictionary();
    }

    private static void ValidateExpose(ChangeRequest request, Errors errors)
    {
        if (string.IsNullOrEmpty(request.Namespace) || !IsDns1123Label(request.Namespace))
        {
            errors.Add("namespace", "Give the workload's namespace: a Kubernetes namespace name (lower-case letters, digits and '-', at most 63 characters).");
        }
        if (request.Workload is not { Kind: "Deployment" or "Service" })
        {
            errors.Add("workload.kind", "Say what to expose: workload.kind Deployment or Service (a ClusterIP Service).");
        }
        if (string.IsNullOrEmpty(request.Workload?.Name) || !IsDns1123Subdomain(request.Workload.Name))
        {
            errors.Add("workload.name", "Give the workload's name (a Kubernetes object name).");
        }
        if (request.Via is not ("nlb" or "alb"))
        {
            errors.Add("via", $"'{request.Via}' is not a way to expose: use nlb (a LoadBalancer Service) or alb (an Ingress).");
        }
        if (string.IsNullOrEmpty(request.Name))
        {
            errors.Add("name", "Give the new object a name.");
        }
        else if (request.Via == "nlb" && !IsDns1035Label(request.Name))
        {
            errors.Add("name", $"'{request.Name}' is not a Service name: a DNS-1035 label (lower-case letters, digits and '-', starting with a letter, at most 63 characters).");
        }
        else if (request.Via == "alb" && (!IsDns1123Subdomain(request.Name) || (request.Workload?.Kind == "Deployment" && !IsDns1035Label(request.Name))))
        {
            errors.Add("name", request.Workload?.Kind == "Deployment"
                ? $"'{request.Name}' cannot name both the Ingress and its Service: use a DNS-1035 label (lower-case letters, digits and '-', starting with a letter, at most 63 characters)."
                : $"'{request.Name}' is not an Ingress name: a DNS-1123 subdomain (lower-case letters, digits, '-' and '.', at most 253 characters).");
        }
        if (request.Port is null)
        {
            errors.Add("port", "Give the port the load balancer listens on (1–65535), e.g. 80.");
        }
        if (request.Workload?.Kind == "Deployment" && request.TargetPort is null)
        {
            errors.Add("targetPort", "Give the container port traffic goes to (1–65535), e.g. 8080.");
        }
    }

    private static void ValidateTarget(TargetRef? target, Errors errors)
    {
        if (target is not { Kind: "Service" or "Ingress" })
        {
            errors.Add("target.kind", "Say which endpoint to change: target.kind Service or Ingress.");
        }
        if (string.IsNullOrEmpty(target?.Namespace) || !IsDns1123Label(target.Namespace))
        {
            errors.Add("target.namespace", "Give the endpoint's namespace (a Kubernetes namespace name).");
        }
        if (string.IsNullOrEmpty(target?.Name) || !IsDns1123Subdomain(target.Name))
        {
            errors.Add("target.name", "Give the endpoint's name (a Kubernetes object name).");
        }
    }

    /// <summary>
    /// The inventory's annotation rule run on the objects the plan would write; each error it finds is an error of the form
    /// field that produced the annotation.
    /// </summary>
    public static IReadOnlyDictionary<string, string[]> ValidateAnnotations(IEnumerable<object> objects)
    {
        var errors = new Errors();
        foreach (var item in objects)
        {
            var lints = item switch
            {
                V1Service service => AnnotationValidation.ForService(service, ServiceDecoder.DecodeLoadBalancer(service), controllerInstalled: true),
                V1Ingress ingress => AnnotationValidation.ForIngress(IngressDecoder.Decode(ingress), _ => true),
                _ => ImmutableArray<Lint>.Empty,
            };
            foreach (var lint in lints.Where(l => l.Severity == LintSeverity.Error))
            {
                var annotation = AnnotationTitle().Match(lint.Title) is { Success: true } m ? m.Groups[1].Value : null;
                var field = (annotation is null ? null : ChangeAnnotations.FieldOf(annotation)) ?? "annotations";
                errors.Add(field, $"{lint.Title}: {lint.Detail}");
            }
        }
        return errors.ToDictionary();
    }

    public static bool IsAlb(ChangeRequest request) => request.Via == "alb" || request.Target?.Kind == "Ingress";

    public static bool IsDns1035Label(string name) => name.Length <= 63 && Dns1035Pattern().IsMatch(name);

    public static bool IsDns1123Label(string name) => name.Length <= 63 && Dns1123LabelPattern().IsMatch(name);

    public static bool IsDns1123Subdomain(string name) => name.Length <= 253 && name.Split('.').All(IsDns1123Label);

    private static void Port(Errors errors, string field, int? port)
    {
        if (port is { } p && p is < 1 or > 65535)
        {
            errors.Add(field, $"{p} is not a port: use a number from 1 to 65535.");
        }
    }

    private static void Range(Errors errors, string field, int? value, int min, int max, string what)
    {
        if (value is { } v && (v < min || v > max))
        {
            errors.Add(field, $"{v} is out of range: {what} must be {min}–{max} (the range AWS accepts).");
        }
    }

    private sealed class Errors
    {
        private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

        public void Add(string field, string message)
        {
            if (!_errors.TryGetValue(field, out var list))
            {
                _errors[field] = list = [];
            }
            list.Add(message);
        }

        public IReadOnlyDictionary<string, string[]> ToDictionary() => _errors.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
    }

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1035Pattern();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123LabelPattern();

    [GeneratedRegex(@"^(\d{3}(-\d{3})?)(,\d{3}(-\d{3})?)*$")]
    private static partial Regex SuccessCodesPattern();

    [GeneratedRegex(@"^arn:aws(-[a-z]+)*:acm:[a-z]{2}(-[a-z]+)+-\d:\d{12}:certificate/[A-Za-z0-9-]+$")]
    private static partial Regex CertificateArnPattern();

    [GeneratedRegex(@"^arn:aws(-[a-z]+)*:wafv2:[a-z]{2}(-[a-z]+)+-\d:\d{12}:regional/webacl/[A-Za-z0-9_-]+/[A-Za-z0-9-]+$")]
    private static partial Regex WafArnPattern();

    [GeneratedRegex("^ELBSecurityPolicy-[A-Za-z0-9-]+$")]
    private static partial Regex SslPolicyPattern();

    [GeneratedRegex("^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$")]
    private static partial Regex LoadBalancerNamePattern();

    [GeneratedRegex("^([a-z0-9][-a-z0-9.]*)?[a-z0-9]$")]
    private static partial Regex GroupPattern();

    [GeneratedRegex("^Invalid (\\S+): ")]
    private static partial Regex AnnotationTitle();
}
