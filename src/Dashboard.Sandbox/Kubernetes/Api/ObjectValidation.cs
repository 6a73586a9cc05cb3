using System.Globalization;
using System.Text.Json.Nodes;

namespace Dashboard.Sandbox.Kubernetes.Api;

/// <summary>
/// A reasonable subset of the API server's validation, giving 422 Invalid with field paths and the real messages:
/// object names per kind (DNS-1123 subdomain, DNS-1123 or DNS-1035 label), label and annotation syntax, Service ports
/// and types, Deployment selectors and containers, Pod containers, Ingress rules and backends, immutable cluster IPs.
/// </summary>
internal static class ObjectValidation
{
    public static void Validate(ResourceType type, JsonObject obj, JsonObject? current)
    {
        var errors = new List<StatusCause>();
        var meta = obj["metadata"] as JsonObject ?? [];
        var name = meta["name"]?.ToString() ?? "";
        ValidateMetadata(type, meta, errors);
        if (type == ResourceTypes.Services)
        {
            ValidateService(obj, current, errors);
        }
        else if (type == ResourceTypes.Deployments || type == ResourceTypes.ReplicaSets)
        {
            ValidateDeployment(obj, type.Singular, errors);
        }
        else if (type == ResourceTypes.Pods)
        {
            ValidateContainers(obj["spec"]?["containers"] as JsonArray, "spec.containers", errors);
        }
        else if (type == ResourceTypes.Ingresses)
        {
            ValidateIngress(obj, errors);
        }
        if (errors.Count > 0)
        {
            throw StoreException.Invalid(type, name, errors);
        }
    }

    private static void ValidateMetadata(ResourceType type, JsonObject meta, List<StatusCause> errors)
    {
        var name = meta["name"]?.ToString();
        if (string.IsNullOrEmpty(name))
        {
            if (string.IsNullOrEmpty(meta["generateName"]?.ToString()))
            {
                errors.Add(Required("metadata.name", "name or generateName is required"));
            }
        }
        else if (type == ResourceTypes.Services && !LabelSyntax.IsDns1035Label(name))
        {
            errors.Add(Invalid("metadata.name", name, LabelSyntax.Dns1035LabelHint));
        }
        else if (type == ResourceTypes.Namespaces && !LabelSyntax.IsDns1123Label(name))
        {
            errors.Add(Invalid("metadata.name", name, LabelSyntax.Dns1123LabelHint));
        }
        else if (!LabelSyntax.IsDns1123Subdomain(name))
        {
            errors.Add(Invalid("metadata.name", name, LabelSyntax.Dns1123SubdomainHint));
        }
        if (meta["labels"] is JsonObject labels)
        {
            foreach (var (key, value) in labels)
            {
                if (!LabelSyntax.IsQualifiedName(key))
                {
                    errors.Add(Invalid("metadata.labels", key, LabelSyntax.QualifiedNameHint));
                }
                var text = value?.ToString() ?? "";
                if (value is not JsonValue || !LabelSyntax.IsLabelValue(text))
                {
                    errors.Add(Invalid("metadata.labels", text, LabelSyntax.LabelValueHint));
                }
            }
        }
        if (meta["annotations"] is JsonObject annotations)
        {
            foreach (var (key, _) in annotations)
            {
                if (!LabelSyntax.IsQualifiedName(key.ToLowerInvariant()))
                {
                    errors.Add(Invalid("metadata.annotations", key, LabelSyntax.QualifiedNameHint));
                }
            }
        }
    }

