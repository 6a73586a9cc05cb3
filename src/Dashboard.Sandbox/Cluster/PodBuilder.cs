using System.Globalization;
using System.Text.Json.Nodes;
using Dashboard.Sandbox.Kubernetes;

namespace Dashboard.Sandbox.Cluster;

/// <summary>
/// Builds the pods a ReplicaSet owns, already scheduled and running: names <c>{replicaset}-{5 chars}</c> (for a
/// Deployment's, <c>{deployment}-{pod-template-hash}-{5 chars}</c>), a node, an address from the node's subnet, and the
/// status the kubelet would report. Shared by the ReplicaSet controller and the bulk loader so both build the same pod.
/// </summary>
internal static class PodBuilder
{
    public const string TemplateHashLabel = "pod-template-hash";

    public static string TemplateHash(JsonObject deployment) =>
        StableHash.SafeEncode(StableHash.Fnv32(deployment["spec"]?["template"]?.ToJsonString() ?? "{}"));

    public static string ReplicaSetName(string deployment, string templateHash) => $"{deployment}-{templateHash}";

    public static string PodName(int seed, string ns, string deployment, string templateHash, int ordinal) =>
        $"{deployment}-{templateHash}-{StableHash.Suffix(StableHash.Of(seed.ToString(CultureInfo.InvariantCulture), ns, deployment, templateHash, ordinal.ToString(CultureInfo.InvariantCulture)))}";

    /// <summary>
    /// The name of a ReplicaSet's next pod: <c>{replicaset}-{5 chars}</c>, the characters stable for the seed. A
    /// Deployment's ReplicaSet (<c>{deployment}-{pod-template-hash}</c>) names them as before ReplicaSets were served.
    /// </summary>
    public static string PodName(int seed, JsonObject replicaSet, int ordinal)
    {
        var ns = JsonFields.Namespace(replicaSet) ?? "";
        var name = JsonFields.Name(replicaSet) ?? "";
        var hash = JsonFields.Labels(replicaSet).GetValueOrDefault(TemplateHashLabel);
        return hash is not null && name.EndsWith("-" + hash, StringComparison.Ordinal)
            ? PodName(seed, ns, name[..^(hash.Length + 1)], hash, ordinal)
            : $"{name}-{StableHash.Suffix(StableHash.Of(seed.ToString(CultureInfo.InvariantCulture), ns, name, ordinal.ToString(CultureInfo.InvariantCulture)))}";
    }

    /// <summary>The owner reference marked <c>controller: true</c> of <paramref name="kind"/>, or null.</summary>
    public static JsonObject? Controller(JsonObject obj, string kind) =>
        JsonFields.Objects(obj["metadata"]?["ownerReferences"])
            .FirstOrDefault(o => JsonFields.String(o, "kind") == kind && JsonFields.Bool(o, "controller") == true);

    /// <summary>An owner reference to <paramref name="owner"/> as its controller (controller and blockOwnerDeletion true).</summary>
    public static JsonObject ControllerReference(JsonObject owner) => new()
    {
        ["apiVersion"] = JsonFields.String(owner, "apiVersion"),
        ["kind"] = JsonFields.String(owner, "kind"),
        ["name"] = JsonFields.Name(owner),
        ["uid"] = JsonFields.Uid(owner),
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    };

    /// <summary>A pod address in the node's subnet, stable for the seed and pod name; probes past used ones.</summary>
    public static string AllocateIp(SimulatedNode node, int seed, string podKey, Func<string, bool> isUsed)
    {
        var usable = (uint)node.SubnetSize - 32;
        var start = (uint)(StableHash.Of(seed.ToString(CultureInfo.InvariantCulture), "pod-ip", podKey) % usable);
        for (uint i = 0; i < usable; i++)
        {
            var ip = SimulatedNode.ToAddress(node.SubnetBase + 16 + ((start + i) % usable));
            if (ip != node.InternalIp && !isUsed(ip))
            {
                return ip;
            }
        }
        throw new InvalidOperationException($"Subnet {node.SubnetCidr} of node {node.Name} has no free pod address; lower Sandbox:Scale:PodsPerService or Sandbox:Scale:Services.");
    }

    public static bool ExpectReady(JsonObject deployment)
    {
        var annotations = JsonFields.StringMap(deployment["spec"]?["template"]?["metadata"]?["annotations"]);
        return PodBehaviourAnnotations.ParseHealth(annotations.GetValueOrDefault(PodBehaviourAnnotations.Health)) == PodHealth.Ok
            && !PodBehaviourAnnotations.ParseCrash(annotations.GetValueOrDefault(PodBehaviourAnnotations.Crash));
    }

