namespace Dashboard.Server.LoadBalancers;

/// <summary>
/// The tags the AWS Load Balancer Controller and the in-tree cloud provider put on the balancers and target groups they
/// create: how the topology finds owners, and how Cost Explorer groups the bill.
/// </summary>
public static class ControllerTags
{
    /// <summary><c>elbv2.k8s.aws/cluster</c> = the EKS cluster name.</summary>
    public const string Cluster = "elbv2.k8s.aws/cluster";

    /// <summary><c>service.k8s.aws/stack</c> = <c>{namespace}/{service}</c>.</summary>
    public const string ServiceStack = "service.k8s.aws/stack";

    /// <summary><c>service.k8s.aws/resource</c> on a target group = <c>{namespace}/{service}:{port}</c>.</summary>
    public const string ServiceResource = "service.k8s.aws/resource";

    /// <summary><c>ingress.k8s.aws/stack</c> = <c>{namespace}/{ingress}</c> (implicit group) or the explicit group's name.</summary>
    public const string IngressStack = "ingress.k8s.aws/stack";

    /// <summary><c>ingress.k8s.aws/resource</c> on a target group = <c>{namespace}/{ingress}-{service}:{port}</c>.</summary>
    public const string IngressResource = "ingress.k8s.aws/resource";

    /// <summary>The in-tree provider's <c>kubernetes.io/service-name</c> = <c>{namespace}/{service}</c>.</summary>
    public const string InTreeService = "kubernetes.io/service-name";

    /// <summary>The in-tree provider's <c>kubernetes.io/cluster/{name}</c> = <c>owned</c>.</summary>
    public const string InTreeClusterPrefix = "kubernetes.io/cluster/";
}