    private static void ValidateService(JsonObject obj, JsonObject? current, List<StatusCause> errors)
    {
        var spec = obj["spec"] as JsonObject ?? [];
        var type = spec["type"]?.ToString() ?? "ClusterIP";
        string[] types = ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"];
        if (!types.Contains(type))
        {
            errors.Add(NotSupported("spec.type", type, types));
        }
        var ports = spec["ports"] as JsonArray ?? [];
        var headless = spec["clusterIP"]?.ToString() == "None";
        if (ports.Count == 0 && type != "ExternalName" && !headless)
        {
            errors.Add(Required("spec.ports", ""));
        }
        var names = new HashSet<string>();
        var keys = new HashSet<(string, string)>();
        var nodePorts = new HashSet<(string, string)>();
        for (var i = 0; i < ports.Count; i++)
        {
            var path = $"spec.ports[{i}]";
            DuplicatePorts(ports[i] as JsonObject, path, keys, nodePorts, errors);
            if (ports[i] is not JsonObject port)
            {
                errors.Add(Invalid(path, ports[i], "must be an object"));
                continue;
            }
            var portName = port["name"]?.ToString() ?? "";
            if (ports.Count > 1 && portName.Length == 0)
            {
                errors.Add(Required(path + ".name", ""));
            }
            else if (portName.Length > 0 && !LabelSyntax.IsDns1123Label(portName))
            {
                errors.Add(Invalid(path + ".name", portName, LabelSyntax.Dns1123LabelHint));
            }
            if (portName.Length > 0 && !names.Add(portName))
            {
                errors.Add(new StatusCause("FieldValueDuplicate", $"Duplicate value: \"{portName}\"", path + ".name"));
            }
            ValidatePortNumber(port["port"], path + ".port", required: true, errors);
            var protocol = port["protocol"]?.ToString() ?? "TCP";
            string[] protocols = ["TCP", "UDP", "SCTP"];
            if (!protocols.Contains(protocol))
            {
                errors.Add(NotSupported(path + ".protocol", protocol, protocols));
            }
            if (port["targetPort"] is JsonValue target)
            {
                if (target.TryGetValue<string>(out var named))
                {
                    if (!LabelSyntax.IsIanaServiceName(named) && !(int.TryParse(named, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 65535))
                    {
                        errors.Add(Invalid(path + ".targetPort", named, "must contain at least one letter (a-z), at most 15 characters, and only lower-case letters, digits and '-'"));
                    }
                }
                else
                {
                    ValidatePortNumber(target, path + ".targetPort", required: false, errors);
                }
            }
            if (port["nodePort"] is JsonNode nodePort)
            {
                if (type is not ("NodePort" or "LoadBalancer"))
                {
                    errors.Add(new StatusCause("FieldValueForbidden", $"Forbidden: may not be used when `type` is '{type}'", path + ".nodePort"));
                }
                else if (!JsonScalar.TryGetInt64(nodePort, out var np) || np is < 30000 or > 32767)
                {
                    errors.Add(Invalid(path + ".nodePort", nodePort, "provided port is not in the valid range. The range of valid ports is 30000-32767"));
                }
            }
        }
        var oldIp = current?["spec"]?["clusterIP"]?.ToString();
        var newIp = spec["clusterIP"]?.ToString();
        if (oldIp is not null && newIp is not null && oldIp != newIp && type != "ExternalName")
        {
            errors.Add(Invalid("spec.clusterIPs[0]", newIp, "may not change once set"));
        }
        if (type == "ExternalName" && string.IsNullOrEmpty(spec["externalName"]?.ToString()))
        {
            errors.Add(Required("spec.externalName", ""));
        }
    }

    /// <summary>
    /// A second port with the same port and protocol (the key ValidateService checks, printed as Go prints it), or the
    /// same node port and protocol, is a duplicate.
    /// </summary>
    private static void DuplicatePorts(JsonObject? port, string path, HashSet<(string, string)> keys, HashSet<(string, string)> nodePorts, List<StatusCause> errors)
    {
        if (port is null)
        {
            return;
        }
        var protocol = port["protocol"]?.ToString() ?? "TCP";
        var number = port["port"]?.ToString() ?? "0";
        if (!keys.Add((number, protocol)))
        {
            errors.Add(new StatusCause("FieldValueDuplicate",
                $"Duplicate value: core.ServicePort{{Name:\"\", Protocol:\"{protocol}\", AppProtocol:(*string)(nil), Port:{number}, TargetPort:intstr.IntOrString{{Type:0, IntVal:0, StrVal:\"\"}}, NodePort:0}}",
                path));
        }
        if (port["nodePort"]?.ToString() is { } nodePort && nodePort != "0" && !nodePorts.Add((nodePort, protocol)))
        {
            errors.Add(new StatusCause("FieldValueDuplicate", $"Duplicate value: {nodePort}", path + ".nodePort"));
        }
    }

    private static void ValidatePortNumber(JsonNode? value, string path, bool required, List<StatusCause> errors)
    {
        if (value is null)
        {
            if (required)
            {
                errors.Add(Required(path, ""));
            }
            return;
        }
        if (!JsonScalar.TryGetInt64(value, out var port) || port is < 1 or > 65535)
        {
            errors.Add(Invalid(path, value, "must be between 1 and 65535, inclusive"));
        }
    }

    private static void ValidateDeployment(JsonObject obj, string kind, List<StatusCause> errors)
    {
        var spec = obj["spec"] as JsonObject ?? [];
        if (JsonScalar.TryGetInt64(spec["replicas"], out var r) && r < 0)
        {
            errors.Add(Invalid("spec.replicas", spec["replicas"], "must be greater than or equal to 0"));
        }
        var matchLabels = spec["selector"]?["matchLabels"] as JsonObject;
        if (spec["selector"] is not JsonObject)
        {
            errors.Add(Required("spec.selector", ""));
        }
        else if (matchLabels is null or { Count: 0 } && spec["selector"]?["matchExpressions"] is not JsonArray { Count: > 0 })
        {
            errors.Add(Invalid("spec.selector", spec["selector"], $"empty selector is invalid for {kind}"));
        }
        var templateLabels = spec["template"]?["metadata"]?["labels"] as JsonObject;
        if (matchLabels is not null && matchLabels.Any(p => templateLabels?[p.Key]?.ToString() != p.Value?.ToString()))
        {
            errors.Add(Invalid("spec.template.metadata.labels", templateLabels, "`selector` does not match template `labels`"));
        }
        ValidateContainers(spec["template"]?["spec"]?["containers"] as JsonArray, "spec.template.spec.containers", errors);
    }

    private static void ValidateContainers(JsonArray? containers, string path, List<StatusCause> errors)
    {
        if (containers is null || containers.Count == 0)
        {
            errors.Add(Required(path, ""));
            return;
        }
        for (var i = 0; i < containers.Count; i++)
        {
            var name = containers[i]?["name"]?.ToString();
            if (string.IsNullOrEmpty(name))
            {
                errors.Add(Required($"{path}[{i}].name", ""));
            }
            else if (!LabelSyntax.IsDns1123Label(name))
            {
                errors.Add(Invalid($"{path}[{i}].name", name, LabelSyntax.Dns1123LabelHint));
            }
            if (string.IsNullOrEmpty(containers[i]?["image"]?.ToString()))
            {
                errors.Add(Required($"{path}[{i}].image", ""));
            }
        }
    }

    private static void ValidateIngress(JsonObject obj, List<StatusCause> errors)
    {
        var spec = obj["spec"] as JsonObject ?? [];
        if (spec["defaultBackend"] is JsonObject fallback)
        {
            ValidateBackend(fallback, "spec.defaultBackend", errors);
        }
        var rules = spec["rules"] as JsonArray ?? [];
        if (rules.Count == 0 && spec["defaultBackend"] is null)
        {
            errors.Add(Invalid("spec.rules", spec["rules"], "either `defaultBackend` or `rules` must be specified"));
        }
        for (var i = 0; i < rules.Count; i++)
        {
            var host = rules[i]?["host"]?.ToString();
            if (!string.IsNullOrEmpty(host) && !LabelSyntax.IsDns1123Subdomain(host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host))
            {
                errors.Add(Invalid($"spec.rules[{i}].host", host, LabelSyntax.Dns1123SubdomainHint));
            }
            var paths = rules[i]?["http"]?["paths"] as JsonArray ?? [];
            for (var j = 0; j < paths.Count; j++)
            {
                var path = $"spec.rules[{i}].http.paths[{j}]";
                var pathType = paths[j]?["pathType"]?.ToString();
                string[] pathTypes = ["Exact", "Prefix", "ImplementationSpecific"];
                if (pathType is null)
                {
                    errors.Add(Required(path + ".pathType", "pathType must be specified"));
                }
                else if (!pathTypes.Contains(pathType))
                {
                    errors.Add(NotSupported(path + ".pathType", pathType, pathTypes));
                }
                var p = paths[j]?["path"]?.ToString();
                if (pathType is "Exact" or "Prefix" && (string.IsNullOrEmpty(p) || p[0] != '/'))
                {
                    errors.Add(Invalid(path + ".path", p ?? "", "must be an absolute path"));
                }
                if (paths[j]?["backend"] is JsonObject backend)
                {
                    ValidateBackend(backend, path + ".backend", errors);
                }
                else
                {
                    errors.Add(Required(path + ".backend", ""));
                }
            }
        }
    }

    private static void ValidateBackend(JsonObject backend, string path, List<StatusCause> errors)
    {
        if (backend["service"] is JsonObject service)
        {
            var name = service["name"]?.ToString();
            if (string.IsNullOrEmpty(name))
            {
                errors.Add(Required(path + ".service.name", ""));
            }
            var port = service["port"] as JsonObject;
            var hasName = !string.IsNullOrEmpty(port?["name"]?.ToString());
            var hasNumber = port?["number"] is not null;
            if (hasName == hasNumber)
            {
                errors.Add(Invalid(path + ".service.port", port, "port name or number is required (exactly one)"));
            }
            else if (hasNumber)
            {
                ValidatePortNumber(port!["number"], path + ".service.port.number", required: true, errors);
            }
        }
        else if (backend["resource"] is null)
        {
            errors.Add(Invalid(path, backend, "one of `service` or `resource` must be specified"));
        }
    }

    private static StatusCause Required(string field, string detail) =>
        new("FieldValueRequired", detail.Length == 0 ? "Required value" : "Required value: " + detail, field);

    private static StatusCause Invalid(string field, string value, string detail) =>
        new("FieldValueInvalid", $"Invalid value: \"{value}\": {detail}", field);

    /// <summary>As the API server prints values: strings quoted, numbers and objects as JSON.</summary>
    private static StatusCause Invalid(string field, JsonNode? value, string detail) =>
        value is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String
            ? Invalid(field, v.ToString(), detail)
            : new("FieldValueInvalid", $"Invalid value: {value?.ToJsonString() ?? "null"}: {detail}", field);

    private static StatusCause NotSupported(string field, string value, IEnumerable<string> supported) =>
        new("FieldValueNotSupported", $"Unsupported value: \"{value}\": supported values: {string.Join(", ", supported.Select(s => $"\"{s}\""))}", field);
}
