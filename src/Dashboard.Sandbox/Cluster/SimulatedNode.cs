using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace Dashboard.Sandbox.Cluster;

/// <summary>
/// One EC2 worker node of the simulated managed node group, with the subnet its pods take addresses from
/// (the VPC CNI gives pods secondary IPs of the node's subnet). The AWS simulation reads these to answer
/// instance and subnet questions consistently with the cluster.
/// </summary>
public sealed record SimulatedNode
{
    public required string Name { get; init; }
    public required string Zone { get; init; }
    public required string InstanceId { get; init; }
    public required string InstanceType { get; init; }
    public required string InternalIp { get; init; }
    public required string SubnetId { get; init; }
    /// <summary>The subnet in CIDR form, e.g. <c>192.168.64.0/18</c>.</summary>
    public required string SubnetCidr { get; init; }
    public string ProviderId => $"aws:///{Zone}/{InstanceId}";

    internal uint SubnetBase { get; init; }
    internal int SubnetSize { get; init; }

    /// <summary>Three nodes, one per availability zone, derived from the seed.</summary>
    public static IReadOnlyList<SimulatedNode> CreatePool(int seed, string region)
    {
        var nodes = new List<SimulatedNode>();
        var zones = new[] { "a", "b", "c" };
        for (var i = 0; i < zones.Length; i++)
        {
            var zone = region + zones[i];
            // Private subnets of an eksctl-style VPC 192.168.0.0/16, one /18 per zone.
            var subnetBase = (192u << 24) | (168u << 16) | ((uint)(i * 64) << 8);
            const int size = 1 << 14;
            var hash = StableHash.Of(seed.ToString(CultureInfo.InvariantCulture), "node", zone);
            var offset = (uint)(16 + (hash % (size - 32)));
            var ip = ToAddress(subnetBase + offset);
            nodes.Add(new SimulatedNode
            {
                Name = "ip-" + ip.Replace('.', '-') + ".ec2.internal",
                Zone = zone,
                InstanceId = "i-0" + StableHash.Hex($"{seed}/instance/{zone}", 16),
                InstanceType = "m5.large",
                InternalIp = ip,
                SubnetId = "subnet-0" + StableHash.Hex($"{seed}/subnet/{zone}", 16),
                SubnetCidr = $"{ToAddress(subnetBase)}/18",
                SubnetBase = subnetBase,
                SubnetSize = size,
            });
        }
        return nodes;
    }

    internal static string ToAddress(uint value) =>
        new IPAddress([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]).ToString();

    /// <summary>The Node object as the kubelet registers it on EKS.</summary>
    public JsonObject ToKubernetesObject(string region, string clusterName, DateTimeOffset created)
    {
        var timestamp = Kubernetes.ResourceStore.Timestamp(created);
        JsonObject Condition(string type, string status, string reason, string message) => new()
        {
            ["type"] = type,
            ["status"] = status,
            ["lastHeartbeatTime"] = timestamp,
            ["lastTransitionTime"] = timestamp,
            ["reason"] = reason,
            ["message"] = message,
        };
        return new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = Name,
                ["labels"] = new JsonObject
                {
                    ["beta.kubernetes.io/arch"] = "amd64",
                    ["beta.kubernetes.io/instance-type"] = InstanceType,
                    ["beta.kubernetes.io/os"] = "linux",
                    ["eks.amazonaws.com/capacityType"] = "ON_DEMAND",
                    ["eks.amazonaws.com/nodegroup"] = clusterName + "-ng",
                    ["failure-domain.beta.kubernetes.io/region"] = region,
                    ["failure-domain.beta.kubernetes.io/zone"] = Zone,
                    ["kubernetes.io/arch"] = "amd64",
                    ["kubernetes.io/hostname"] = Name,
                    ["kubernetes.io/os"] = "linux",
                    ["node.kubernetes.io/instance-type"] = InstanceType,
                    ["topology.kubernetes.io/region"] = region,
                    ["topology.kubernetes.io/zone"] = Zone,
                },
                ["annotations"] = new JsonObject
                {
                    ["alpha.kubernetes.io/provided-node-ip"] = InternalIp,
                    ["node.alpha.kubernetes.io/ttl"] = "0",
                    ["volumes.kubernetes.io/controller-managed-attach-detach"] = "true",
                },
            },
            ["spec"] = new JsonObject { ["providerID"] = ProviderId },
            ["status"] = new JsonObject
            {
                ["addresses"] = new JsonArray
                {
                    new JsonObject { ["type"] = "InternalIP", ["address"] = InternalIp },
                    new JsonObject { ["type"] = "InternalDNS", ["address"] = Name },
                    new JsonObject { ["type"] = "Hostname", ["address"] = Name },
                },
                ["allocatable"] = new JsonObject { ["cpu"] = "1930m", ["ephemeral-storage"] = "18242267924", ["memory"] = "7220152Ki", ["pods"] = "29" },
                ["capacity"] = new JsonObject { ["cpu"] = "2", ["ephemeral-storage"] = "20959212Ki", ["memory"] = "7910328Ki", ["pods"] = "29" },
                ["conditions"] = new JsonArray
                {
                    Condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                    Condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                    Condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                    Condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
                },
                ["daemonEndpoints"] = new JsonObject { ["kubeletEndpoint"] = new JsonObject { ["Port"] = 10250 } },
                ["nodeInfo"] = new JsonObject
                {
                    ["architecture"] = "amd64",
                    ["bootID"] = StableHash.Uuid(InstanceId + "/boot"),
                    ["containerRuntimeVersion"] = "containerd://1.7.27",
                    ["kernelVersion"] = "6.1.134-152.225.amzn2023.x86_64",
                    ["kubeProxyVersion"] = "v1.32.3-eks-473151a",
                    ["kubeletVersion"] = "v1.32.3-eks-473151a",
                    ["machineID"] = StableHash.Hex(InstanceId + "/machine", 32),
                    ["operatingSystem"] = "linux",
                    ["osImage"] = "Amazon Linux 2023.7.20250512",
                    ["systemUUID"] = StableHash.Uuid(InstanceId + "/system"),
                },
            },
        };
    }
}
