using System.Globalization;
using System.Text.Json.Nodes;

namespace Dashboard.Sandbox.Kubernetes.Api;

/// <summary>
/// The server-side defaulting and allocation a real API server performs on write for the kinds the dashboard reads:
/// Service type, protocols, target ports, cluster IP (10.100.0.0/16 as on EKS) and node ports; Deployment replicas and
/// strategy; Namespace phase and name label. Values allocated once are carried over on update, as the real registry does.
/// </summary>
internal sealed partial class ObjectDefaults(ResourceStore store)
{
    private readonly object _allocationGate = new();

    public void Apply(ResourceType type, JsonObject obj, JsonObject? current)
    {
        if (type == ResourceTypes.Services)
        {
            DefaultService(obj, current);
        }
        else if (type == ResourceTypes.ReplicaSets)
        {
            var spec = Child(obj, "spec");
            spec["replicas"] ??= 1;
            DefaultPodSpec(Child(Child(spec, "template"), "spec"));
        }
        else if (type == ResourceTypes.Deployments)
        {
            DefaultDeployment(obj);
        }
        else if (type == ResourceTypes.Namespaces)
        {
            var name = obj["metadata"]?["name"]?.ToString();
            if (!string.IsNullOrEmpty(name))
            {
                Child(Child(obj, "metadata"), "labels")["kubernetes.io/metadata.name"] = name;
            }
            Child(obj, "spec")["finalizers"] ??= new JsonArray("kubernetes");
            Child(obj, "status")["phase"] ??= "Active";
        }
        else if (type == ResourceTypes.Pods)
        {
            var spec = Child(obj, "spec");
            DefaultPodSpec(spec);
            spec["enableServiceLinks"] ??= true;
            spec["preemptionPolicy"] ??= "PreemptLowerPriority";
            spec["priority"] ??= 0;
        }
    }

    /// <summary>A Deployment's defaults (replicas, history, deadline, strategy) and its pod template's.</summary>
    public static void DefaultDeployment(JsonObject obj)
    {
        var spec = Child(obj, "spec");
        DefaultPodSpec(Child(Child(spec, "template"), "spec"));
        spec["replicas"] ??= 1;
        spec["revisionHistoryLimit"] ??= 10;
        spec["progressDeadlineSeconds"] ??= 600;
        // As SetDefaults_Deployment: an empty strategy ({} is what kubectl create deployment sends) is a rolling update.
        var strategy = Child(spec, "strategy");
        strategy["type"] ??= "RollingUpdate";
        if (strategy["type"]!.ToString() == "RollingUpdate")
        {
            var rollingUpdate = Child(strategy, "rollingUpdate");
            rollingUpdate["maxUnavailable"] ??= "25%";
            rollingUpdate["maxSurge"] ??= "25%";
        }
    }

