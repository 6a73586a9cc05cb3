using System.Collections.Immutable;

namespace Dashboard.Sandbox.Aws;

/// <summary>A rule condition: <c>host-header</c> or <c>path-pattern</c> (and the other ELB fields) with its values.</summary>
public sealed record RuleCondition(string Field, ImmutableArray<string> Values)
{
    public static RuleCondition HostHeader(params string[] values) => new("host-header", [.. values]);
    public static RuleCondition PathPattern(params string[] values) => new("path-pattern", [.. values]);
}

/// <summary>A target group a forward action sends to, with its weight (0–999).</summary>
public sealed record WeightedTargetGroup(string TargetGroupArn, int Weight);

/// <summary>A fixed response (<c>fixed-response</c> action).</summary>
public sealed record FixedResponse(string StatusCode, string? ContentType, string? MessageBody);

/// <summary>
/// A <c>redirect</c> action's target. <c>#{protocol}</c>, <c>#{host}</c>, <c>#{port}</c>, <c>#{path}</c> and <c>#{query}</c>
/// keep the request's own value; <see cref="StatusCode"/> is <c>HTTP_301</c> or <c>HTTP_302</c>.
/// </summary>
public sealed record RedirectConfig(string Protocol, string Port, string Host, string Path, string Query, string StatusCode);

/// <summary>
/// A listener or rule action. <c>forward</c> carries <see cref="TargetGroups"/> (one group of weight 1 is the simple form,
/// reported with <c>TargetGroupArn</c> as AWS does); <c>fixed-response</c> carries <see cref="FixedResponse"/>.
/// </summary>
public sealed record RuleAction
{
    /// <summary><c>forward</c>, <c>fixed-response</c>, <c>redirect</c>.</summary>
    public required string Type { get; init; }
    public int? Order { get; init; }
    public ImmutableArray<WeightedTargetGroup> TargetGroups { get; init; } = [];
    public bool StickinessEnabled { get; init; }
    public int? StickinessDurationSeconds { get; init; }
    public FixedResponse? FixedResponse { get; init; }

    /// <summary>Where a <c>redirect</c> action sends the client.</summary>
    public RedirectConfig? Redirect { get; init; }

    public static RuleAction Forward(string targetGroupArn) =>
        new() { Type = "forward", TargetGroups = [new WeightedTargetGroup(targetGroupArn, 1)] };

    public static RuleAction ForwardWeighted(params WeightedTargetGroup[] groups) =>
        new() { Type = "forward", TargetGroups = [.. groups] };

    public static RuleAction RedirectTo(RedirectConfig redirect) => new() { Type = "redirect", Redirect = redirect };

    public static RuleAction Fixed(string statusCode, string? contentType = "text/plain", string? body = null) =>
        new() { Type = "fixed-response", FixedResponse = new FixedResponse(statusCode, contentType, body) };
}

/// <summary>A listener rule (<c>DescribeRules</c>); the default rule has priority <c>default</c>.</summary>
public sealed record ListenerRule
{
    public required string Arn { get; init; }
    public required string ListenerArn { get; init; }

    /// <summary>1–50000 as text, or <c>default</c>.</summary>
    public required string Priority { get; init; }
    public required ImmutableArray<RuleCondition> Conditions { get; init; }
    public required ImmutableArray<RuleAction> Actions { get; init; }
    public required bool IsDefault { get; init; }
}
