namespace Dashboard.Server.Aws.ElasticLoadBalancing;

/// <summary>
/// Read access to Elastic Load Balancing v2 (API version 2015-12-01). Paging (Marker/NextMarker) and the
/// per-call ARN limits are handled inside: every method returns the complete list. Failures throw
/// <see cref="AwsServiceException"/> (or <see cref="AwsCredentialsException"/> without credentials).
/// The shape follows AWSSDK.ElasticLoadBalancingV2 so that package can be swapped in behind this interface.
/// </summary>
public interface IElasticLoadBalancingClient
{
    /// <summary>All load balancers, or those with the given ARNs or names (not both).</summary>
    Task<IReadOnlyList<LoadBalancer>> DescribeLoadBalancersAsync(IReadOnlyCollection<string>? loadBalancerArns = null, IReadOnlyCollection<string>? names = null, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<LoadBalancerAttribute>> DescribeLoadBalancerAttributesAsync(string loadBalancerArn, CancellationToken cancellationToken = default);

    /// <summary>The listeners of a load balancer, or the listeners with the given ARNs.</summary>
    Task<IReadOnlyList<Listener>> DescribeListenersAsync(string? loadBalancerArn = null, IReadOnlyCollection<string>? listenerArns = null, CancellationToken cancellationToken = default);

    /// <summary>The rules of a listener, or the rules with the given ARNs.</summary>
    Task<IReadOnlyList<ListenerRule>> DescribeRulesAsync(string? listenerArn = null, IReadOnlyCollection<string>? ruleArns = null, CancellationToken cancellationToken = default);

    /// <summary>All target groups, those of one load balancer, or those with the given ARNs or names.</summary>
    Task<IReadOnlyList<TargetGroup>> DescribeTargetGroupsAsync(string? loadBalancerArn = null, IReadOnlyCollection<string>? targetGroupArns = null, IReadOnlyCollection<string>? names = null, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<TargetGroupAttribute>> DescribeTargetGroupAttributesAsync(string targetGroupArn, CancellationToken cancellationToken = default);

    /// <summary>The health of every target of one target group (or of the given targets).</summary>
    Task<IReadOnlyList<TargetHealthDescription>> DescribeTargetHealthAsync(string targetGroupArn, IReadOnlyCollection<TargetDescription>? targets = null, CancellationToken cancellationToken = default);

    /// <summary>Tags of any number of resources; sent in batches of 20 ARNs, the API's limit.</summary>
    Task<IReadOnlyList<TagDescription>> DescribeTagsAsync(IReadOnlyCollection<string> resourceArns, CancellationToken cancellationToken = default);
}
