using System.Globalization;
using System.Text.Json.Nodes;

namespace Dashboard.Sandbox.Kubernetes.Api;

/// <summary>
/// <c>meta.k8s.io/v1 Table</c> renderings with the columns kubectl prints for each kind (priority 1 = <c>-o wide</c>),
/// rows carrying PartialObjectMetadata so <c>--show-labels</c> works. Kinds without their own columns get NAME and AGE.
/// </summary>
internal static class ObjectTables
{
    private sealed record Column(string Name, string Type, int Priority, Func<JsonObject, DateTimeOffset, object> Cell, string Format = "");

    private static readonly Column NameColumn = new("Name", "string", 0, (o, _) => Str(o, "metadata.name"), "name");
    private static readonly Column AgeColumn = new("Age", "string", 0, (o, now) => Age(o, now));

    private static readonly Dictionary<ResourceType, Column[]> Columns = new()
    {
        [ResourceTypes.Services] =
        [
            NameColumn,
            new("Type", "string", 0, (o, _) => Str(o, "spec.type")),
            new("Cluster-IP", "string", 0, (o, _) => Str(o, "spec.clusterIP") is { Length: > 0 } ip ? ip : "<none>"),
            new("External-IP", "string", 0, (o, _) => ServiceExternalIp(o)),
            new("Port(s)", "string", 0, (o, _) => ServicePorts(o)),
            AgeColumn,
            new("Selector", "string", 1, (o, _) => Pairs(o["spec"]?["selector"] as JsonObject, "<none>")),
        ],
        [ResourceTypes.Ingresses] =
        [
            NameColumn,
            new("Class", "string", 0, (o, _) => Str(o, "spec.ingressClassName") is { Length: > 0 } c ? c : "<none>"),
            new("Hosts", "string", 0, (o, _) => IngressHosts(o)),
            new("Address", "string", 0, (o, _) => LoadBalancerAddresses(o)),
            new("Ports", "string", 0, (o, _) => o["spec"]?["tls"] is JsonArray { Count: > 0 } ? "80, 443" : "80"),
            AgeColumn,
        ],
        [ResourceTypes.Pods] =
        [
            NameColumn,
            new("Ready", "string", 0, (o, _) => PodReady(o)),
            new("Status", "string", 0, (o, _) => PodStatus(o)),
            new("Restarts", "string", 0, (o, now) => PodRestarts(o, now)),
            AgeColumn,
            new("IP", "string", 1, (o, _) => Str(o, "status.podIP") is { Length: > 0 } ip ? ip : "<none>"),
            new("Node", "string", 1, (o, _) => Str(o, "spec.nodeName") is { Length: > 0 } n ? n : "<none>"),
            new("Nominated Node", "string", 1, (_, _) => "<none>"),
            new("Readiness Gates", "string", 1, (o, _) => PodReadinessGates(o)),
        ],
        [ResourceTypes.Deployments] =
        [
            NameColumn,
            new("Ready", "string", 0, (o, _) => $"{Int(o, "status.readyReplicas")}/{Int(o, "spec.replicas")}"),
            new("Up-to-date", "integer", 0, (o, _) => Int(o, "status.updatedReplicas")),
            new("Available", "integer", 0, (o, _) => Int(o, "status.availableReplicas")),
            AgeColumn,
            new("Containers", "string", 1, (o, _) => Containers(o, "name")),
            new("Images", "string", 1, (o, _) => Containers(o, "image")),
            new("Selector", "string", 1, (o, _) => Pairs(o["spec"]?["selector"]?["matchLabels"] as JsonObject, "<none>")),
        ],
        [ResourceTypes.ReplicaSets] =
        [
            NameColumn,
            new("Desired", "integer", 0, (o, _) => Int(o, "spec.replicas")),
            new("Current", "integer", 0, (o, _) => Int(o, "status.replicas")),
            new("Ready", "integer", 0, (o, _) => Int(o, "status.readyReplicas")),
            AgeColumn,
            new("Containers", "string", 1, (o, _) => Containers(o, "name")),
            new("Images", "string", 1, (o, _) => Containers(o, "image")),
            new("Selector", "string", 1, (o, _) => Pairs(o["spec"]?["selector"]?["matchLabels"] as JsonObject, "<none>")),
        ],
        [ResourceTypes.Endpoints] =
        [
            NameColumn,
            new("Endpoints", "string", 0, (o, _) => EndpointAddresses(o)),
            AgeColumn,
        ],
        [ResourceTypes.EndpointSlices] =
        [
            NameColumn,
            new("AddressType", "string", 0, (o, _) => Str(o, "addressType")),
            new("Ports", "string", 0, (o, _) => Join((o["ports"] as JsonArray)?.Select(p => p?["port"]?.ToString() ?? "").ToList(), "<unset>")),
            new("Endpoints", "string", 0, (o, _) => Join((o["endpoints"] as JsonArray)?.SelectMany(e => (e?["addresses"] as JsonArray)?.Select(a => a?.ToString() ?? "") ?? []).ToList(), "<unset>")),
            AgeColumn,
        ],
        [ResourceTypes.Events] =
        [
            new("Last Seen", "string", 0, (o, now) => EventLastSeen(o, now)),
            new("Type", "string", 0, (o, _) => Str(o, "type")),
            new("Reason", "string", 0, (o, _) => Str(o, "reason")),
            new("Object", "string", 0, (o, _) => $"{Str(o, "involvedObject.kind").ToLowerInvariant()}/{Str(o, "involvedObject.name")}"),
            new("Subobject", "string", 1, (o, _) => Str(o, "involvedObject.fieldPath")),
            new("Source", "string", 1, (o, _) => Str(o, "source.component") is { Length: > 0 } c ? c : Str(o, "reportingComponent")),
            new("Message", "string", 0, (o, _) => Str(o, "message")),
            new("First Seen", "string", 1, (o, now) => Since(Str(o, "firstTimestamp"), now)),
            new("Count", "string", 1, (o, _) => Str(o, "count") is { Length: > 0 } c ? c : "1"),
            new("Name", "string", 1, (o, _) => Str(o, "metadata.name"), "name"),
        ],
        [ResourceTypes.Nodes] =
        [
            NameColumn,
            new("Status", "string", 0, (o, _) => NodeStatus(o)),
            new("Roles", "string", 0, (o, _) => NodeRoles(o)),
            AgeColumn,
            new("Version", "string", 0, (o, _) => Str(o, "status.nodeInfo.kubeletVersion")),
            new("Internal-IP", "string", 1, (o, _) => NodeAddress(o, "InternalIP")),
            new("External-IP", "string", 1, (o, _) => NodeAddress(o, "ExternalIP")),
            new("OS-Image", "string", 1, (o, _) => Str(o, "status.nodeInfo.osImage")),
            new("Kernel-Version", "string", 1, (o, _) => Str(o, "status.nodeInfo.kernelVersion")),
            new("Container-Runtime", "string", 1, (o, _) => Str(o, "status.nodeInfo.containerRuntimeVersion")),
        ],
        [ResourceTypes.Namespaces] =
        [
            NameColumn,
            new("Status", "string", 0, (o, _) => Str(o, "status.phase")),
            AgeColumn,
        ],
        [ResourceTypes.ConfigMaps] =
        [
            NameColumn,
            new("Data", "integer", 0, (o, _) => ((o["data"] as JsonObject)?.Count ?? 0) + ((o["binaryData"] as JsonObject)?.Count ?? 0)),
            AgeColumn,
        ],
        [ResourceTypes.IngressClasses] =
        [
            NameColumn,
            new("Controller", "string", 0, (o, _) => Str(o, "spec.controller")),
            new("Parameters", "string", 0, (o, _) => o["spec"]?["parameters"] is JsonObject p ? $"{p["kind"]}/{p["name"]}" : "<none>"),
            AgeColumn,
        ],
        [ResourceTypes.Leases] =
        [
            NameColumn,
            new("Holder", "string", 0, (o, _) => Str(o, "spec.holderIdentity")),
            AgeColumn,
        ],
        [ResourceTypes.TargetGroupBindings] =
        [
            NameColumn,
            new("Service-Name", "string", 0, (o, _) => Str(o, "spec.serviceRef.name")),
            new("Service-Port", "string", 0, (o, _) => Str(o, "spec.serviceRef.port")),
            new("Target-Type", "string", 0, (o, _) => Str(o, "spec.targetType")),
            AgeColumn,
            new("ARN", "string", 1, (o, _) => Str(o, "spec.targetGroupARN")),
        ],
        [ResourceTypes.IngressClassParams] =
        [
            NameColumn,
            new("Group-Name", "string", 0, (o, _) => Str(o, "spec.group.name")),
            new("Scheme", "string", 0, (o, _) => Str(o, "spec.scheme")),
            new("IP-Address-Type", "string", 1, (o, _) => Str(o, "spec.ipAddressType")),
            AgeColumn,
        ],
    };

