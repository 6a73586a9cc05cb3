using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dashboard.Sandbox.Cluster;

/// <summary>
/// Builds what the EndpointSlice and Endpoints controllers publish for a Service from the pods its selector
/// picks: one endpoint per pod address with ready/serving/terminating, the node and zone, and the Service ports
/// resolved against each pod's container ports (named targetPorts resolve per pod, so pods that disagree land
/// in different slices, as upstream). Shared by the controller and the bulk loader.
/// </summary>
internal static class EndpointsBuilder
{
    public const string ServiceNameLabel = "kubernetes.io/service-name";
    public const string ManagedByLabel = "endpointslice.kubernetes.io/managed-by";
    public const string ManagedBy = "endpointslice-controller.k8s.io";
    private const int MaxEndpointsPerSlice = 100;

    public static Dictionary<string, string> Selector(JsonObject service) => JsonFields.StringMap(service["spec"]?["selector"]);

    public static bool Matches(IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string> labels) =>
        selector.Count > 0 && selector.All(s => labels.TryGetValue(s.Key, out var v) && v == s.Value);

    /// <summary>Whether a pod is an endpoint: it has an address and has not finished (terminating pods still are, in slices).</summary>
    public static bool Serves(JsonObject pod) =>
        PodStatus.PodIp(pod) is not null && !PodStatus.IsTerminal(pod);

    /// <summary>A pod being deleted: a <c>terminating</c> endpoint in slices (never <c>ready</c>), absent from Endpoints.</summary>
    public static bool Terminating(JsonObject pod) => pod["metadata"]?["deletionTimestamp"] is not null;

    /// <summary>The slice bodies (without names), in a stable order; one placeholder slice when nothing matches.</summary>
    public static List<JsonObject> Slices(JsonObject service, IEnumerable<JsonObject> pods, IReadOnlyDictionary<string, string> zoneByNode)
    {
        var groups = Group(service, pods);
        var slices = new List<JsonObject>();
        foreach (var (ports, members) in groups)
        {
            for (var i = 0; i < members.Count; i += MaxEndpointsPerSlice)
            {
                var endpoints = new JsonArray();
                foreach (var pod in members.Skip(i).Take(MaxEndpointsPerSlice))
                {
                    var serving = PodStatus.IsReady(pod);
                    var terminating = Terminating(pod);
                    var node = PodStatus.NodeName(pod);
                    var endpoint = new JsonObject
                    {
                        ["addresses"] = new JsonArray { PodStatus.PodIp(pod) },
                        ["conditions"] = new JsonObject { ["ready"] = serving && !terminating, ["serving"] = serving, ["terminating"] = terminating },
                        ["targetRef"] = TargetRef(pod),
                    };
                    if (node is not null)
                    {
                        endpoint["nodeName"] = node;
                        if (zoneByNode.TryGetValue(node, out var zone))
                        {
                            endpoint["zone"] = zone;
                        }
                    }
                    endpoints.Add(endpoint);
                }
                slices.Add(SliceBody(service, endpoints, (JsonArray)ports.DeepClone()));
            }
        }
        if (slices.Count == 0)
        {
            // The placeholder slice upstream keeps for a Service with no endpoints: no endpoints, no ports.
            slices.Add(SliceBody(service, null, null));
        }
        return slices;
    }

