// The namespace is not Dashboard.Server.TargetHealth: a namespace of that name would hide the ELBv2 record
// Dashboard.Server.Aws.ElasticLoadBalancing.TargetHealth from every Dashboard.Server.* namespace.
namespace Dashboard.Server.LoadBalancers;

/// <summary>Which AWS read goes first when the call budget is short (lower first).</summary>
public enum PollPriority
{
    /// <summary>A target group with a target unhealthy, initial or draining.</summary>
    Unhealthy = 0,

    /// <summary>Never read yet (a new balancer or target group): its state is unknown, so it could be the next outage.</summary>
    New = 1,

    /// <summary>A target group open in some page.</summary>
    Viewed = 2,

    /// <summary>A change CloudWatch or the listing suggested.</summary>
    Changed = 3,

    /// <summary>The slow safety-net re-read of quiet resources.</summary>
    Sweep = 4,
}