    /// <summary>Renders objects as a Table; <paramref name="includeColumns"/> false omits the column definitions (later watch events).</summary>
    public static JsonObject Render(ResourceType type, IEnumerable<JsonObject> items, DateTimeOffset now, JsonObject listMetadata, bool includeColumns = true) =>
        Render(Columns.GetValueOrDefault(type) ?? [NameColumn, AgeColumn], items, now, listMetadata, includeColumns);

    /// <summary>An <c>autoscaling/v1 Scale</c> as a Table, with the API server's Scale columns (Name, Desired, Available).</summary>
    public static JsonObject RenderScale(JsonObject scale, DateTimeOffset now) =>
        Render(ScaleColumns, [scale], now, new JsonObject { ["resourceVersion"] = scale["metadata"]?["resourceVersion"]?.DeepClone() }, includeColumns: true);

    private static readonly Column[] ScaleColumns =
    [
        NameColumn,
        new("Desired", "integer", 0, (o, _) => Int(o, "spec.replicas")),
        new("Available", "integer", 0, (o, _) => Int(o, "status.replicas")),
    ];

    private static JsonObject Render(Column[] columns, IEnumerable<JsonObject> items, DateTimeOffset now, JsonObject listMetadata, bool includeColumns)
    {
        var rows = new JsonArray();
        foreach (var item in items)
        {
            var cells = new JsonArray(columns.Select(c => ToNode(c.Cell(item, now))).ToArray());
            rows.Add(new JsonObject { ["cells"] = cells, ["object"] = PartialObjectMetadata(item) });
        }
        var table = new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = listMetadata,
        };
        table["columnDefinitions"] = includeColumns
            ? new JsonArray(columns.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name,
                ["type"] = c.Type,
                ["format"] = c.Format,
                ["description"] = c.Name,
                ["priority"] = c.Priority,
            }).ToArray())
            : null;
        table["rows"] = rows;
        return table;
    }

    public static JsonObject PartialObjectMetadata(JsonObject item) => new()
    {
        ["kind"] = "PartialObjectMetadata",
        ["apiVersion"] = "meta.k8s.io/v1",
        ["metadata"] = item["metadata"]?.DeepClone(),
    };

    private static JsonNode? ToNode(object value) => value switch
    {
        int i => i,
        long l => l,
        _ => value.ToString(),
    };

    /// <summary>Kubernetes' human duration (apimachinery duration.HumanDuration): 45s, 3m20s, 5h10m, 3d4h, 2y10d.</summary>
    public static string HumanDuration(TimeSpan d)
    {
        var seconds = (long)d.TotalSeconds;
        if (seconds < -1)
        {
            return "<invalid>";
        }
        if (seconds < 0)
        {
            return "0s";
        }
        if (seconds < 120)
        {
            return $"{seconds}s";
        }
        var minutes = seconds / 60;
        if (minutes < 10)
        {
            return seconds % 60 == 0 ? $"{minutes}m" : $"{minutes}m{seconds % 60}s";
        }
        if (minutes < 180)
        {
            return $"{minutes}m";
        }
        var hours = minutes / 60;
        if (hours < 8)
        {
            return minutes % 60 == 0 ? $"{hours}h" : $"{hours}h{minutes % 60}m";
        }
        if (hours < 48)
        {
            return $"{hours}h";
        }
        if (hours < 24 * 8)
        {
            return hours % 24 == 0 ? $"{hours / 24}d" : $"{hours / 24}d{hours % 24}h";
        }
        if (hours < 24 * 365 * 2)
        {
            return $"{hours / 24}d";
        }
        var years = hours / 24 / 365;
        var days = hours / 24 % 365;
        return hours < 24 * 365 * 8 && days != 0 ? $"{years}y{days}d" : $"{years}y";
    }

    private static string Age(JsonObject o, DateTimeOffset now) => Since(Str(o, "metadata.creationTimestamp"), now);

    private static string Since(string timestamp, DateTimeOffset now) =>
        DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? HumanDuration(now - t) : "<unknown>";

    private static string EventLastSeen(JsonObject o, DateTimeOffset now)
    {
        foreach (var field in new[] { "series.lastObservedTime", "lastTimestamp", "eventTime", "firstTimestamp", "metadata.creationTimestamp" })
        {
            if (Str(o, field) is { Length: > 0 } t)
            {
                return Since(t, now);
            }
        }
        return "<unknown>";
    }

    private static string Str(JsonObject o, string path)
    {
        JsonNode? node = o;
        foreach (var segment in path.Split('.'))
        {
            node = node is JsonObject obj ? obj[segment] : null;
        }
        return node is JsonValue v ? v.ToString() : "";
    }

    private static int Int(JsonObject o, string path) => int.TryParse(Str(o, path), CultureInfo.InvariantCulture, out var n) ? n : 0;

    private static string Join(IReadOnlyCollection<string>? values, string empty) =>
        values is null || values.Count == 0 ? empty : string.Join(",", values);

    private static string Pairs(JsonObject? map, string empty) =>
        map is null || map.Count == 0 ? empty : string.Join(",", map.Select(p => $"{p.Key}={p.Value}"));

    private static string ServiceExternalIp(JsonObject o)
    {
        var type = Str(o, "spec.type");
        var external = (o["spec"]?["externalIPs"] as JsonArray)?.Select(x => x?.ToString() ?? "").ToList() ?? [];
        switch (type)
        {
            case "ExternalName":
                return Str(o, "spec.externalName");
            case "LoadBalancer":
                var lb = LoadBalancerAddresses(o);
                if (lb.Length > 0)
                {
                    external.Add(lb);
                }
                return external.Count > 0 ? string.Join(",", external) : "<pending>";
            default:
                return external.Count > 0 ? string.Join(",", external) : "<none>";
        }
    }

    private static string LoadBalancerAddresses(JsonObject o) =>
        string.Join(",", (o["status"]?["loadBalancer"]?["ingress"] as JsonArray ?? [])
            .Select(i => i?["ip"]?.ToString() is { Length: > 0 } ip ? ip : i?["hostname"]?.ToString() ?? "")
            .Where(s => s.Length > 0));

    private static string ServicePorts(JsonObject o)
    {
        var ports = o["spec"]?["ports"] as JsonArray;
        if (ports is null || ports.Count == 0)
        {
            return "<none>";
        }
        return string.Join(",", ports.Select(p =>
        {
            var nodePort = p?["nodePort"]?.ToString();
            var protocol = p?["protocol"]?.ToString() ?? "TCP";
            return string.IsNullOrEmpty(nodePort) ? $"{p?["port"]}/{protocol}" : $"{p?["port"]}:{nodePort}/{protocol}";
        }));
    }

    private static string IngressHosts(JsonObject o)
    {
        var hosts = (o["spec"]?["rules"] as JsonArray ?? []).Select(r => r?["host"]?.ToString()).Where(h => !string.IsNullOrEmpty(h)).ToList();
        if (hosts.Count == 0)
        {
            return "*";
        }
        return hosts.Count > 4 ? string.Join(",", hosts.Take(4)) + $" + {hosts.Count - 4} more..." : string.Join(",", hosts);
    }

    private static IEnumerable<JsonObject> Statuses(JsonObject o) =>
        (o["status"]?["containerStatuses"] as JsonArray)?.OfType<JsonObject>() ?? [];

    /// <summary>As the API server's pod printer: the restart count, with the time since the last termination when there is one.</summary>
    private static string PodRestarts(JsonObject o, DateTimeOffset now)
    {
        var restarts = Statuses(o).Sum(s => JsonScalar.TryGetInt64(s["restartCount"], out var n) ? n : 0);
        var lastFinished = Statuses(o)
            .Select(s => DateTimeOffset.TryParse(s["lastState"]?["terminated"]?["finishedAt"]?.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : (DateTimeOffset?)null)
            .Max();
        var count = restarts.ToString(CultureInfo.InvariantCulture);
        return restarts != 0 && lastFinished is { } last ? $"{count} ({HumanDuration(now - last)} ago)" : count;
    }

    private static string PodReady(JsonObject o)
    {
        var total = (o["spec"]?["containers"] as JsonArray)?.Count ?? 0;
        var ready = Statuses(o).Count(s => JsonScalar.IsTrue(s["ready"]));
        return $"{ready}/{total}";
    }

    private static string PodStatus(JsonObject o)
    {
        if (o["metadata"]?["deletionTimestamp"] is not null)
        {
            return "Terminating";
        }
        foreach (var s in Statuses(o))
        {
            var waiting = s["state"]?["waiting"]?["reason"]?.ToString();
            if (!string.IsNullOrEmpty(waiting))
            {
                return waiting;
            }
            var terminated = s["state"]?["terminated"]?["reason"]?.ToString();
            if (!string.IsNullOrEmpty(terminated))
            {
                return terminated;
            }
        }
        return Str(o, "status.reason") is { Length: > 0 } reason ? reason : Str(o, "status.phase") is { Length: > 0 } phase ? phase : "Unknown";
    }

    private static string PodReadinessGates(JsonObject o)
    {
        var gates = (o["spec"]?["readinessGates"] as JsonArray)?.Select(g => g?["conditionType"]?.ToString()).ToList() ?? [];
        if (gates.Count == 0)
        {
            return "<none>";
        }
        var conditions = (o["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var ready = gates.Count(g => conditions.Any(c => c["type"]?.ToString() == g && c["status"]?.ToString() == "True"));
        return $"{ready}/{gates.Count}";
    }

    private static string Containers(JsonObject o, string field) =>
        string.Join(",", (o["spec"]?["template"]?["spec"]?["containers"] as JsonArray ?? []).Select(c => c?[field]?.ToString()));

    private static string EndpointAddresses(JsonObject o)
    {
        var list = new List<string>();
        foreach (var subset in (o["subsets"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var ports = (subset["ports"] as JsonArray ?? []).Select(p => p?["port"]?.ToString()).ToList();
            foreach (var address in (subset["addresses"] as JsonArray ?? []).Select(a => a?["ip"]?.ToString()))
            {
                list.AddRange(ports.Count == 0 ? [address ?? ""] : ports.Select(p => $"{address}:{p}"));
            }
        }
        if (list.Count == 0)
        {
            return "<none>";
        }
        return list.Count > 3 ? string.Join(",", list.Take(3)) + $" + {list.Count - 3} more..." : string.Join(",", list);
    }

    private static string NodeStatus(JsonObject o)
    {
        var ready = (o["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(c => c["type"]?.ToString() == "Ready");
        var status = ready?["status"]?.ToString() == "True" ? "Ready" : ready is null ? "Unknown" : "NotReady";
        return JsonScalar.IsTrue(o["spec"]?["unschedulable"]) ? status + ",SchedulingDisabled" : status;
    }

    private static string NodeRoles(JsonObject o)
    {
        var roles = (o["metadata"]?["labels"] as JsonObject ?? [])
            .Where(p => p.Key.StartsWith("node-role.kubernetes.io/", StringComparison.Ordinal))
            .Select(p => p.Key["node-role.kubernetes.io/".Length..]).ToList();
        return roles.Count == 0 ? "<none>" : string.Join(",", roles);
    }

    private static string NodeAddress(JsonObject o, string type) =>
        (o["status"]?["addresses"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(a => a["type"]?.ToString() == type)?["address"]?.ToString() ?? "<none>";
}
