namespace Dashboard.Server.Aws.ElasticLoadBalancing;

/// <summary>A listener of a load balancer: the port and protocol it accepts and its default actions.</summary>
public sealed record Listener
{
    public required string ListenerArn { get; init; }
    public required string LoadBalancerArn { get; init; }
    public int? Port { get; init; }

    /// <summary><c>HTTP</c>, <c>HTTPS</c>, <c>TCP</c>, <c>TLS</c>, <c>UDP</c>, <c>TCP_UDP</c> or <c>GENEVE</c>.</summary>
    public string? Protocol { get; init; }
    public IReadOnlyList<Certificate> Certificates { get; init; } = [];
    public string? SslPolicy { get; init; }
    public IReadOnlyList<ListenerAction> DefaultActions { get; init; } = [];
    public IReadOnlyList<string> AlpnPolicy { get; init; } = [];
}

/// <summary>A TLS certificate of a listener (ACM or IAM ARN).</summary>
public sealed record Certificate(string CertificateArn, bool? IsDefault);

/// <summary>
/// What a listener or rule does with a request (the ELBv2 <c>Action</c> shape, renamed to stay clear of
/// <see cref="System.Action"/>): <c>forward</c>, <c>redirect</c>, <c>fixed-response</c>, <c>authenticate-oidc</c>
/// or <c>authenticate-cognito</c>.
/// </summary>
public sealed record ListenerAction
{
    public required string Type { get; init; }
    public int? Order { get; init; }

    /// <summary>For a simple forward: the one target group.</summary>
    public string? TargetGroupArn { get; init; }
    public ForwardActionConfig? ForwardConfig { get; init; }
    public RedirectActionConfig? RedirectConfig { get; init; }
    public FixedResponseActionConfig? FixedResponseConfig { get; init; }
}

/// <summary>Weighted forwarding to one or more target groups.</summary>
public sealed record ForwardActionConfig
{
    public IReadOnlyList<TargetGroupTuple> TargetGroups { get; init; } = [];
    public TargetGroupStickinessConfig? TargetGroupStickinessConfig { get; init; }
}

/// <summary>A target group and its weight in a forward action.</summary>
public sealed record TargetGroupTuple(string TargetGroupArn, int? Weight);

/// <summary>Whether requests stick to one target group of a weighted forward.</summary>
public sealed record TargetGroupStickinessConfig(bool Enabled, int? DurationSeconds);

/// <summary>A redirect; <c>#{host}</c>-style placeholders are kept as AWS returns them.</summary>
public sealed record RedirectActionConfig
{
    public required string StatusCode { get; init; }
    public string? Protocol { get; init; }
    public string? Port { get; init; }
    public string? Host { get; init; }
    public string? Path { get; init; }
    public string? Query { get; init; }
}

/// <summary>A fixed HTTP answer.</summary>
public sealed record FixedResponseActionConfig(string StatusCode, string? ContentType, string? MessageBody);
