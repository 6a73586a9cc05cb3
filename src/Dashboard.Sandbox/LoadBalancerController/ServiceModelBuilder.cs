using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using Dashboard.Sandbox.Aws;
using Dashboard.Sandbox.Cluster;

namespace Dashboard.Sandbox.LoadBalancerController;

/// <summary>
/// Builds the NLB stack of a <c>LoadBalancer</c> Service: the AWS Load Balancer Controller's model for Services it owns
/// (<c>loadBalancerClass: service.k8s.aws/nlb</c>, or type annotation <c>external</c>/<c>nlb-ip</c>), or what the
/// in-tree cloud provider makes for <c>aws-load-balancer-type: nlb</c>. Defaults and error texts follow the real ones.
/// </summary>
internal static class ServiceModelBuilder
{
    private const string TypeSuffix = "aws-load-balancer-type";

    /// <summary>Who provisions this Service's load balancer, or null when neither implementation would.</summary>
    public static StackOwner? OwnerOf(JsonObject service)
    {
        if (JsonFields.String(service["spec"], "type") != "LoadBalancer")
        {
            return null;
        }
        var loadBalancerClass = JsonFields.String(service["spec"], "loadBalancerClass");
        if (loadBalancerClass is not null)
        {
            return loadBalancerClass == ControllerAnnotations.NlbLoadBalancerClass ? StackOwner.Controller : null;
        }
        // As the controller's checkAWSLoadBalancerTypeAnnotation: nlb-ip, or external with target type ip or instance;
        // the in-tree provider makes an NLB for "nlb" and leaves "external" and "nlb-ip" alone.
        var annotations = JsonFields.Annotations(service);
        return annotations.GetValueOrDefault(ControllerAnnotations.ServicePrefix + TypeSuffix) switch
        {
            "nlb-ip" => StackOwner.Controller,
            "external" => annotations.GetValueOrDefault(ControllerAnnotations.ServicePrefix + "aws-load-balancer-nlb-target-type") is "ip" or "instance"
                ? StackOwner.Controller
                : null,
            "nlb" => StackOwner.InTree,
            _ => null,
        };
    }

    public static string StackKey(string ns, string name) => "service/" + ns + "/" + name;

