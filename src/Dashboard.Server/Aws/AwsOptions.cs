namespace Dashboard.Server.Aws;

/// <summary>Settings of the AWS clients (configuration section <c>Dashboard:Aws</c>).</summary>
public sealed class AwsOptions
{
    public const string SectionName = "Dashboard:Aws";

    /// <summary>
    /// Region of the load balancers and CloudWatch metrics, e.g. <c>us-east-1</c>. Required outside the sandbox;
    /// falls back to the <c>AWS_REGION</c> / <c>AWS_DEFAULT_REGION</c> variables. Cost Explorer always uses us-east-1.
    /// </summary>
    public string? Region { get; set; }

    /// <summary>
    /// Named profile of the shared AWS config/credentials files (static keys, assume-role, SSO). Empty: the default
    /// credential chain (environment, web identity/IRSA, <c>AWS_PROFILE</c> or default profile, container, IMDS).
    /// </summary>
    public string? Profile { get; set; }

    /// <summary>Per-service endpoint overrides; they win over the <c>AWS_ENDPOINT_URL*</c> variables.</summary>
    public AwsEndpointOverrides Endpoints { get; set; } = new();

    public AwsRetryOptions Retry { get; set; } = new();

    /// <summary>True when <c>Dashboard:Source</c> is <c>Sandbox</c> (the default); set from that key, not bound.</summary>
    internal bool SandboxMode { get; set; } = true;
}

/// <summary>Endpoint URLs by service (<c>Dashboard:Aws:Endpoints:*</c>).</summary>
public sealed class AwsEndpointOverrides
{
    public string? ElasticLoadBalancing { get; set; }
    public string? CloudWatch { get; set; }
    public string? CostExplorer { get; set; }
    public string? Ec2 { get; set; }
    public string? CertificateManager { get; set; }
    public string? Wafv2 { get; set; }

    internal string? For(AwsService service) => service.Name switch
    {
        nameof(ElasticLoadBalancing) => ElasticLoadBalancing,
        nameof(CloudWatch) => CloudWatch,
        nameof(CostExplorer) => CostExplorer,
        nameof(Ec2) => Ec2,
        nameof(CertificateManager) => CertificateManager,
        nameof(Wafv2) => Wafv2,
        _ => null,
    };
}

/// <summary>How throttled and failed AWS calls are retried (<c>Dashboard:Aws:Retry</c>).</summary>
public sealed class AwsRetryOptions
{
    /// <summary>Attempts per call including the first (the AWS CLI makes up to 5 in its standard retry mode).</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Median delay before the first retry; later retries back off exponentially, with jitter.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Upper bound of one back-off delay.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Time allowed for one attempt before it is abandoned and retried.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time allowed for a call including every retry and delay.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(2);
}
