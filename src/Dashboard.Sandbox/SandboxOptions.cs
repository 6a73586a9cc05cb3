namespace Dashboard.Sandbox;

/// <summary>Settings of the simulated cluster and AWS account (configuration section <c>Sandbox</c>).</summary>
public sealed class SandboxOptions
{
    public const string SectionName = "Sandbox";

    /// <summary>Where the emulated Kubernetes API listens. Port 0 picks a free port (tests).</summary>
    public string KubernetesUrl { get; set; } = "http://127.0.0.1:8001";

    /// <summary>Where the emulated AWS APIs listen. Port 0 picks a free port (tests).</summary>
    public string AwsUrl { get; set; } = "http://127.0.0.1:4566";

    /// <summary>Seed of every simulated random choice; the same seed gives the same world.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>EKS cluster name used in tags and the kubeconfig.</summary>
    public string ClusterName { get; set; } = "retail-forecast-cluster";

    public string Region { get; set; } = "us-east-1";

    /// <summary>
    /// A second region of the account with a small world of its own (one ALB and its target group), so that regions can
    /// be told apart; empty for none. Requests signed for any other region see an empty region.
    /// </summary>
    public string SecondRegion { get; set; } = "eu-west-1";

    public string AccountId { get; set; } = "123456789012";

    /// <summary>How long the simulated controller takes to provision a load balancer before writing its hostname.</summary>
    public TimeSpan ProvisioningDelay { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How long after a minute ends the simulated CloudWatch publishes its ELB counts (real ELB: 1–3 minutes). Zero by
    /// default so tests see a minute as soon as it is complete.
    /// </summary>
    public TimeSpan CloudWatchPublicationDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Whether the seed scenario (mlops and friends) is loaded at start.</summary>
    public bool LoadScenario { get; set; } = true;

    /// <summary>
    /// Whether simulated health checks drive target health. False leaves health exactly as set through
    /// <c>AwsWorld.SetTargetHealth</c> (tests that build their own AWS world).
    /// </summary>
    public bool SimulateTargetHealth { get; set; } = true;

    public SandboxScaleOptions Scale { get; set; } = new();

    /// <summary>Where the balancers' data plane listens and how it times out (<c>Sandbox:DataPlane</c>).</summary>
    public DataPlane.SandboxDataPlaneOptions DataPlane { get; set; } = new();

    /// <summary>Timings of the simulated kubelet (readiness delay, probe period, restarts).</summary>
    public Cluster.SandboxClusterOptions Cluster { get; set; } = new();
}

/// <summary>Synthetic bulk added on top of the scenario, for benchmarks and scale tests.</summary>
public sealed class SandboxScaleOptions
{
    public int Namespaces { get; set; } = 0;
    public int Services { get; set; } = 0;
    public int Ingresses { get; set; } = 0;
    public int PodsPerService { get; set; } = 1;
}
