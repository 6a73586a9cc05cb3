using System.Collections.Immutable;

namespace Dashboard.Sandbox.Aws.Waf;

/// <summary>A rule of a web ACL, reduced to what the dashboard shows: its name, priority and what it does.</summary>
public sealed record WebAclRule(string Name, int Priority, string Action, string Statement);

/// <summary>A regional WAFv2 web ACL.</summary>
public sealed record WebAcl
{
    public required string Name { get; init; }
    public required string Id { get; init; }
    public required string Arn { get; init; }
    public required string Description { get; init; }

    /// <summary><c>Allow</c> or <c>Block</c>.</summary>
    public required string DefaultAction { get; init; }
    public required ImmutableArray<WebAclRule> Rules { get; init; }
    public required string LockToken { get; init; }
}
