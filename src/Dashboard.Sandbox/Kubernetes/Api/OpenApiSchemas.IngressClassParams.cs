using System.Text.Json.Nodes;

namespace Dashboard.Sandbox.Kubernetes.Api;

internal static partial class OpenApiSchemas
{
    /// <summary>
    /// The structural schema of the AWS Load Balancer Controller's cluster-scoped IngressClassParams (v1beta1), published
    /// as kube-apiserver publishes a CRD's (<c>aws.k8s.elbv2.v1beta1.IngressClassParams</c>). Hand-written from the
    /// controller's documented fields (there is no KubernetesClient model); the descriptions are the sandbox's own.
    /// </summary>
    public static string AddIngressClassParams(JsonObject schemas, ResourceType type)
    {
        Add(schemas, typeof(k8s.Models.V1ObjectMeta));
        var name = string.Join('.', type.Group.Split('.').Reverse()) + "." + type.Version + "." + type.Kind;
        static JsonObject Text(string description) => new() { ["type"] = "string", ["description"] = description };
        static JsonObject Enum(string description, params string[] values) => new()
        {
            ["type"] = "string", ["description"] = description, ["enum"] = new JsonArray(values.Select(v => (JsonNode)v).ToArray()),
        };
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
        static JsonObject Strings(string description) => Array(description, new JsonObject { ["type"] = "string" });
        static JsonObject KeyValues(string description) => Array(description, Obj("A key and its value.", new JsonObject
        {
            ["key"] = Text("The key."),
            ["value"] = Text("The value."),
        }, "key", "value"));

        var spec = Obj("IngressClassParamsSpec holds settings the controller applies to every Ingress of the IngressClasses naming it; they win over the Ingress annotations.", new JsonObject
        {
            ["certificateArn"] = Strings("The ACM certificates of the HTTPS listeners."),
            ["group"] = Obj("The IngressGroup every Ingress of the class joins.", new JsonObject { ["name"] = Text("The group's name.") }, "name"),
            ["inboundCIDRs"] = Strings("The ranges allowed to reach the load balancer."),
            ["ipAddressType"] = Enum("The IP address type of the load balancer.", "ipv4", "dualstack", "dualstack-without-public-ipv4"),
            ["loadBalancerAttributes"] = KeyValues("Attributes of the load balancer."),
            ["loadBalancerName"] = Text("The name of the load balancer."),
            ["namespaceSelector"] = Obj("Which namespaces may use the class; every namespace when empty.", new JsonObject
            {
                ["matchLabels"] = new JsonObject { ["type"] = "object", ["description"] = "Labels the namespace must carry.", ["additionalProperties"] = new JsonObject { ["type"] = "string" } },
            }),
            ["scheme"] = Enum("The scheme of the load balancer.", "internal", "internet-facing"),
            ["sslPolicy"] = Text("The security policy of the HTTPS listeners."),
            ["subnets"] = Obj("The subnets of the load balancer, by id or by tags.", new JsonObject
            {
                ["ids"] = Strings("The subnet ids."),
                ["tags"] = new JsonObject { ["type"] = "object", ["description"] = "Tags the subnets must carry.", ["additionalProperties"] = Strings("The allowed values.") },
            }),
            ["tags"] = KeyValues("Tags on the AWS resources the controller creates."),
        });
        schemas[name] = new JsonObject
        {
            ["description"] = "IngressClassParams is the Schema for the IngressClassParams API: settings shared by the Ingresses of an IngressClass.",
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["apiVersion"] = Text("APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values."),
                ["kind"] = Text("Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase."),
                ["metadata"] = Reference(SchemaName(typeof(k8s.Models.V1ObjectMeta))),
                ["spec"] = spec,
            },
            ["x-kubernetes-group-version-kind"] = new JsonArray(new JsonObject { ["group"] = type.Group, ["kind"] = type.Kind, ["version"] = type.Version }),
        };
        return name;
    }
}
