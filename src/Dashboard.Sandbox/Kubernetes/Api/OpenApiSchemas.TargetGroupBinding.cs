using System.Text.Json.Nodes;

namespace Dashboard.Sandbox.Kubernetes.Api;

internal static partial class OpenApiSchemas
{
    /// <summary>
    /// The schema of the TargetGroupBinding custom resource as kube-apiserver publishes a CRD's structural schema: named
    /// by the reversed group (<c>aws.k8s.elbv2.v1beta1.TargetGroupBinding</c>), nested objects written inline, metadata
    /// a reference to ObjectMeta. Hand-written from the fields of the AWS Load Balancer Controller's v1beta1 API (there
    /// is no KubernetesClient model for it); the descriptions are the sandbox's own.
    /// </summary>
    public static string AddTargetGroupBinding(JsonObject schemas, ResourceType type)
    {
        Add(schemas, typeof(k8s.Models.V1ObjectMeta));
        var name = string.Join('.', type.Group.Split('.').Reverse()) + "." + type.Version + "." + type.Kind;
        static JsonObject Text(string description) => new() { ["type"] = "string", ["description"] = description };
        static JsonObject Enum(string description, params string[] values) => new()
        {
            ["type"] = "string", ["description"] = description, ["enum"] = new JsonArray(values.Select(v => (JsonNode)v).ToArray()),
        };
        static JsonObject IntOrStr(string description) => new() { ["x-kubernetes-int-or-string"] = true, ["anyOf"] = new JsonArray(new JsonObject { ["type"] = "integer" }, new JsonObject { ["type"] = "string" }), ["description"] = description };
        static JsonObject Obj(string description, JsonObject properties, params string[] required)
        {
            var o = new JsonObject { ["type"] = "object", ["description"] = description, ["properties"] = properties };
            if (required.Length > 0)
            {
                o["required"] = new JsonArray(required.Select(r => (JsonNode)r).ToArray());
            }
            return o;
        }
        static JsonObject Array(string description, JsonObject items) => new() { ["type"] = "array", ["description"] = description, ["items"] = items };

        var peer = Obj("A source of traffic: exactly one of ipBlock and securityGroup.", new JsonObject
        {
            ["ipBlock"] = Obj("An IPv4 or IPv6 range allowed to reach the targets.", new JsonObject { ["cidr"] = Text("The range in CIDR notation.") }, "cidr"),
            ["securityGroup"] = Obj("A security group whose members may reach the targets.", new JsonObject { ["groupID"] = Text("The security group id (sg-…).") }, "groupID"),
        });
        var port = Obj("A port the rule opens.", new JsonObject
        {
            ["port"] = IntOrStr("The port number, or the name of a port on the Service's pods. Empty opens every port."),
            ["protocol"] = Enum("The protocol of the port; TCP when empty.", "TCP", "UDP"),
        });
        var selectorRequirement = Obj("A label selector requirement: a key, an operator and values.", new JsonObject
        {
            ["key"] = Text("The label key the selector applies to."),
            ["operator"] = Text("How the key relates to the values: In, NotIn, Exists or DoesNotExist."),
            ["values"] = Array("The values; empty for Exists and DoesNotExist.", new JsonObject { ["type"] = "string" }),
        }, "key", "operator");
        var spec = Obj("TargetGroupBindingSpec says which target group the controller keeps registered with which Service's endpoints.", new JsonObject
        {
            ["ipAddressType"] = Enum("The IP address type of the target group: ipv4 or ipv6.", "ipv4", "ipv6"),
            ["multiClusterTargetGroup"] = new JsonObject { ["type"] = "boolean", ["description"] = "Whether other clusters share the target group: the controller then deregisters only targets it registered itself." },
            ["networking"] = Obj("Which traffic the controller lets reach the targets, written as rules on the node or pod security groups.", new JsonObject
            {
                ["ingress"] = Array("The rules allowing traffic in.", Obj("One rule: from these peers to these ports.", new JsonObject
                {
                    ["from"] = Array("The peers traffic may come from.", peer),
                    ["ports"] = Array("The ports traffic may reach.", port),
                }, "from", "ports")),
            }),
            ["nodeSelector"] = Obj("Which nodes are registered as instance targets; every node when empty.", new JsonObject
            {
                ["matchExpressions"] = Array("The requirements, all of which must hold.", selectorRequirement),
                ["matchLabels"] = new JsonObject { ["type"] = "object", ["description"] = "Labels the nodes must carry.", ["additionalProperties"] = new JsonObject { ["type"] = "string" } },
            }),
            ["serviceRef"] = Obj("The Service whose endpoints become targets.", new JsonObject
            {
                ["name"] = Text("The Service's name, in the TargetGroupBinding's namespace."),
                ["port"] = IntOrStr("The Service port, by number or name."),
            }, "name", "port"),
            ["targetGroupARN"] = Text("The ARN of the target group the controller registers targets with."),
            ["targetGroupName"] = Text("The name of the target group, an alternative to its ARN."),
            ["targetType"] = Enum("How targets are registered: instance (node ports of the nodes) or ip (pod addresses).", "instance", "ip"),
            ["vpcID"] = Text("The VPC of the target group, when the controller cannot tell it from the cluster."),
        }, "serviceRef");
        var status = Obj("TargetGroupBindingStatus is what the controller last reconciled.", new JsonObject
        {
            ["observedGeneration"] = new JsonObject { ["type"] = "integer", ["format"] = "int64", ["description"] = "The generation of the spec the controller last acted on." },
        });
        schemas[name] = new JsonObject
        {
            ["description"] = "TargetGroupBinding is the Schema for the TargetGroupBinding API: it binds an ELBv2 target group to a Kubernetes Service.",
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["apiVersion"] = Text("APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values."),
                ["kind"] = Text("Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase."),
                ["metadata"] = Reference(SchemaName(typeof(k8s.Models.V1ObjectMeta))),
                ["spec"] = spec,
                ["status"] = status,
            },
            ["x-kubernetes-group-version-kind"] = new JsonArray(new JsonObject { ["group"] = type.Group, ["kind"] = type.Kind, ["version"] = type.Version }),
        };
        return name;
    }
}
