namespace Dashboard.Server.LoadBalancers;

/// <summary>
/// How the server polls AWS for load balancers and target health (configuration section <c>Dashboard:Aws:Polling</c>).
/// One poller per server (per leader, see <see cref="IPollingLeadership"/>), whatever the number of viewers.
/// </summary>
public sealed class AwsPollingOptions
{
    public const string SectionName = "Dashboard:Aws:Polling";

    /// <summary>False turns the pollers off (the AWS pages then stay empty, marked syncing).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How often the load balancers and target groups are listed (DescribeLoadBalancers, DescribeTargetGroups: a few
    /// calls whatever their number). New or changed ones get their listeners, rules, attributes and tags read at once.
    /// </summary>
    public TimeSpan ConfigurationInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The longest time before the listeners, rules, attributes and tags of an unchanged balancer or target group are
    /// read again (one or more calls each, so spread over this interval with jitter).
    /// </summary>
    public TimeSpan ConfigurationDetailsInterval { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How often target groups with a target not healthy (unhealthy, initial, draining) or open in a page are read.</summary>
    public TimeSpan FastInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often one batched CloudWatch GetMetricData reads HealthyHostCount/UnHealthyHostCount of every other target
    /// group; a group whose counts moved gets DescribeTargetHealth at once.
    /// </summary>
    public TimeSpan MetricsInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// After a change to a Service, an Ingress or a TargetGroupBinding (annotations or spec, not status), its target groups
    /// are read at <see cref="FastInterval"/> for this long: the moment a new health-check path, port or matcher, or a
    /// new target type, can fail in AWS while Kubernetes sees nothing wrong. Zero turns it off.
    /// </summary>
    public TimeSpan ChangeWatchWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The longest time before a quiet target group's health is read again anyway (spread with jitter).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How often security groups, subnets (EC2), listener certificates (ACM) and WAF associations are read again; they are
    /// also read soon after the balancer listing changes.
    /// </summary>
    public TimeSpan SecurityInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Ceiling of ELBv2 calls per minute (a token bucket refilled at this rate), shared by all the work above in
    /// priority order: unhealthy &gt; never read &gt; viewed &gt; changed &gt; sweep. AWS allows an account 10 Describe calls a
    /// second (bucket 40), shared with the load balancer controller and people.
    /// </summary>
    public int MaxElbCallsPerMinute { get; set; } = 300;

    /// <summary>How many calls the bucket holds: the largest burst after a quiet spell.</summary>
    public int ElbBurst { get; set; } = 20;

    /// <summary>
    /// The part of the ceiling the slow sweeps (health sweep, configuration details) may use per minute, so they
    /// stretch rather than crowd out urgent reads at scale.
    /// </summary>
    public int SweepElbCallsPerMinute { get; set; } = 60;

    /// <summary>First pause after AWS throttles or fails; doubles on each further failure (with jitter).</summary>
    public TimeSpan BackoffInitialDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest pause between attempts while AWS keeps failing.</summary>
    public TimeSpan BackoffMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How often the balancers' usage (ConsumedLCUs, requests or flows, requests per target group of a shared ALB; one
    /// batched GetMetricData) is read into the snapshot. Null: not read. The cost report sets it from
    /// <c>Dashboard:Costs:UsageRefresh</c>.
    /// </summary>
    public TimeSpan? UsageInterval { get; set; }

    /// <summary>The window the usage's recent requests cover (the cost report's <c>Dashboard:Costs:IdleWindow</c>).</summary>
    public TimeSpan UsageRecentWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Share of an interval by which sweeps are spread (0 = none, 0.5 = due between 50 % and 100 % of it).</summary>
    public double Jitter { get; set; } = 0.2;
}