    /// <summary>The legacy Endpoints object (subsets by port set; not-ready pods under notReadyAddresses).</summary>
    public static JsonObject Endpoints(JsonObject service, IEnumerable<JsonObject> pods)
    {
        var subsets = new JsonArray();
        foreach (var (ports, members) in Group(service, pods.Where(p => !Terminating(p))))
        {
            var ready = new JsonArray();
            var notReady = new JsonArray();
            foreach (var pod in members.OrderBy(PodStatus.PodIp, StringComparer.Ordinal))
            {
                var address = new JsonObject { ["ip"] = PodStatus.PodIp(pod) };
                if (PodStatus.NodeName(pod) is { } node)
                {
                    address["nodeName"] = node;
                }
                address["targetRef"] = TargetRef(pod);
                (PodStatus.IsReady(pod) ? ready : notReady).Add(address);
            }
            var subset = new JsonObject();
            if (ready.Count > 0)
            {
                subset["addresses"] = ready;
            }
            if (notReady.Count > 0)
            {
                subset["notReadyAddresses"] = notReady;
            }
            var legacyPorts = new JsonArray();
            foreach (var port in ports.OfType<JsonObject>())
            {
                var copy = (JsonObject)port.DeepClone();
                if (JsonFields.String(copy, "name") is "")
                {
                    copy.Remove("name");
                }
                legacyPorts.Add(copy);
            }
            subset["ports"] = legacyPorts;
            subsets.Add(subset);
        }
        var endpoints = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = JsonFields.Name(service),
                ["namespace"] = JsonFields.Namespace(service),
                ["labels"] = JsonFields.ToObject(JsonFields.Labels(service).OrderBy(l => l.Key, StringComparer.Ordinal)),
            },
        };
        if (subsets.Count > 0)
        {
            endpoints["subsets"] = subsets;
        }
        return endpoints;
    }

    public static string SliceName(int seed, JsonObject service, int attempt)
    {
        var name = JsonFields.Name(service)!;
        var prefix = name.Length > 57 ? name[..57] : name;
        return $"{prefix}-{StableHash.Suffix(StableHash.Of(seed.ToString(CultureInfo.InvariantCulture), "slice", JsonFields.Namespace(service) ?? "", name, attempt.ToString(CultureInfo.InvariantCulture)))}";
    }

    /// <summary>Pods grouped by the port list they resolve to, groups and members in a stable order.</summary>
    private static List<(JsonArray Ports, List<JsonObject> Members)> Group(JsonObject service, IEnumerable<JsonObject> pods)
    {
        var servicePorts = JsonFields.Objects(service["spec"]?["ports"]).ToList();
        var groups = new SortedDictionary<string, (JsonArray Ports, List<JsonObject> Members)>(StringComparer.Ordinal);
        foreach (var pod in pods.Where(Serves).OrderBy(JsonFields.Name, StringComparer.Ordinal))
        {
            var ports = new JsonArray();
            foreach (var servicePort in servicePorts)
            {
                if (Resolve(servicePort, pod) is { } number)
                {
                    var port = new JsonObject
                    {
                        ["name"] = JsonFields.String(servicePort, "name") ?? "",
                        ["port"] = number,
                        ["protocol"] = JsonFields.String(servicePort, "protocol") ?? "TCP",
                    };
                    if (JsonFields.String(servicePort, "appProtocol") is { } appProtocol)
                    {
                        port["appProtocol"] = appProtocol;
                    }
                    ports.Add(port);
                }
            }
            var key = ports.ToJsonString();
            if (!groups.TryGetValue(key, out var group))
            {
                group = (ports, []);
                groups[key] = group;
            }
            group.Members.Add(pod);
        }
        return [.. groups.Values];
    }

    /// <summary>A Service port's target on one pod: a number, or a named container port of that protocol.</summary>
    private static long? Resolve(JsonObject servicePort, JsonObject pod)
    {
        var target = servicePort["targetPort"];
        if (target is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            var name = value.GetValue<string>();
            var protocol = JsonFields.String(servicePort, "protocol") ?? "TCP";
            foreach (var container in JsonFields.Objects(pod["spec"]?["containers"]))
            {
                foreach (var port in JsonFields.Objects(container["ports"]))
                {
                    if (JsonFields.String(port, "name") == name && (JsonFields.String(port, "protocol") ?? "TCP") == protocol)
                    {
                        return JsonFields.Long(port, "containerPort");
                    }
                }
            }
            return int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var numeric) ? numeric : null;
        }
        return JsonFields.Long(target) ?? JsonFields.Long(servicePort, "port");
    }

    private static JsonObject TargetRef(JsonObject pod) => new()
    {
        ["kind"] = "Pod",
        ["namespace"] = JsonFields.Namespace(pod),
        ["name"] = JsonFields.Name(pod),
        ["uid"] = JsonFields.Uid(pod),
    };

    private static JsonObject SliceBody(JsonObject service, JsonArray? endpoints, JsonArray? ports)
    {
        var labels = JsonFields.Labels(service);
        labels[ManagedByLabel] = ManagedBy;
        labels[ServiceNameLabel] = JsonFields.Name(service)!;
        return new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["namespace"] = JsonFields.Namespace(service),
                ["generateName"] = JsonFields.Name(service) + "-",
                ["labels"] = JsonFields.ToObject(labels.OrderBy(l => l.Key, StringComparer.Ordinal)),
                ["ownerReferences"] = new JsonArray
                {
                    new JsonObject
                    {
                        ["apiVersion"] = "v1",
                        ["kind"] = "Service",
                        ["name"] = JsonFields.Name(service),
                        ["uid"] = JsonFields.Uid(service),
                        ["controller"] = true,
                        ["blockOwnerDeletion"] = true,
                    },
                },
            },
            ["addressType"] = "IPv4",
            ["endpoints"] = endpoints,
            ["ports"] = ports,
        };
    }

    /// <summary>True when a stored slice already carries a desired body (labels, owner, endpoints, ports).</summary>
    public static bool SameContent(JsonObject stored, JsonObject desired) =>
        JsonNode.DeepEquals(stored["metadata"]?["labels"], desired["metadata"]?["labels"])
        && JsonNode.DeepEquals(stored["metadata"]?["ownerReferences"], desired["metadata"]?["ownerReferences"])
        && JsonNode.DeepEquals(stored["addressType"], desired["addressType"])
        && JsonNode.DeepEquals(stored["endpoints"], desired["endpoints"])
        && JsonNode.DeepEquals(stored["ports"], desired["ports"]);

    public static bool IsManaged(JsonObject slice) =>
        JsonFields.Labels(slice).GetValueOrDefault(ManagedByLabel) == ManagedBy;
}
