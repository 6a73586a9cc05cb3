using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Dashboard.Sandbox.Aws;

/// <summary>Builds and checks ELBv2 ARNs, ids and DNS names in the shapes AWS uses.</summary>
public static partial class AwsArns
{
    public static string TypeSegment(LoadBalancerType type) => type == LoadBalancerType.Application ? "app" : "net";

    public static string LoadBalancer(string region, string account, LoadBalancerType type, string name, string id) =>
        $"arn:aws:elasticloadbalancing:{region}:{account}:loadbalancer/{TypeSegment(type)}/{name}/{id}";

    public static string Listener(LoadBalancer loadBalancer, string id) =>
        loadBalancer.Arn.Replace(":loadbalancer/", ":listener/", StringComparison.Ordinal) + "/" + id;

    public static string ListenerRule(Listener listener, string id) =>
        listener.Arn.Replace(":listener/", ":listener-rule/", StringComparison.Ordinal) + "/" + id;

    public static string TargetGroup(string region, string account, string name, string id) =>
        $"arn:aws:elasticloadbalancing:{region}:{account}:targetgroup/{name}/{id}";

    public static bool IsLoadBalancerArn(string value) => LoadBalancerArnPattern().IsMatch(value);
    public static bool IsListenerArn(string value) => ListenerArnPattern().IsMatch(value);
    public static bool IsListenerRuleArn(string value) => ListenerRuleArnPattern().IsMatch(value);
    public static bool IsTargetGroupArn(string value) => TargetGroupArnPattern().IsMatch(value);

    /// <summary>Any ELBv2 resource ARN that can carry tags.</summary>
    public static bool IsTaggableArn(string value) =>
        IsLoadBalancerArn(value) || IsListenerArn(value) || IsListenerRuleArn(value) || IsTargetGroupArn(value);

    /// <summary>16 lower-case hex digits derived from the seed and a key, so the same world gets the same ids.</summary>
    public static string HexId(int seed, string key) => Convert.ToHexStringLower(Hash(seed, key), 0, 8);

    /// <summary>A stable number in [0, 1) from the seed and a key.</summary>
    public static double Unit(int seed, string key) => BitConverter.ToUInt64(Hash(seed, key), 0) / (ulong.MaxValue + 1.0);

    /// <summary>ALB <c>{name}-{digits}.{region}.elb.amazonaws.com</c>; NLB <c>{name}-{hex}.elb.{region}.amazonaws.com</c>.</summary>
    public static string DnsName(int seed, LoadBalancerType type, string scheme, string name, string id, string region)
    {
        var prefix = scheme == "internal" ? "internal-" : "";
        if (type == LoadBalancerType.Application)
        {
            var digits = (BitConverter.ToUInt64(Hash(seed, "dns/" + id), 0) % 9_000_000_000UL) + 1_000_000_000UL;
            return $"{prefix}{name}-{digits}.{region}.elb.amazonaws.com";
        }
        return $"{prefix}{name}-{id}.elb.{region}.amazonaws.com";
    }

    /// <summary>The Route 53 zone of ELB DNS names per region (us-east-1 values when the region is not listed).</summary>
    public static string CanonicalHostedZoneId(LoadBalancerType type, string region) => (type, region) switch
    {
        (LoadBalancerType.Application, "us-east-2") => "Z3AADJGX6KTTL2",
        (LoadBalancerType.Application, "us-west-2") => "Z1H1FL5HABSF5",
        (LoadBalancerType.Application, "eu-west-1") => "Z32O12XQLNTSW2",
        (LoadBalancerType.Application, "ap-southeast-1") => "Z1LMS91P8CMLE5",
        (LoadBalancerType.Application, _) => "Z35SXDOTRQ7X7K",
        (LoadBalancerType.Network, "us-east-2") => "ZLMOA37VPKANP",
        (LoadBalancerType.Network, "us-west-2") => "Z18D5FSROUN65G",
        (LoadBalancerType.Network, "eu-west-1") => "Z2IFOLAFXWLO4F",
        (LoadBalancerType.Network, "ap-southeast-1") => "ZKVM4W9LS7TM",
        _ => "Z26RNL4JYFTOTI",
    };

    private static byte[] Hash(int seed, string key) => SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}:{key}"));

    [GeneratedRegex(@"^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer/(app|net)/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}$")]
    private static partial Regex LoadBalancerArnPattern();

    [GeneratedRegex(@"^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:listener/(app|net)/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}/[0-9a-f]{16}$")]
    private static partial Regex ListenerArnPattern();

    [GeneratedRegex(@"^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:listener-rule/(app|net)/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}/[0-9a-f]{16}/[0-9a-f]{16}$")]
    private static partial Regex ListenerRuleArnPattern();

    [GeneratedRegex(@"^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}$")]
    private static partial Regex TargetGroupArnPattern();
}
