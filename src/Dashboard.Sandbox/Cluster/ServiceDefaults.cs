using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dashboard.Sandbox.Kubernetes;

namespace Dashboard.Sandbox.Cluster;

/// <summary>
/// The cluster IPs and node ports already taken, for <see cref="ServiceDefaults"/>. Build one from the store for a
/// single create, or keep one across a bulk load and let each <see cref="ServiceDefaults.Apply(JsonObject, ServiceAddressSpace)"/> reserve into it.
/// </summary>
public sealed class ServiceAddressSpace
{
    private readonly HashSet<uint> _clusterIps = [];
    private readonly HashSet<int> _nodePorts = [];

    public bool IsClusterIpTaken(uint address) => _clusterIps.Contains(address);

    public bool IsNodePortTaken(int port) => _nodePorts.Contains(port);

    /// <summary>Marks a Service's addresses as taken.</summary>
    public void Reserve(JsonObject service)
    {
        var listed = service["spec"]?["clusterIPs"] as JsonArray ?? [];
        foreach (var ip in listed.Select(n => n?.ToString() ?? "").Append(JsonFields.String(service["spec"], "clusterIP") ?? ""))
        {
            if (ServiceDefaults.TryParseIPv4(ip, out var address))
            {
                _clusterIps.Add(address);
            }
        }
        foreach (var port in JsonFields.Objects(service["spec"]?["ports"]))
        {
            if (JsonFields.Long(port, "nodePort") is { } nodePort and > 0)
            {
                _nodePorts.Add((int)nodePort);
            }
        }
    }

    /// <summary>The addresses taken by every stored Service except <paramref name="exceptNamespace"/>/<paramref name="exceptName"/>.</summary>
    public static ServiceAddressSpace FromStore(ResourceStore store, string? exceptNamespace = null, string? exceptName = null)
    {
        var space = new ServiceAddressSpace();
        // The predicate sees stored objects under the store's lock and copies nothing.
        store.List(ResourceTypes.Services, null, service =>
        {
            if (!(JsonFields.Namespace(service) == exceptNamespace && JsonFields.Name(service) == exceptName))
            {
                space.Reserve(service);
            }
            return false;
        });
        return space;
    }
}

/// <summary>
/// What the API server fills in on a Service create: type, session affinity, IP families, traffic policies,
/// port protocol and targetPort, a cluster IP from 10.100.0.0/16 (EKS's default service range) and node ports from
/// 30000-32767 for NodePort and LoadBalancer Services. Explicit values are validated, not replaced.
/// Allocation is stable for a name, so the same scenario gets the same addresses.
/// Throws <see cref="StoreException"/> (422 Invalid) naming the field on bad input.
/// </summary>
public static class ServiceDefaults
{
    public const int NodePortMin = 30000;
    public const int NodePortMax = 32767;
    private const uint ServiceCidrBase = (10u << 24) | (100u << 16);
    private const uint ServiceCidrSize = 1 << 16;
    private static readonly string[] _types = ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"];

    /// <summary>Fills defaults against the Services stored now (the API create path).</summary>
    public static void Apply(JsonObject service, ResourceStore store) =>
        Apply(service, ServiceAddressSpace.FromStore(store, JsonFields.Namespace(service), JsonFields.Name(service)));

