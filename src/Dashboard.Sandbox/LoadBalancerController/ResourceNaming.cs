using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Dashboard.Sandbox.LoadBalancerController;

/// <summary>
/// Names of the AWS resources the controller creates, in the shapes the AWS Load Balancer Controller and the in-tree
/// cloud provider use: <c>k8s-{ns:8}-{name:8}-{hash:10}</c>, <c>k8s-{group:17}-{hash:10}</c>, and <c>a</c> + Service UID.
/// The hash is SHA-256 over the same inputs the real controller hashes, so a name changes exactly when the real one would
/// (a scheme change renames the load balancer, a target type or protocol change renames the target group).
/// </summary>
internal static partial class ResourceNaming
{
    public static string ServiceLoadBalancer(string cluster, string ns, string name, string uid, string scheme) =>
        Shaped(ns, name, Hash(cluster, uid, scheme));

    public static string IngressLoadBalancer(string cluster, IngressGroupId group, string scheme)
    {
        var hash = Hash(cluster, group.ToString(), scheme);
        return group.IsExplicit
            ? $"k8s-{Truncate(Sanitize(group.Name), 17)}-{hash[..10]}"
            : Shaped(group.Namespace, group.Name, hash);
    }

    public static string ServiceTargetGroup(string cluster, string ns, string name, string uid, int targetGroupPort, int servicePort,
        string targetType, string protocol, string healthCheckProtocol, int healthCheckInterval) =>
        Shaped(ns, name, Hash(cluster, uid, Text(targetGroupPort), Text(servicePort), targetType, protocol, healthCheckProtocol, Text(healthCheckInterval)));

    /// <summary>
    /// Hashes the same inputs as the controller plus the member Ingress, so two Ingresses of one group that name the
    /// same Service port get distinct target groups (as their distinct <c>ingress.k8s.aws/resource</c> tags say).
    /// </summary>
    public static string IngressTargetGroup(string cluster, IngressGroupId group, string ingressKey, string serviceNs, string serviceName, string serviceUid,
        string servicePort, int targetGroupPort, string targetType, string protocol, string protocolVersion) =>
        Shaped(serviceNs, serviceName, Hash(cluster, group.ToString(), ingressKey, serviceUid, servicePort, Text(targetGroupPort), targetType, protocol, protocolVersion));

    /// <summary>The in-tree provider's NLB name: <c>a</c> followed by the Service UID without dashes, cut to 32 characters.</summary>
    public static string InTreeLoadBalancer(string uid) => Truncate("a" + uid.Replace("-", "", StringComparison.Ordinal), 32);

    /// <summary>The in-tree provider's target group name: <c>k8s-{name:8}-{port}-{hash:10}</c>, hashed over the Service, port and VPC.</summary>
    public static string InTreeTargetGroup(string ns, string name, int servicePort, int nodePort, string protocol, string vpcId) =>
        $"k8s-{Truncate(Sanitize(name), 8)}-{Text(nodePort)}-{Hash(ns + "/" + name, Text(servicePort), Text(nodePort), protocol, "instance", vpcId)[..10]}";

    /// <summary>A managed security group id for a load balancer (the controller creates one per ALB and NLB).</summary>
    public static string SecurityGroupId(string loadBalancerName) => "sg-0" + Hash("security-group", loadBalancerName)[..16];

    private static string Shaped(string ns, string name, string hash) =>
        $"k8s-{Truncate(Sanitize(ns), 8)}-{Truncate(Sanitize(name), 8)}-{hash[..10]}";

    private static string Hash(params string[] parts)
    {
        // Concatenated writes into one SHA-256, as the Go code writes each part into the same hasher.
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(parts)));
        return Convert.ToHexStringLower(bytes);
    }

    private static string Text(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Sanitize(string value) => NonAlphanumeric().Replace(value, "");

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];

    [GeneratedRegex("[^A-Za-z0-9]")]
    private static partial Regex NonAlphanumeric();
}

/// <summary>
/// The identity of an Ingress group: explicit (<c>group.name</c>) or the implicit group of one Ingress
/// (<c>{namespace}/{name}</c>), as the controller's <c>ingress.k8s.aws/stack</c> tag spells it.
/// </summary>
internal sealed record IngressGroupId(string Namespace, string Name)
{
    public bool IsExplicit => Namespace.Length == 0;

    public static IngressGroupId Explicit(string name) => new("", name);

    public static IngressGroupId Implicit(string ns, string name) => new(ns, name);

    public override string ToString() => IsExplicit ? Name : Namespace + "/" + Name;
}
