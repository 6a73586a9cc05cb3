namespace Dashboard.Server.Aws.CloudWatch;

/// <summary>
/// The CloudWatch dimension values ELB publishes its metrics under, from ELBv2 ARNs: the one place this conversion is
/// written (host counts, usage, charts).
/// </summary>
public static class MetricDimensions
{
    private const string LoadBalancerMarker = ":loadbalancer/";
    private const string TargetGroupMarker = ":targetgroup/";

    /// <summary><c>arn:…:loadbalancer/app/web/50dc6c495c0c9188</c> → <c>app/web/50dc6c495c0c9188</c>; null when not a balancer ARN.</summary>
    public static string? LoadBalancer(string arn)
    {
        ArgumentNullException.ThrowIfNull(arn);
        var at = arn.IndexOf(LoadBalancerMarker, StringComparison.Ordinal);
        return at < 0 ? null : arn[(at + LoadBalancerMarker.Length)..];
    }

    /// <summary><c>arn:…:targetgroup/web/73e2d6bc24d8a067</c> → <c>targetgroup/web/73e2d6bc24d8a067</c>; null when not a target group ARN.</summary>
    public static string? TargetGroup(string arn)
    {
        ArgumentNullException.ThrowIfNull(arn);
        var at = arn.IndexOf(TargetGroupMarker, StringComparison.Ordinal);
        return at < 0 ? null : arn[(at + 1)..];
    }

    /// <summary>The metric namespace of a balancer type: <c>AWS/ApplicationELB</c>, <c>AWS/NetworkELB</c> or <c>AWS/GatewayELB</c>.</summary>
    public static string? Namespace(string? balancerType) => balancerType switch
    {
        "application" => "AWS/ApplicationELB",
        "network" => "AWS/NetworkELB",
        "gateway" => "AWS/GatewayELB",
        _ => null,
    };
}
