namespace Dashboard.Server.Aws.ElasticLoadBalancing;

/// <summary>A rule of an ALB listener (the ELBv2 <c>Rule</c>): conditions matched in priority order, then actions.</summary>
public sealed record ListenerRule
{
    public required string RuleArn { get; init; }

    /// <summary>A number as text, or <c>default</c> for the listener's default rule.</summary>
    public required string Priority { get; init; }
    public bool IsDefault { get; init; }
    public IReadOnlyList<RuleCondition> Conditions { get; init; } = [];
    public IReadOnlyList<ListenerAction> Actions { get; init; } = [];
}

/// <summary>
/// One condition of a rule. <see cref="Values"/> holds the effective values whatever form AWS used: the legacy
/// <c>Values</c> list or the field's own config (<c>HostHeaderConfig</c>, <c>PathPatternConfig</c>,
/// <c>HttpHeaderConfig</c>, <c>HttpRequestMethodConfig</c>, <c>SourceIpConfig</c>).
/// </summary>
public sealed record RuleCondition
{
    /// <summary><c>host-header</c>, <c>path-pattern</c>, <c>http-header</c>, <c>http-request-method</c>, <c>query-string</c> or <c>source-ip</c>.</summary>
    public required string Field { get; init; }
    public IReadOnlyList<string> Values { get; init; } = [];

    /// <summary>For <c>http-header</c>: the header name.</summary>
    public string? HttpHeaderName { get; init; }

    /// <summary>For <c>query-string</c>: key/value pairs (a null key matches any key).</summary>
    public IReadOnlyList<QueryStringKeyValuePair> QueryStrings { get; init; } = [];
}

/// <summary>A query-string condition value.</summary>
public sealed record QueryStringKeyValuePair(string? Key, string Value);
