namespace Dashboard.Server.Aws;

/// <summary>
/// One AWS service the dashboard calls: its configuration key, SigV4 signing name, the service id used by the
/// <c>AWS_ENDPOINT_URL_*</c> environment variables, and how its public endpoint is named.
/// </summary>
public sealed record AwsService
{
    /// <summary>Elastic Load Balancing v2 (ALB/NLB), Query protocol, version 2015-12-01.</summary>
    public static readonly AwsService ElasticLoadBalancing = new()
    {
        Name = "ElasticLoadBalancing",
        SigningName = "elasticloadbalancing",
        EndpointEnvironmentVariable = "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2",
        EndpointPrefix = "elasticloadbalancing",
    };

    /// <summary>Amazon CloudWatch, JSON 1.0 protocol (GraniteServiceVersion20100801).</summary>
    public static readonly AwsService CloudWatch = new()
    {
        Name = "CloudWatch",
        SigningName = "monitoring",
        EndpointEnvironmentVariable = "AWS_ENDPOINT_URL_CLOUDWATCH",
        EndpointPrefix = "monitoring",
    };

    /// <summary>AWS Cost Explorer, JSON 1.1 protocol; a global service served from us-east-1 whatever the region.</summary>
    public static readonly AwsService CostExplorer = new()
    {
        Name = "CostExplorer",
        SigningName = "ce",
        EndpointEnvironmentVariable = "AWS_ENDPOINT_URL_COST_EXPLORER",
        EndpointPrefix = "ce",
        GlobalRegion = "us-east-1",
    };

    /// <summary>Amazon EC2 (subnets, security groups, network interfaces), EC2 Query protocol, called through AWSSDK.EC2.</summary>
    public static readonly AwsService Ec2 = new()
    {
        Name = "Ec2",
        SigningName = "ec2",
        EndpointEnvironmentVariable = "AWS_ENDPOINT_URL_EC2",
        EndpointPrefix = "ec2",
        SignedBySdk = true,
    };

    /// <summary>AWS Certificate Manager, JSON 1.1 protocol (CertificateManager).</summary>
    public static readonly AwsService CertificateManager = new()
    {
        Name = "CertificateManager",
        SigningName = "acm",
        EndpointEnvironmentVariable = "AWS_ENDPOINT_URL_ACM",
        EndpointPrefix = "acm",
    };

    /// <summary>AWS WAFv2, JSON 1.1 protocol (AWSWAF_20190729); regional web ACLs.</summary>
    public static readonly AwsService Wafv2 = new()
    {
        Name = "Wafv2",
        SigningName = "wafv2",
        EndpointEnvironmentVariable = "AWS_ENDPOINT_URL_WAFV2",
        EndpointPrefix = "wafv2",
    };

    public static IReadOnlyList<AwsService> All { get; } = [ElasticLoadBalancing, CloudWatch, CostExplorer, Ec2, CertificateManager, Wafv2];

    /// <summary>Key under <c>Dashboard:Aws:Endpoints</c> and the name used in logs and errors.</summary>
    public required string Name { get; init; }

    /// <summary>
    /// Called through an official AWS SDK package, which signs and retries by itself: its HttpClient is the plain
    /// metered one, without the project's signer and resilience handlers.
    /// </summary>
    public bool SignedBySdk { get; init; }

    /// <summary>The service name in the SigV4 credential scope.</summary>
    public required string SigningName { get; init; }

    /// <summary>The service-specific endpoint override variable honoured by every AWS SDK and the CLI.</summary>
    public required string EndpointEnvironmentVariable { get; init; }

    /// <summary>First label of the public endpoint host name.</summary>
    public required string EndpointPrefix { get; init; }

    /// <summary>For a global service, the one region it is signed for and served from; otherwise null.</summary>
    public string? GlobalRegion { get; init; }

    public override string ToString() => Name;
}
