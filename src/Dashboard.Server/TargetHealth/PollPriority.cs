// The namespace is not Dashboard.Server.TargetHealth: a namespace of that name would hide the ELBv2 record
// Dashboard.Server.Aws.ElasticLoadBalancing.TargetHealth from every Dashboard.Server.* namespace.
namespace Dashboard.Server.TargetHealthPolling;

/// <summary>Which AWS read goes first when the call budget is short (lower first).</summary>
public enum PollPriority
{
    /// <summary>A target group with a target unhealthy, initial or draining.</summary>
    Unhealthy = 0,

    /// <summary>A target group open in some page.</summary>
    Viewed = 1,

    /// <summary>Something new, or a change CloudWatch or the listing suggested.</summary>
    Changed = 2,

    /// <summary>The slow safety-net re-read of quiet resources.</summary>
    Sweep = 3,
}