    /// <summary>
    /// The stack for the Service, or null when it cannot be built yet (instance targets before node ports are allocated).
    /// Throws <see cref="ModelBuildException"/> for annotation values the controller rejects.
    /// </summary>
    public static Stack? Build(JsonObject service, StackOwner owner, AwsWorld aws)
    {
        var ns = JsonFields.Namespace(service) ?? "";
        var name = JsonFields.Name(service) ?? "";
        var uid = JsonFields.Uid(service) ?? "";
        var annotations = JsonFields.Annotations(service);
        var reader = new AnnotationReader(ControllerAnnotations.ServicePrefix, annotations);
        var inTree = owner == StackOwner.InTree;

        var scheme = reader.String("aws-load-balancer-scheme");
        if (scheme is null)
        {
            // The legacy flag: for the controller a Go bool ("true" internal, "false" internet-facing); for the in-tree
            // provider any value but "false" (often a CIDR) makes the load balancer internal.
            scheme = inTree
                ? reader.String("aws-load-balancer-internal") is { Length: > 0 } flag && flag != "false" ? "internal" : "internet-facing"
                : reader.Bool("aws-load-balancer-internal") is false ? "internet-facing" : "internal";
        }
        if (scheme is not ("internal" or "internet-facing"))
        {
            throw new ModelBuildException($"unknown scheme: {scheme}");
        }
        var targetType = TargetType(reader, inTree);
        var ipAddressType = reader.String("aws-load-balancer-ip-address-type") ?? "ipv4";
        if (ipAddressType is not ("ipv4" or "dualstack"))
        {
            throw new ModelBuildException($"unknown IPAddressType: {ipAddressType}");
        }
        var local = JsonFields.String(service["spec"], "externalTrafficPolicy") == "Local";
        var healthCheckNodePort = (int)(JsonFields.Long(service["spec"], "healthCheckNodePort") ?? 0);
        var certificates = reader.List("aws-load-balancer-ssl-cert");
        var sslPorts = reader.List("aws-load-balancer-ssl-ports");
        var servicePorts = JsonFields.Objects(service["spec"]?["ports"]).ToList();
        var unusedSslPorts = sslPorts.Where(p => !servicePorts.Any(sp => JsonFields.String(sp, "name") == p
            || JsonFields.Long(sp, "port")?.ToString(CultureInfo.InvariantCulture) == p)).ToList();
        if (!inTree && unusedSslPorts.Count > 0)
        {
            throw new ModelBuildException($"Unused port in ssl-ports annotation [{string.Join(' ', unusedSslPorts)}]");
        }
        var backendProtocol = reader.String("aws-load-balancer-backend-protocol")?.ToLowerInvariant();
        var extraTags = reader.Map("aws-load-balancer-additional-resource-tags");
        var targetGroupAttributes = reader.Map("aws-load-balancer-target-group-attributes");
        var nodeLabels = reader.Map("aws-load-balancer-target-node-labels");

        var identity = inTree
            ? ImmutableDictionary<string, string>.Empty
                .Add("kubernetes.io/service-name", ns + "/" + name)
                .Add("kubernetes.io/cluster/" + aws.ClusterName, "owned")
            : ImmutableDictionary<string, string>.Empty
                .Add("elbv2.k8s.aws/cluster", aws.ClusterName)
                .Add("service.k8s.aws/stack", ns + "/" + name);
        var loadBalancerName = reader.String("aws-load-balancer-name")
            ?? (inTree ? ResourceNaming.InTreeLoadBalancer(uid) : ResourceNaming.ServiceLoadBalancer(aws.ClusterName, ns, name, uid, scheme));
        if (loadBalancerName.Length > 32)
        {
            throw new ModelBuildException("load balancer name cannot be longer than 32 characters");
        }

        var targetGroups = ImmutableArray.CreateBuilder<DesiredTargetGroup>();
        var listeners = ImmutableArray.CreateBuilder<DesiredListener>();
        foreach (var port in JsonFields.Objects(service["spec"]?["ports"]))
        {
            var servicePort = (int)(JsonFields.Long(port, "port") ?? 0);
            var nodePort = (int)(JsonFields.Long(port, "nodePort") ?? 0);
            var portProtocol = JsonFields.String(port, "protocol") ?? "TCP";
            if (targetType == "instance" && nodePort == 0)
            {
                return null;
            }
            var tls = certificates.Count > 0 && (sslPorts.Count == 0 || sslPorts.Contains("*") || sslPorts.Contains(servicePort.ToString(CultureInfo.InvariantCulture))
                || (JsonFields.String(port, "name") is { } portName && sslPorts.Contains(portName)));
            var listenerProtocol = portProtocol == "UDP" ? "UDP" : tls ? "TLS" : "TCP";
            var targetGroupProtocol = listenerProtocol == "TLS" && backendProtocol == "ssl" ? "TLS" : listenerProtocol == "UDP" ? "UDP" : "TCP";
            var healthCheck = HealthCheck(reader, inTree, targetType == "instance" && local, healthCheckNodePort, $"{ns}/{name}", servicePorts, targetType);
            var targetGroupPort = targetType == "instance" ? nodePort : TargetPortNumber(port);
            var resourceId = $"{ns}/{name}:{servicePort.ToString(CultureInfo.InvariantCulture)}";
            var targetGroupName = inTree
                ? ResourceNaming.InTreeTargetGroup(ns, name, servicePort, nodePort, targetGroupProtocol, aws.DefaultVpcId)
                : ResourceNaming.ServiceTargetGroup(aws.ClusterName, ns, name, uid, targetGroupPort, servicePort, targetType, targetGroupProtocol,
                    healthCheck.Protocol, healthCheck.IntervalSeconds);
            var tags = inTree
                ? identity.SetItems(extraTags)
                : identity.Add("service.k8s.aws/resource", resourceId).SetItems(extraTags);
            targetGroups.Add(new DesiredTargetGroup
            {
                ResourceId = resourceId,
                Name = targetGroupName,
                Protocol = targetGroupProtocol,
                Port = targetGroupPort,
                TargetType = targetType,
                HealthCheck = healthCheck,
                Attributes = targetGroupAttributes.ToImmutableDictionary(),
                Tags = tags,
                Backend = new BackendRef(ns, name, servicePort),
                Binding = inTree ? null : new BindingTemplate
                {
                    Labels = ImmutableDictionary<string, string>.Empty
                        .Add("service.k8s.aws/stack-namespace", ns)
                        .Add("service.k8s.aws/stack-name", name),
                    NodeSelectorLabels = [.. nodeLabels.Select(p => p.Key + "=" + p.Value)],
                },
            });
            listeners.Add(new DesiredListener
            {
                Port = servicePort,
                Protocol = listenerProtocol,
                Certificates = tls ? [.. certificates] : [],
                SslPolicy = tls ? reader.String("aws-load-balancer-ssl-negotiation-policy") ?? "ELBSecurityPolicy-2016-08" : null,
                DefaultAction = DesiredAction.ForwardTo(resourceId),
            });
        }

        var loadBalancerAttributes = new Dictionary<string, string>(reader.Map("aws-load-balancer-attributes"), StringComparer.Ordinal);
        if (reader.Bool("aws-load-balancer-cross-zone-load-balancing-enabled") is { } crossZone)
        {
            loadBalancerAttributes["load_balancing.cross_zone.enabled"] = crossZone ? "true" : "false";
        }
        if (reader.Bool("aws-load-balancer-access-log-enabled") is { } accessLogs)
        {
            loadBalancerAttributes["access_logs.s3.enabled"] = accessLogs ? "true" : "false";
            if (reader.String("aws-load-balancer-access-log-s3-bucket-name") is { } bucket)
            {
                loadBalancerAttributes["access_logs.s3.bucket"] = bucket;
            }
            if (reader.String("aws-load-balancer-access-log-s3-bucket-prefix") is { } bucketPrefix)
            {
                loadBalancerAttributes["access_logs.s3.prefix"] = bucketPrefix;
            }
        }
        var sourceRanges = SourceRanges(service, reader);
        var loadBalancerTags = (inTree ? identity : identity.Add("service.k8s.aws/resource", "LoadBalancer")).SetItems(extraTags);
        if (sourceRanges.Count > 0)
        {
            loadBalancerTags = loadBalancerTags.SetItem(ControllerAnnotations.SourceRangesTag, string.Join(',', sourceRanges));
        }
        return new Stack
        {
            Key = StackKey(ns, name),
            Owner = owner,
            Identity = identity,
            LoadBalancer = new DesiredLoadBalancer
            {
                Name = loadBalancerName,
                Type = LoadBalancerType.Network,
                Scheme = scheme,
                IpAddressType = ipAddressType,
                Subnets = Subnets(reader.List("aws-load-balancer-subnets"), aws),
                SecurityGroups = inTree ? [] : [ResourceNaming.SecurityGroupId(loadBalancerName)],
                Attributes = loadBalancerAttributes.ToImmutableDictionary(),
                Tags = loadBalancerTags,
            },
            TargetGroups = targetGroups.ToImmutable(),
            Listeners = listeners.ToImmutable(),
        };
    }

