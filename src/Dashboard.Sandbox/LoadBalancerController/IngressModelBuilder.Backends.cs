using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dashboard.Sandbox.Aws;
using Dashboard.Sandbox.Cluster;

namespace Dashboard.Sandbox.LoadBalancerController;

/// <summary>Turning member backends into actions and target groups.</summary>
internal static partial class IngressModelBuilder
{
    /// <summary>Turns member backends into actions, creating each target group once.</summary>
    private sealed class BackendContext(IngressGroupId group, JsonObject ingress, string ingressKey, string ns,
        Func<string, string, JsonObject?> findService, AwsWorld aws, Dictionary<string, DesiredTargetGroup> targetGroups)
    {
        private readonly Dictionary<string, string> _annotations = JsonFields.Annotations(ingress);

        public DesiredAction Action(JsonObject backend)
        {
            var service = backend["service"] as JsonObject
                ?? throw new ModelBuildException($"ingress: {ingressKey}: only Service backends are supported");
            var serviceName = JsonFields.String(service, "name") ?? "";
            var portName = JsonFields.String(service["port"], "name");
            if (portName == "use-annotation")
            {
                return AnnotatedAction(serviceName);
            }
            var port = JsonFields.Long(service["port"], "number") is { } number ? ((int)number).ToString(CultureInfo.InvariantCulture) : portName ?? "";
            return DesiredAction.ForwardTo(TargetGroup(serviceName, port));
        }

        private DesiredAction AnnotatedAction(string name)
        {
            var key = Prefix + "actions." + name;
            if (!_annotations.TryGetValue(key, out var raw))
            {
                throw new ModelBuildException($"ingress: {ingressKey}: missing actions.{name} configuration");
            }
            try
            {
                var config = JsonNode.Parse(raw)!.AsObject();
                var type = JsonFields.String(config, "type");
                switch (type)
                {
                    case "forward":
                        var groups = JsonFields.Objects(config["forwardConfig"]?["targetGroups"]).Select(tg => new ForwardTo(
                            TargetGroup(JsonFields.String(tg, "serviceName") ?? "", tg["servicePort"]?.ToString() ?? ""),
                            (int)(JsonFields.Long(tg, "weight") ?? 1))).ToList();
                        if (groups.Count == 0 && JsonFields.String(config, "targetGroupARN") is null)
                        {
                            throw new ModelBuildException($"ingress: {ingressKey}: actions.{name}: a forward action needs forwardConfig.targetGroups");
                        }
                        return new DesiredAction { Type = "forward", Forward = [.. groups] };
                    case "fixed-response":
                        var fixedConfig = config["fixedResponseConfig"];
                        return new DesiredAction
                        {
                            Type = "fixed-response",
                            FixedResponse = new FixedResponse(JsonFields.String(fixedConfig, "statusCode") ?? "200",
                                JsonFields.String(fixedConfig, "contentType"), JsonFields.String(fixedConfig, "messageBody")),
                        };
                    case "redirect":
                        var r = config["redirectConfig"];
                        return new DesiredAction
                        {
                            Type = "redirect",
                            Redirect = new RedirectConfig(JsonFields.String(r, "protocol") ?? "#{protocol}", JsonFields.String(r, "port") ?? "#{port}",
                                JsonFields.String(r, "host") ?? "#{host}", JsonFields.String(r, "path") ?? "/#{path}",
                                JsonFields.String(r, "query") ?? "#{query}", JsonFields.String(r, "statusCode") ?? "HTTP_301"),
                        };
                    default:
                        throw new ModelBuildException($"ingress: {ingressKey}: actions.{name}: unknown action type: {type}");
                }
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException)
            {
                throw new ModelBuildException($"ingress: {ingressKey}: failed to parse json annotation, {key}: {raw.Trim()}"
                    + (GoJson.SyntaxError(raw) is { } syntax ? ": " + syntax : ""));
            }
        }

        private string TargetGroup(string serviceName, string port)
        {
            var service = findService(ns, serviceName)
                ?? throw new ModelBuildException($"ingress: {ingressKey}: Service \"{serviceName}\" not found");
            var servicePort = JsonFields.Objects(service["spec"]?["ports"]).FirstOrDefault(p =>
                    JsonFields.Long(p, "port")?.ToString(CultureInfo.InvariantCulture) == port || JsonFields.String(p, "name") == port)
                ?? throw new ModelBuildException($"ingress: {ingressKey}: unable to find port {port} on service {ns}/{serviceName}");
            var portNumber = (int)(JsonFields.Long(servicePort, "port") ?? 0);
            var resourceId = $"{ingressKey}-{serviceName}:{port}";
            if (targetGroups.ContainsKey(resourceId))
            {
                return resourceId;
            }
            // Per-Service annotations override the Ingress's for everything about the target group.
            var reader = new AnnotationReader(Prefix, JsonFields.Annotations(service), _annotations);
            var targetType = reader.String("target-type") ?? "instance";
            if (targetType is not ("instance" or "ip"))
            {
                throw new ModelBuildException($"unknown targetType: {targetType}");
            }
            var protocol = (reader.String("backend-protocol") ?? "HTTP").ToUpperInvariant();
            if (protocol is not ("HTTP" or "HTTPS"))
            {
                throw new ModelBuildException($"backend protocol must be within [HTTP, HTTPS]: {protocol}");
            }
            var protocolVersion = (reader.String("backend-protocol-version") ?? "HTTP1").ToUpperInvariant();
            int targetGroupPort;
            if (targetType == "instance")
            {
                targetGroupPort = (int)(JsonFields.Long(servicePort, "nodePort") ?? 0);
                if (targetGroupPort == 0)
                {
                    throw new ModelBuildException($"ingress: {ingressKey}: TargetGroup port is empty. When using Instance targets, your service must be of type 'NodePort' or 'LoadBalancer'");
                }
            }
            else
            {
                targetGroupPort = JsonFields.Long(servicePort, "targetPort") is { } numeric ? (int)numeric
                    : JsonFields.String(servicePort, "targetPort") is null ? portNumber : 1;
            }
            var healthCheckProtocol = (reader.String("healthcheck-protocol") ?? protocol).ToUpperInvariant();
            if (healthCheckProtocol is not ("HTTP" or "HTTPS"))
            {
                throw new ModelBuildException("healthCheckProtocol must be within [HTTP, HTTPS]");
            }
            var healthCheck = new HealthCheck
            {
                Protocol = healthCheckProtocol,
                Port = reader.String("healthcheck-port") ?? "traffic-port",
                Path = reader.String("healthcheck-path") ?? "/",
                Matcher = reader.String("success-codes") ?? "200",
                IntervalSeconds = reader.Int32("healthcheck-interval-seconds") ?? 15,
                TimeoutSeconds = reader.Int32("healthcheck-timeout-seconds") ?? 5,
                HealthyThresholdCount = reader.Int32("healthy-threshold-count") ?? 2,
                UnhealthyThresholdCount = reader.Int32("unhealthy-threshold-count") ?? 2,
            };
            var attributes = reader.Map("target-group-attributes");
            var binding = new BindingTemplate
            {
                Labels = group.IsExplicit
                    ? ImmutableDictionary<string, string>.Empty.Add("ingress.k8s.aws/stack", group.Name)
                    : ImmutableDictionary<string, string>.Empty.Add("ingress.k8s.aws/stack-namespace", group.Namespace).Add("ingress.k8s.aws/stack-name", group.Name),
                NodeSelectorLabels = [],
            };
            targetGroups[resourceId] = new DesiredTargetGroup
            {
                ResourceId = resourceId,
                Name = ResourceNaming.IngressTargetGroup(aws.ClusterName, group, ingressKey, ns, serviceName, JsonFields.Uid(service) ?? "", port,
                    targetGroupPort, targetType, protocol, protocolVersion),
                Protocol = protocol,
                Port = targetGroupPort,
                TargetType = targetType,
                ProtocolVersion = protocolVersion,
                HealthCheck = healthCheck,
                Attributes = attributes.ToImmutableDictionary(),
                Tags = ImmutableDictionary<string, string>.Empty
                    .Add("elbv2.k8s.aws/cluster", aws.ClusterName)
                    .Add("ingress.k8s.aws/stack", group.ToString())
                    .Add("ingress.k8s.aws/resource", resourceId),
                Backend = new BackendRef(ns, serviceName, portNumber),
                Binding = binding,
            };
            return resourceId;
        }
    }
}
