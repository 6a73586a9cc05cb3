using System.Globalization;
using Dashboard.Client.Changes;
using Dashboard.Server.Inventory;
using k8s.Models;

namespace Dashboard.Server.Changes;

/// <summary>
/// Turns a validated <see cref="ChangeRequest"/> into the objects server-side apply sends (the applied configuration: only
/// the fields the dashboard manages), and reads a live object back into a request (the reconfigure form, the rollback).
/// Pure: the Kubernetes objects it needs are handed in.
/// </summary>
public static class ManifestBuilder
{
    public const string AlbClass = "alb";

    /// <summary>Labels every object the dashboard creates carries.</summary>
    public const string CreatedByLabel = "endpoint-dashboard.io/created-by";

    /// <summary>A LoadBalancer Service for an NLB, selecting <paramref name="selector"/>.</summary>
    public static V1Service NlbService(ChangeRequest request, IDictionary<string, string> selector, int targetPort) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new V1ObjectMeta
        {
            Name = request.Name,
            NamespaceProperty = request.Namespace,
            Labels = new Dictionary<string, string> { [CreatedByLabel] = "guided-change" },
            Annotations = Annotations(request, alb: false, liveAttributes: null),
        },
        Spec = new V1ServiceSpec
        {
            Type = "LoadBalancer",
            LoadBalancerClass = ServiceDecoder.AwsLoadBalancerClass,
            Selector = new Dictionary<string, string>(selector),
            Ports = [new V1ServicePort { Name = PortName(request), Port = request.Port!.Value, TargetPort = targetPort, Protocol = "TCP" }],
            LoadBalancerSourceRanges = request.SourceRanges is { Count: > 0 } ranges ? [.. ranges.Select(r => r.Trim())] : null,
        },
    };

    /// <summary>The ClusterIP Service an ALB Ingress made for a Deployment sends its traffic to.</summary>
    public static V1Service BackendService(ChangeRequest request, IDictionary<string, string> selector) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new V1ObjectMeta
        {
            Name = request.Name,
            NamespaceProperty = request.Namespace,
            Labels = new Dictionary<string, string> { [CreatedByLabel] = "guided-change" },
        },
        Spec = new V1ServiceSpec
        {
            Type = "ClusterIP",
            Selector = new Dictionary<string, string>(selector),
            Ports = [new V1ServicePort { Name = "http", Port = request.Port!.Value, TargetPort = request.TargetPort!.Value, Protocol = "TCP" }],
        },
    };

    /// <summary>An Ingress of class alb sending <c>host</c>/<c>path</c> to <paramref name="serviceName"/>:<paramref name="servicePort"/>.</summary>
    public static V1Ingress AlbIngress(ChangeRequest request, string serviceName, int servicePort) => new()
    {
        ApiVersion = "networking.k8s.io/v1",
        Kind = "Ingress",
        Metadata = new V1ObjectMeta
        {
            Name = request.Name,
            NamespaceProperty = request.Namespace,
            Labels = new Dictionary<string, string> { [CreatedByLabel] = "guided-change" },
            Annotations = Annotations(request, alb: true, liveAttributes: null),
        },
        Spec = new V1IngressSpec
        {
            IngressClassName = AlbClass,
            Rules =
            [
                new V1IngressRule
                {
                    Host = string.IsNullOrEmpty(request.Host) ? null : request.Host,
                    Http = new V1HTTPIngressRuleValue
                    {
                        Paths =
                        [
                            new V1HTTPIngressPath
                            {
                                Path = string.IsNullOrEmpty(request.Path) ? "/" : request.Path,
                                PathType = "Prefix",
                                Backend = new V1IngressBackend { Service = new V1IngressServiceBackend { Name = serviceName, Port = new V1ServiceBackendPort { Number = servicePort } } },
                            },
                        ],
                    },
                },
            ],
        },
    };

    /// <summary>The applied configuration of a reconfigure of a Service: its annotations and source ranges.</summary>
    public static V1Service ReconfigureService(ChangeRequest request, V1Service live) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new V1ObjectMeta
        {
            Name = live.Metadata.Name,
            NamespaceProperty = live.Metadata.NamespaceProperty,
            ResourceVersion = live.Metadata.ResourceVersion,
            Annotations = NullIfEmpty(Annotations(request, alb: false, Attributes(live.Metadata.Annotations, ServiceDecoder.TargetGroupAttributesAnnotation))),
        },
        Spec = request.SourceRanges is { Count: > 0 } ranges ? new V1ServiceSpec { LoadBalancerSourceRanges = [.. ranges.Select(r => r.Trim())] } : null,
    };

    /// <summary>The applied configuration of a reconfigure of an Ingress: its annotations.</summary>
    public static V1Ingress ReconfigureIngress(ChangeRequest request, V1Ingress live) => new()
    {
        ApiVersion = "networking.k8s.io/v1",
        Kind = "Ingress",
        Metadata = new V1ObjectMeta
        {
            Name = live.Metadata.Name,
            NamespaceProperty = live.Metadata.NamespaceProperty,
            ResourceVersion = live.Metadata.ResourceVersion,
            Annotations = NullIfEmpty(Annotations(request, alb: true, Attributes(live.Metadata.Annotations, ChangeAnnotations.Ingress["targetGroupAttributes"]))),
        },
    };

    /// <summary>The controller annotations for the request's fields (only those it sets).</summary>
    public static Dictionary<string, string> Annotations(ChangeRequest request, bool alb, IReadOnlyDictionary<string, string>? liveAttributes)
    {
        var table = alb ? ChangeAnnotations.Ingress : ChangeAnnotations.Service;
        var a = new Dictionary<string, string>(StringComparer.Ordinal);
        void Set(string field, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                a[table[field]] = value;
            }
        }
        Set("scheme", request.Scheme);
        Set("targetType", request.TargetType);
        var hc = request.HealthCheck;
        Set("healthCheck.path", hc?.Path);
        Set("healthCheck.port", hc?.Port);
        Set("healthCheck.protocol", hc?.Protocol?.ToUpperInvariant());
        Set("healthCheck.successCodes", hc?.SuccessCodes);
        Set("healthCheck.intervalSeconds", Text(hc?.IntervalSeconds));
        Set("healthCheck.timeoutSeconds", Text(hc?.TimeoutSeconds));
        Set("healthCheck.healthyThreshold", Text(hc?.HealthyThreshold));
        Set("healthCheck.unhealthyThreshold", Text(hc?.UnhealthyThreshold));
        Set("certificateArn", request.CertificateArn);
        Set("sslPolicy", request.SslPolicy);
        Set("loadBalancerName", request.LoadBalancerName);
        if (request.Tags is { Count: > 0 } tags)
        {
            Set("tags", string.Join(',', tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value}")));
        }
        var attributes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in liveAttributes ?? new Dictionary<string, string>())
        {
            attributes[key] = value;
        }
        if (request.DeregistrationDelaySeconds is { } delay)
        {
            attributes["deregistration_delay.timeout_seconds"] = Text(delay)!;
        }
        if (request.Stickiness is { } sticky)
        {
            attributes["stickiness.enabled"] = sticky ? "true" : "false";
            if (sticky)
            {
                attributes["stickiness.type"] = alb ? "lb_cookie" : "source_ip";
            }
        }
        if (attributes.Count > 0)
        {
            Set("targetGroupAttributes", string.Join(',', attributes.Select(p => $"{p.Key}={p.Value}")));
        }
        if (alb)
        {
            Set("wafAclArn", request.WafAclArn);
            Set("group", request.Group);
            if (request.SourceRanges is { Count: > 0 } ranges)
            {
                Set("sourceRanges", string.Join(',', ranges.Select(r => r.Trim())));
            }
            if (!string.IsNullOrEmpty(request.CertificateArn))
            {
                Set("listenPorts", "[{\"HTTP\": 80}, {\"HTTPS\": 443}]");
                if (request.SslRedirect == true)
                {
                    Set("sslRedirect", "443");
                }
            }
        }
        else if (!string.IsNullOrEmpty(request.CertificateArn))
        {
            a[ServiceDecoder.Prefix + "aws-load-balancer-ssl-ports"] = Text(request.Port) ?? "443";
        }
        return a;
    }

    /// <summary>A reconfigure form pre-filled from a live Service.</summary>
    public static ChangeRequest FromService(V1Service live)
    {
        var a = live.Metadata.Annotations ?? new Dictionary<string, string>();
        string? Get(string field) => a.TryGetValue(ChangeAnnotations.Service[field], out var v) ? v : null;
        var attributes = Attributes(a, ServiceDecoder.TargetGroupAttributesAnnotation);
        var ranges = live.Spec?.LoadBalancerSourceRanges is { Count: > 0 } specRanges ? specRanges.ToList()
            : AnnotationValues.List(a.TryGetValue(ServiceDecoder.SourceRangesAnnotation, out var annotated) ? annotated : null).ToList();
        return new ChangeRequest
        {
            Action = ChangeActions.Reconfigure,
            Target = new TargetRef("Service", live.Metadata.NamespaceProperty, live.Metadata.Name),
            Scheme = Get("scheme"),
            TargetType = Get("targetType"),
            Port = live.Spec?.Ports?.FirstOrDefault()?.Port,
            HealthCheck = HealthCheck(Get),
            SourceRanges = ranges.Count > 0 ? ranges : null,
            CertificateArn = Get("certificateArn"),
            SslPolicy = Get("sslPolicy"),
            DeregistrationDelaySeconds = Int(attributes.GetValueOrDefault("deregistration_delay.timeout_seconds")),
            Stickiness = attributes.TryGetValue("stickiness.enabled", out var sticky) ? sticky == "true" : null,
            Tags = Tags(Get("tags")),
            LoadBalancerName = Get("loadBalancerName"),
        };
    }

    /// <summary>A reconfigure form pre-filled from a live Ingress.</summary>
    public static ChangeRequest FromIngress(V1Ingress live)
    {
        var a = live.Metadata.Annotations ?? new Dictionary<string, string>();
        string? Get(string field) => a.TryGetValue(ChangeAnnotations.Ingress[field], out var v) ? v : null;
        var attributes = Attributes(a, ChangeAnnotations.Ingress["targetGroupAttributes"]);
        var ranges = AnnotationValues.List(Get("sourceRanges")).ToList();
        var path = live.Spec?.Rules?.FirstOrDefault()?.Http?.Paths?.FirstOrDefault();
        return new ChangeRequest
        {
            Action = ChangeActions.Reconfigure,
            Target = new TargetRef("Ingress", live.Metadata.NamespaceProperty, live.Metadata.Name),
            Scheme = Get("scheme"),
            TargetType = Get("targetType"),
            Port = path?.Backend?.Service?.Port?.Number,
            HealthCheck = HealthCheck(Get),
            SourceRanges = ranges.Count > 0 ? ranges : null,
            CertificateArn = Get("certificateArn"),
            SslRedirect = Get("sslRedirect") is not null ? true : null,
            SslPolicy = Get("sslPolicy"),
            WafAclArn = Get("wafAclArn"),
            DeregistrationDelaySeconds = Int(attributes.GetValueOrDefault("deregistration_delay.timeout_seconds")),
            Stickiness = attributes.TryGetValue("stickiness.enabled", out var sticky) ? sticky == "true" : null,
            Tags = Tags(Get("tags")),
            LoadBalancerName = Get("loadBalancerName"),
            Host = live.Spec?.Rules?.FirstOrDefault()?.Host,
            Path = path?.Path,
            Group = Get("group"),
        };
    }

    /// <summary>
    /// The health check a Deployment's readinessProbe implies (path, port, protocol), or null with the reason when it has
    /// none to copy — the check that decides when a pod gets traffic is the best first guess for the balancer's.
    /// </summary>
    public static (HealthCheckRequest? Check, string? Note) HealthCheckFromProbe(V1PodTemplateSpec? template)
    {
        var containers = template?.Spec?.Containers ?? [];
        foreach (var container in containers)
        {
            var probe = container.ReadinessProbe;
            if (probe?.HttpGet is { } get)
            {
                var port = ResolvePort(get.Port, container);
                return (new HealthCheckRequest
                {
                    Path = string.IsNullOrEmpty(get.Path) ? "/" : get.Path,
                    Port = port is null ? "traffic-port" : Text(port),
                    Protocol = string.Equals(get.Scheme, "HTTPS", StringComparison.OrdinalIgnoreCase) ? "HTTPS" : "HTTP",
                    IntervalSeconds = probe.PeriodSeconds is { } period and >= 5 and <= 300 ? period : null,
                }, $"Health check copied from the readinessProbe of container {container.Name}.");
            }
            if (probe?.TcpSocket is { } tcp)
            {
                var port = ResolvePort(tcp.Port, container);
                return (new HealthCheckRequest { Protocol = "TCP", Port = port is null ? "traffic-port" : Text(port) },
                    $"Container {container.Name} has a TCP readinessProbe: the NLB checks TCP; an ALB needs an HTTP path.");
            }
        }
        return (null, "No container has an HTTP readinessProbe: the controller's default health check (traffic port, '/') may not match the app — set the path it answers 200 on.");
    }

    /// <summary>The first container port (the usual target port of a new Service).</summary>
    public static int? FirstContainerPort(V1PodTemplateSpec? template) =>
        template?.Spec?.Containers?.SelectMany(c => c.Ports ?? []).Select(p => (int?)p.ContainerPort).FirstOrDefault();

    private static int? ResolvePort(IntOrString? port, V1Container container)
    {
        var value = port?.Value;
        if (value is null)
        {
            return null;
        }
        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }
        return container.Ports?.FirstOrDefault(p => p.Name == value)?.ContainerPort;
    }

    private static HealthCheckRequest? HealthCheck(Func<string, string?> get)
    {
        var check = new HealthCheckRequest
        {
            Path = get("healthCheck.path"),
            Port = get("healthCheck.port"),
            Protocol = get("healthCheck.protocol"),
            SuccessCodes = get("healthCheck.successCodes"),
            IntervalSeconds = Int(get("healthCheck.intervalSeconds")),
            TimeoutSeconds = Int(get("healthCheck.timeoutSeconds")),
            HealthyThreshold = Int(get("healthCheck.healthyThreshold")),
            UnhealthyThreshold = Int(get("healthCheck.unhealthyThreshold")),
        };
        return check == new HealthCheckRequest() ? null : check;
    }

    private static Dictionary<string, string> Attributes(IDictionary<string, string>? annotations, string key)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (annotations is null || !annotations.TryGetValue(key, out var raw))
        {
            return result;
        }
        foreach (var pair in raw.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length == 2)
            {
                result[parts[0]] = parts[1];
            }
        }
        return result;
    }

    private static Dictionary<string, string>? Tags(string? raw)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return null;
        }
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in raw.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split('=', 2, StringSplitOptions.TrimEntries);
            tags[parts[0]] = parts.Length == 2 ? parts[1] : "";
        }
        return tags;
    }

    private static string PortName(ChangeRequest request) => string.IsNullOrEmpty(request.CertificateArn) ? "http" : "https";

    private static Dictionary<string, string>? NullIfEmpty(Dictionary<string, string> values) => values.Count == 0 ? null : values;

    private static int? Int(string? raw) => int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static string? Text(int? value) => value?.ToString(CultureInfo.InvariantCulture);
}