    private static string TargetType(AnnotationReader reader, bool inTree)
    {
        if (inTree)
        {
            return "instance";
        }
        if (reader.String(TypeSuffix) == "nlb-ip")
        {
            return "ip";
        }
        // The controller does not validate the value: anything but "ip" means instance targets.
        return reader.String("aws-load-balancer-nlb-target-type") == "ip" ? "ip" : "instance";
    }

    private static HealthCheck HealthCheck(AnnotationReader reader, bool inTree, bool instanceLocal, int healthCheckNodePort, string serviceKey,
        IReadOnlyList<JsonObject> servicePorts, string targetType)
    {
        // Defaults: the controller's (TCP, 10 s, 10 s, 3/3), or for instance targets with externalTrafficPolicy Local
        // kube-proxy's health check node port (HTTP /healthz, 10 s, 6 s, 2/2). The in-tree provider uses 30 s and 3/3.
        var protocol = (reader.String("aws-load-balancer-healthcheck-protocol") ?? (instanceLocal ? "HTTP" : "TCP")).ToUpperInvariant();
        if (protocol is not ("TCP" or "HTTP" or "HTTPS"))
        {
            throw new ModelBuildException($"unsupported health check protocol {reader.String("aws-load-balancer-healthcheck-protocol")}");
        }
        var port = reader.String("aws-load-balancer-healthcheck-port")
            ?? (instanceLocal && healthCheckNodePort > 0 ? healthCheckNodePort.ToString(CultureInfo.InvariantCulture) : "traffic-port");
        if (port != "traffic-port" && !int.TryParse(port, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            // A named port resolves to the Service port's node port (instance targets) or numeric target port (ip targets).
            var named = servicePorts.FirstOrDefault(p => JsonFields.String(p, "name") == port)
                ?? throw new ModelBuildException($"failed to resolve healthCheckPort: unable to find port {port} on service {serviceKey}");
            var resolved = targetType == "instance" ? JsonFields.Long(named, "nodePort") : JsonFields.Long(named, "targetPort");
            port = resolved is { } number ? number.ToString(CultureInfo.InvariantCulture)
                : throw new ModelBuildException("cannot use named healthCheckPort for IP TargetType when service's targetPort is a named port");
        }
        var http = protocol != "TCP";
        return new HealthCheck
        {
            Protocol = protocol,
            Port = port,
            Path = http ? reader.String("aws-load-balancer-healthcheck-path") ?? (instanceLocal ? "/healthz" : "/") : null,
            Matcher = http ? reader.String("aws-load-balancer-healthcheck-success-codes") ?? "200-399" : null,
            IntervalSeconds = reader.Int32("aws-load-balancer-healthcheck-interval") ?? (inTree ? 30 : 10),
            TimeoutSeconds = reader.Int32("aws-load-balancer-healthcheck-timeout") ?? (instanceLocal ? 6 : 10),
            HealthyThresholdCount = reader.Int32("aws-load-balancer-healthcheck-healthy-threshold") ?? (instanceLocal ? 2 : 3),
            UnhealthyThresholdCount = reader.Int32("aws-load-balancer-healthcheck-unhealthy-threshold") ?? (instanceLocal ? 2 : 3),
        };
    }

    private static int TargetPortNumber(JsonObject port) =>
        // A named targetPort resolves per pod; the target group's own port is then 1, as the controller does.
        JsonFields.Long(port, "targetPort") is { } number ? (int)number
        : JsonFields.String(port, "targetPort") is { } text && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed
        : JsonFields.String(port, "targetPort") is null ? (int)(JsonFields.Long(port, "port") ?? 1)
        : 1;

    private static List<string> SourceRanges(JsonObject service, AnnotationReader reader)
    {
        var ranges = (service["spec"]?["loadBalancerSourceRanges"] as JsonArray ?? [])
            .Select(n => n?.ToString() ?? "").Where(s => s.Length > 0).ToList();
        return ranges.Count > 0 ? ranges : [.. reader.List("load-balancer-source-ranges")];
    }

    /// <summary>Named subnets keep their ids and get zones in order; none named means the account's default subnets.</summary>
    internal static ImmutableArray<LoadBalancerAvailabilityZone> Subnets(IReadOnlyList<string> ids, AwsWorld aws) =>
        ids.Count == 0 ? [] : [.. ids.Select((id, i) => new LoadBalancerAvailabilityZone(aws.DefaultAvailabilityZones[i % aws.DefaultAvailabilityZones.Length].ZoneName, id))];
}
