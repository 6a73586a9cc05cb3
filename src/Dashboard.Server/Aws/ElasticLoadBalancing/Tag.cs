namespace Dashboard.Server.Aws.ElasticLoadBalancing;

/// <summary>A resource tag, e.g. <c>elbv2.k8s.aws/cluster</c> = <c>retail-forecast-cluster</c>.</summary>
public sealed record Tag(string Key, string? Value);

/// <summary>The tags of one load balancer, target group, listener or rule.</summary>
public sealed record TagDescription(string ResourceArn, IReadOnlyList<Tag> Tags);
