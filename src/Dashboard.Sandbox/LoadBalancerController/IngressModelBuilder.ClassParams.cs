using System.Text.Json.Nodes;
using Dashboard.Sandbox.Cluster;

namespace Dashboard.Sandbox.LoadBalancerController;

internal static partial class IngressModelBuilder
{
    /// <summary>
    /// The IngressClassParams named by the IngressClass of an Ingress (<c>spec.parameters</c> with apiGroup
    /// <c>elbv2.k8s.aws</c>, kind <c>IngressClassParams</c>), or null when the class names none or it does not exist.
    /// </summary>
    public static JsonObject? ClassParamsOf(JsonObject ingress, IEnumerable<JsonObject> ingressClasses, Func<string, JsonObject?> findParams)
    {
        if (JsonFields.String(ingress["spec"], "ingressClassName") is not { } className
            || ingressClasses.FirstOrDefault(c => JsonFields.Name(c) == className)?["spec"]?["parameters"] is not JsonObject parameters
            || JsonFields.String(parameters, "apiGroup") != "elbv2.k8s.aws"
            || JsonFields.String(parameters, "kind") != "IngressClassParams"
            || JsonFields.String(parameters, "name") is not { } name)
        {
            return null;
        }
        return findParams(name);
    }

    /// <summary>
    /// The annotations the controller acts on for an Ingress: its own, with the values its IngressClassParams sets put
    /// in their place — the controller takes scheme, group, inbound CIDRs, SSL policy and IP address type from the
    /// IngressClassParams and ignores a conflicting Ingress annotation.
    /// </summary>
    public static Dictionary<string, string> EffectiveAnnotations(JsonObject ingress, JsonObject? classParams)
    {
        var annotations = JsonFields.Annotations(ingress);
        if (classParams?["spec"] is not JsonObject spec)
        {
            return annotations;
        }
        void Set(string suffix, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                annotations[Prefix + suffix] = value;
            }
        }
        Set("scheme", JsonFields.String(spec, "scheme"));
        Set("ip-address-type", JsonFields.String(spec, "ipAddressType"));
        Set("ssl-policy", JsonFields.String(spec, "sslPolicy"));
        Set("group.name", JsonFields.String(spec["group"], "name"));
        if (spec["inboundCIDRs"] is JsonArray cidrs && cidrs.Count > 0)
        {
            Set("inbound-cidrs", string.Join(',', cidrs.Select(c => c?.GetValue<string>())));
        }
        return annotations;
    }
}
