using System.Collections.Immutable;
using Dashboard.Sandbox.Aws;

namespace Dashboard.Sandbox.LoadBalancerController;

/// <summary>Which implementation owns a stack: the AWS Load Balancer Controller or the in-tree cloud provider.</summary>
internal enum StackOwner
{
    Controller,
    InTree,
}

/// <summary>
/// What one Service or Ingress group should look like in AWS: the controller's "model" (its <c>core.Stack</c>).
/// <see cref="Identity"/> are the tags that find the stack's existing resources again.
/// </summary>
internal sealed record Stack
{
    public required string Key { get; init; }
    public required StackOwner Owner { get; init; }
    public required ImmutableDictionary<string, string> Identity { get; init; }
    public required DesiredLoadBalancer LoadBalancer { get; init; }
    public required ImmutableArray<DesiredTargetGroup> TargetGroups { get; init; }
    public required ImmutableArray<DesiredListener> Listeners { get; init; }
}

internal sealed record DesiredLoadBalancer
{
    public required string Name { get; init; }
    public required LoadBalancerType Type { get; init; }
    public required string Scheme { get; init; }
    public string IpAddressType { get; init; } = "ipv4";
    public ImmutableArray<LoadBalancerAvailabilityZone> Subnets { get; init; } = [];
    public ImmutableArray<string> SecurityGroups { get; init; } = [];
    public ImmutableDictionary<string, string> Attributes { get; init; } = ImmutableDictionary<string, string>.Empty;
    public required ImmutableDictionary<string, string> Tags { get; init; }
}

/// <summary>The Service port whose endpoints a target group receives.</summary>
internal sealed record BackendRef(string Namespace, string ServiceName, int ServicePort);

/// <summary>A TargetGroupBinding to keep for a target group (controller stacks only).</summary>
internal sealed record BindingTemplate
{
    public required ImmutableDictionary<string, string> Labels { get; init; }
    public required ImmutableArray<string> NodeSelectorLabels { get; init; }
}

internal sealed record DesiredTargetGroup
{
    /// <summary>The model's resource id, e.g. <c>mlops/retail-forecast-nlb:80</c>; also the <c>…/resource</c> tag.</summary>
    public required string ResourceId { get; init; }
    public required string Name { get; init; }
    public required string Protocol { get; init; }
    public required int Port { get; init; }
    public required string TargetType { get; init; }
    public string? ProtocolVersion { get; init; }
    public required HealthCheck HealthCheck { get; init; }
    public ImmutableDictionary<string, string> Attributes { get; init; } = ImmutableDictionary<string, string>.Empty;
    public required ImmutableDictionary<string, string> Tags { get; init; }
    public required BackendRef Backend { get; init; }
    public BindingTemplate? Binding { get; init; }
}

/// <summary>A target group an action forwards to, by model resource id (resolved to an ARN on deploy).</summary>
internal sealed record ForwardTo(string ResourceId, int Weight);

internal sealed record DesiredAction
{
    public required string Type { get; init; }
    public ImmutableArray<ForwardTo> Forward { get; init; } = [];
    public FixedResponse? FixedResponse { get; init; }
    public RedirectConfig? Redirect { get; init; }

    public static DesiredAction ForwardTo(string resourceId) => new() { Type = "forward", Forward = [new ForwardTo(resourceId, 1)] };
}

internal sealed record DesiredRule(int Priority, ImmutableArray<RuleCondition> Conditions, DesiredAction Action);

internal sealed record DesiredListener
{
    public required int Port { get; init; }
    public required string Protocol { get; init; }
    public ImmutableArray<string> Certificates { get; init; } = [];
    public string? SslPolicy { get; init; }
    public required DesiredAction DefaultAction { get; init; }
    public ImmutableArray<DesiredRule> Rules { get; init; } = [];
}