    private void DefaultService(JsonObject obj, JsonObject? current)
    {
        var spec = Child(obj, "spec");
        var currentSpec = current?["spec"] as JsonObject;
        spec["type"] ??= "ClusterIP";
        var type = spec["type"]!.ToString();
        if (type == "ExternalName")
        {
            return;
        }
        spec["sessionAffinity"] ??= "None";
        spec["internalTrafficPolicy"] ??= "Cluster";
        if (type is "NodePort" or "LoadBalancer")
        {
            spec["externalTrafficPolicy"] ??= "Cluster";
        }
        if (type == "LoadBalancer")
        {
            spec["allocateLoadBalancerNodePorts"] ??= true;
        }
        if (spec["ports"] is JsonArray ports)
        {
            foreach (var port in ports.OfType<JsonObject>())
            {
                port["protocol"] ??= "TCP";
                port["targetPort"] ??= port["port"]?.DeepClone();
            }
        }
        lock (_allocationGate)
        {
            if (spec["clusterIP"] is null && spec["clusterIPs"] is null)
            {
                var ip = currentSpec?["clusterIP"]?.ToString() ?? AllocateClusterIp(obj);
                spec["clusterIP"] = ip;
            }
            spec["clusterIP"] ??= spec["clusterIPs"]?[0]?.DeepClone();
            spec["clusterIPs"] ??= new JsonArray(spec["clusterIP"]!.DeepClone());
            if (spec["clusterIP"]?.ToString() != "None")
            {
                spec["ipFamilies"] ??= new JsonArray("IPv4");
                spec["ipFamilyPolicy"] ??= "SingleStack";
            }
            if (type is "NodePort" or "LoadBalancer" && spec["ports"] is JsonArray withNodePorts)
            {
                var oldPorts = (currentSpec?["ports"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
                CheckNodePortsFree(obj, withNodePorts, oldPorts);
                foreach (var port in withNodePorts.OfType<JsonObject>().Where(p => p["nodePort"] is null))
                {
                    var previous = oldPorts.FirstOrDefault(o => o["port"]?.ToString() == port["port"]?.ToString() && o["nodePort"] is not null);
                    port["nodePort"] = previous?["nodePort"]?.DeepClone() ?? AllocateNodePort(obj, withNodePorts);
                }
            }
        }
        if (current is null)
        {
            obj["status"] ??= new JsonObject { ["loadBalancer"] = new JsonObject() };
        }
    }

    /// <summary>A node port asked for that another Service holds is refused, as the allocator refuses it (422).</summary>
    private void CheckNodePortsFree(JsonObject obj, JsonArray ports, List<JsonObject> oldPorts)
    {
        var key = obj["metadata"]?["namespace"] + "/" + obj["metadata"]?["name"];
        var taken = store.List(ResourceTypes.Services).Items
            .Where(s => s["metadata"]?["namespace"] + "/" + s["metadata"]?["name"] != key)
            .SelectMany(s => (s["spec"]?["ports"] as JsonArray)?.OfType<JsonObject>() ?? [])
            .Select(p => p["nodePort"]?.ToString())
            .OfType<string>()
            .ToHashSet();
        var causes = new List<StatusCause>();
        for (var i = 0; i < ports.Count; i++)
        {
            var nodePort = ports[i]?["nodePort"]?.ToString();
            if (nodePort is not null && taken.Contains(nodePort) && !oldPorts.Any(o => o["nodePort"]?.ToString() == nodePort))
            {
                causes.Add(new StatusCause("FieldValueInvalid", $"Invalid value: {nodePort}: provided port is already allocated", $"spec.ports[{i}].nodePort"));
            }
        }
        if (causes.Count > 0)
        {
            throw StoreException.Invalid(ResourceTypes.Services, obj["metadata"]?["name"]?.ToString() ?? "", causes);
        }
    }

    private string AllocateClusterIp(JsonObject obj)
    {
        var used = store.List(ResourceTypes.Services).Items.Select(s => s["spec"]?["clusterIP"]?.ToString()).ToHashSet();
        var seed = StableHash(obj["metadata"]?["namespace"] + "/" + obj["metadata"]?["name"]);
        for (var attempt = 0; ; attempt++)
        {
            var n = (int)((seed + (uint)attempt * 7919u) % 65_000u) + 10;
            var ip = string.Create(CultureInfo.InvariantCulture, $"10.100.{n / 256}.{n % 256}");
            if (!used.Contains(ip) && n % 256 != 0)
            {
                return ip;
            }
        }
    }

    private int AllocateNodePort(JsonObject obj, JsonArray ports)
    {
        var used = store.List(ResourceTypes.Services).Items
            .SelectMany(s => (s["spec"]?["ports"] as JsonArray)?.OfType<JsonObject>() ?? [])
            .Concat(ports.OfType<JsonObject>())
            .Select(p => p["nodePort"]?.ToString())
            .ToHashSet();
        var seed = StableHash(obj["metadata"]?["namespace"] + "/" + obj["metadata"]?["name"]);
        for (var attempt = 0u; ; attempt++)
        {
            var port = 30000 + (int)((seed + attempt * 31u) % 2768u);
            if (!used.Contains(port.ToString(CultureInfo.InvariantCulture)))
            {
                return port;
            }
        }
    }

    private static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return hash;
    }

    private static JsonObject Child(JsonObject parent, string name)
    {
        if (parent[name] is not JsonObject child)
        {
            child = [];
            parent[name] = child;
        }
        return child;
    }
}