    /// <summary>Fills defaults against <paramref name="taken"/>, and reserves what it allocates there.</summary>
    public static void Apply(JsonObject service, ServiceAddressSpace taken)
    {
        var name = JsonFields.Name(service) ?? "";
        var ns = JsonFields.Namespace(service) ?? "default";
        var spec = JsonFields.Child(service, "spec");
        var type = JsonFields.String(spec, "type") ?? "ClusterIP";
        if (!_types.Contains(type))
        {
            throw Invalid(name, "spec.type", $"Unsupported value: \"{type}\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"");
        }
        spec["type"] = type;
        spec.TryAdd("sessionAffinity", "None");
        if (type == "ExternalName")
        {
            return;
        }

        var ports = spec["ports"] as JsonArray;
        var headless = JsonFields.String(spec, "clusterIP") == "None";
        if ((ports is null || ports.Count == 0) && !headless)
        {
            throw Invalid(name, "spec.ports", "Required value: add at least one port, e.g. {\"port\": 80, \"targetPort\": 8080}");
        }
        var wantsNodePorts = type == "NodePort" || (type == "LoadBalancer" && JsonFields.Bool(spec, "allocateLoadBalancerNodePorts") != false);
        var index = 0;
        foreach (var port in JsonFields.Objects(ports))
        {
            var field = $"spec.ports[{index}]";
            if (JsonFields.Long(port, "port") is not { } number || number is < 1 or > 65535)
            {
                throw Invalid(name, field + ".port", "Invalid value: must be between 1 and 65535, inclusive");
            }
            port.TryAdd("protocol", "TCP");
            if (port["targetPort"] is null || (port["targetPort"] is JsonValue target && target.GetValueKind() == JsonValueKind.Number && JsonFields.Long(target) == 0))
            {
                port["targetPort"] = number;
            }
            var nodePort = JsonFields.Long(port, "nodePort") ?? 0;
            if (nodePort != 0)
            {
                if (!wantsNodePorts)
                {
                    throw Invalid(name, field + ".nodePort", $"Forbidden: may not be used when `type` is '{type}'; remove nodePort or use type NodePort or LoadBalancer");
                }
                if (nodePort is < NodePortMin or > NodePortMax)
                {
                    throw Invalid(name, field + ".nodePort", $"Invalid value: {nodePort}: provided port is not in the valid range. The range of valid ports is {NodePortMin}-{NodePortMax}");
                }
                if (taken.IsNodePortTaken((int)nodePort))
                {
                    throw Invalid(name, field + ".nodePort", $"Invalid value: {nodePort}: provided port is already allocated; omit nodePort to have one allocated");
                }
            }
            else if (wantsNodePorts)
            {
                port["nodePort"] = AllocateNodePort(ns, name, index, taken);
            }
            index++;
        }

        if (!headless)
        {
            var requested = JsonFields.String(spec, "clusterIP");
            if (string.IsNullOrEmpty(requested))
            {
                requested = AllocateClusterIp(ns, name, taken);
            }
            else if (!TryParseIPv4(requested, out var address) || address - ServiceCidrBase >= ServiceCidrSize)
            {
                throw Invalid(name, "spec.clusterIPs", $"Invalid value: [\"{requested}\"]: failed to allocate IP {requested}: provided IP is not in the valid range. The range of valid IPs is 10.100.0.0/16");
            }
            else if (taken.IsClusterIpTaken(address))
            {
                throw Invalid(name, "spec.clusterIPs", $"Invalid value: [\"{requested}\"]: failed to allocate IP {requested}: provided IP is already allocated");
            }
            spec["clusterIP"] = requested;
            spec["clusterIPs"] = new JsonArray { requested };
        }
        else
        {
            spec["clusterIPs"] = new JsonArray { "None" };
        }
        spec.TryAdd("ipFamilies", new JsonArray { "IPv4" });
        spec.TryAdd("ipFamilyPolicy", "SingleStack");
        spec.TryAdd("internalTrafficPolicy", "Cluster");
        if (type is "NodePort" or "LoadBalancer")
        {
            spec.TryAdd("externalTrafficPolicy", "Cluster");
        }
        if (type == "LoadBalancer")
        {
            spec.TryAdd("allocateLoadBalancerNodePorts", true);
        }
        taken.Reserve(service);
    }

    /// <summary>True when a stored Service still lacks a cluster IP or a node port it should have.</summary>
    public static bool NeedsDefaults(JsonObject service)
    {
        var spec = service["spec"] as JsonObject;
        var type = JsonFields.String(spec, "type") ?? "ClusterIP";
        if (type == "ExternalName")
        {
            return false;
        }
        if (string.IsNullOrEmpty(JsonFields.String(spec, "clusterIP")))
        {
            return true;
        }
        var wantsNodePorts = type == "NodePort" || (type == "LoadBalancer" && JsonFields.Bool(spec, "allocateLoadBalancerNodePorts") != false);
        return wantsNodePorts && JsonFields.Objects(spec?["ports"]).Any(p => (JsonFields.Long(p, "nodePort") ?? 0) == 0);
    }

    private static string AllocateClusterIp(string ns, string name, ServiceAddressSpace taken)
    {
        // .0/.1 (kubernetes) and .10 (kube-dns) of the first block stay for the well-known Services.
        const uint reserved = 16;
        var usable = ServiceCidrSize - reserved - 1;
        var start = (uint)(StableHash.Of("cluster-ip", ns, name) % usable);
        for (uint i = 0; i < usable; i++)
        {
            var address = ServiceCidrBase + reserved + ((start + i) % usable);
            if (!taken.IsClusterIpTaken(address))
            {
                return SimulatedNode.ToAddress(address);
            }
        }
        throw new StoreException(HttpStatusCode.InternalServerError, "InternalError", "failed to allocate a cluster IP: the service range 10.100.0.0/16 is full");
    }

    private static int AllocateNodePort(string ns, string name, int index, ServiceAddressSpace taken)
    {
        const int range = NodePortMax - NodePortMin + 1;
        var start = (int)(StableHash.Of("node-port", ns, name, index.ToString(CultureInfo.InvariantCulture)) % range);
        for (var i = 0; i < range; i++)
        {
            var port = NodePortMin + ((start + i) % range);
            if (!taken.IsNodePortTaken(port))
            {
                return port;
            }
        }
        throw new StoreException(HttpStatusCode.InternalServerError, "InternalError", "failed to allocate a node port: the range 30000-32767 is full");
    }

    internal static bool TryParseIPv4(string text, out uint address)
    {
        address = 0;
        if (!IPAddress.TryParse(text, out var ip) || ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            return false;
        }
        var bytes = ip.GetAddressBytes();
        address = ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
        return true;
    }

    private static StoreException Invalid(string name, string field, string message) =>
        StoreException.Invalid(ResourceTypes.Services, name, [new StatusCause("FieldValueInvalid", message, field)]);
}