    /// <summary>A pod of <paramref name="replicaSet"/>'s template, scheduled on <paramref name="node"/> and running.</summary>
    public static JsonObject Build(JsonObject replicaSet, string name, SimulatedNode node, string podIp, int seed, DateTimeOffset now)
    {
        var ns = JsonFields.Namespace(replicaSet)!;
        var template = replicaSet["spec"]?["template"] as JsonObject ?? [];
        var labels = JsonFields.Labels(template);
        var metadata = new JsonObject
        {
            ["name"] = name,
            ["generateName"] = JsonFields.Name(replicaSet) + "-",
            ["namespace"] = ns,
            ["labels"] = JsonFields.ToObject(labels.OrderBy(l => l.Key, StringComparer.Ordinal)),
        };
        if (template["metadata"]?["annotations"] is JsonObject annotations && annotations.Count > 0)
        {
            metadata["annotations"] = annotations.DeepClone();
        }
        metadata["ownerReferences"] = new JsonArray { ControllerReference(replicaSet) };

        var spec = template["spec"]?.DeepClone() as JsonObject ?? [];
        spec["nodeName"] = node.Name;
        spec.TryAdd("restartPolicy", "Always");
        spec.TryAdd("terminationGracePeriodSeconds", 30);
        spec.TryAdd("dnsPolicy", "ClusterFirst");
        var serviceAccount = JsonFields.String(spec, "serviceAccountName") ?? "default";
        spec["serviceAccountName"] = serviceAccount;
        spec["serviceAccount"] = serviceAccount;
        spec.TryAdd("securityContext", new JsonObject());
        spec.TryAdd("schedulerName", "default-scheduler");
        spec.TryAdd("tolerations", new JsonArray
        {
            new JsonObject { ["key"] = "node.kubernetes.io/not-ready", ["operator"] = "Exists", ["effect"] = "NoExecute", ["tolerationSeconds"] = 300 },
            new JsonObject { ["key"] = "node.kubernetes.io/unreachable", ["operator"] = "Exists", ["effect"] = "NoExecute", ["tolerationSeconds"] = 300 },
        });
        spec.TryAdd("priority", 0);
        spec.TryAdd("enableServiceLinks", true);
        spec.TryAdd("preemptionPolicy", "PreemptLowerPriority");
        foreach (var container in JsonFields.Objects(spec["containers"]))
        {
            container.TryAdd("imagePullPolicy", "IfNotPresent");
            container.TryAdd("resources", new JsonObject());
            container.TryAdd("terminationMessagePath", "/dev/termination-log");
            container.TryAdd("terminationMessagePolicy", "File");
            foreach (var port in JsonFields.Objects(container["ports"]))
            {
                port.TryAdd("protocol", "TCP");
            }
        }

        var started = ResourceStore.Timestamp(now);
        var ready = ExpectReady(replicaSet);
        var containerStatuses = new JsonArray();
        var hasResources = false;
        foreach (var container in JsonFields.Objects(spec["containers"]))
        {
            var containerName = JsonFields.String(container, "name") ?? "";
            var image = JsonFields.String(container, "image") ?? "";
            hasResources |= container["resources"] is JsonObject { Count: > 0 };
            var repository = image.Split(':')[0];
            containerStatuses.Add(new JsonObject
            {
                ["containerID"] = "containerd://" + StableHash.Hex($"{seed}/{ns}/{name}/{containerName}", 64),
                ["image"] = image,
                ["imageID"] = $"{repository}@sha256:{StableHash.Hex("image/" + image, 64)}",
                ["lastState"] = new JsonObject(),
                ["name"] = containerName,
                ["ready"] = ready,
                ["restartCount"] = 0,
                ["started"] = true,
                ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = started } },
            });
        }
        JsonObject Condition(string type, bool value) => new()
        {
            ["lastProbeTime"] = null,
            ["lastTransitionTime"] = started,
            ["status"] = value ? "True" : "False",
            ["type"] = type,
        };
        var conditions = new JsonArray
        {
            Condition("PodReadyToStartContainers", true),
            Condition("Initialized", true),
            Condition("Ready", ready),
            Condition("ContainersReady", ready),
            Condition("PodScheduled", true),
        };
        var pod = new JsonObject
        {
            ["metadata"] = metadata,
            ["spec"] = spec,
            ["status"] = new JsonObject
            {
                ["phase"] = "Running",
                ["conditions"] = conditions,
                ["hostIP"] = node.InternalIp,
                ["hostIPs"] = new JsonArray { new JsonObject { ["ip"] = node.InternalIp } },
                ["podIP"] = podIp,
                ["podIPs"] = new JsonArray { new JsonObject { ["ip"] = podIp } },
                ["startTime"] = started,
                ["containerStatuses"] = containerStatuses,
                ["qosClass"] = hasResources ? "Burstable" : "BestEffort",
            },
        };
        if (!ready)
        {
            PodStatus.SetReady(pod, ready: false, started);
        }
        return pod;
    }
}
