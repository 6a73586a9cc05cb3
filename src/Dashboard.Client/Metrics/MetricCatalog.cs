using System.Collections.Immutable;

namespace Dashboard.Client.Metrics;

/// <summary>The dimension sets a series is published with (ELB publishes each metric under some of these only).</summary>
[Flags]
public enum MetricScopes
{
    None = 0,
    /// <summary><c>LoadBalancer</c>.</summary>
    Balancer = 1,
    /// <summary><c>LoadBalancer</c> + <c>TargetGroup</c>.</summary>
    TargetGroup = 2,
    /// <summary><c>LoadBalancer</c> + <c>AvailabilityZone</c>.</summary>
    Zone = 4,
    /// <summary><c>LoadBalancer</c> + <c>TargetGroup</c> + <c>AvailabilityZone</c>.</summary>
    TargetGroupZone = 8,
    All = Balancer | TargetGroup | Zone | TargetGroupZone,
    /// <summary>Only per target group (host counts).</summary>
    Groups = TargetGroup | TargetGroupZone,
    /// <summary>Per balancer and per zone, not per target group (what the balancer itself answers).</summary>
    BalancerAndZone = Balancer | Zone,
}

/// <summary>How a chart's values read.</summary>
public enum MetricUnit
{
    Count,
    Seconds,
    Bytes,
    Percent,
    Hosts,
    Lcu,
}

/// <summary>
/// One line of a chart: a CloudWatch metric and statistic, or (<see cref="Derived"/>) a value the server computes from
/// other series of the same read (the 5xx share). <see cref="Id"/> is unique within a balancer type.
/// </summary>
public sealed record MetricSeriesDefinition(string Id, string MetricName, string Stat, string Label, MetricScopes Scopes, bool Derived = false);

/// <summary>One chart: what it plots and what it means for the person on call.</summary>
public sealed record MetricChartDefinition(string Key, string Title, MetricUnit Unit, string Help, ImmutableArray<MetricSeriesDefinition> Series);

/// <summary>
/// The charts of the Metrics section, in the order on-call reads them (rate, errors, duration, hosts, saturation, TLS),
/// with the statistic AWS recommends for each metric (docs/metrics.md, reference cloudwatch-elb.md). The one list both
/// the server (which queries to send) and the page (how to draw them) use.
/// </summary>
public static class MetricCatalog
{
    public const string ApplicationNamespace = "AWS/ApplicationELB";
    public const string NetworkNamespace = "AWS/NetworkELB";

    /// <summary>The id of the derived 5xx share series.</summary>
    public const string ErrorShareId = "share5xx";

    public static ImmutableArray<MetricChartDefinition> Application { get; } =
    [
        new("requests", "Requests", MetricUnit.Count,
            "Requests the balancer received per period (health checks are not counted). A sudden drop with no errors usually means traffic stopped reaching the balancer (DNS, client, upstream); a gap means no requests at all.",
            [new("requests", "RequestCount", "Sum", "Requests", MetricScopes.All)]),
        new("errors", "Errors", MetricUnit.Count,
            "Target 5xx: your pods answered an error — read their logs. ELB 502: a target closed the connection or answered garbage; 503: no healthy or registered target; 504: a target did not answer within the idle timeout. 4xx are client errors and usually not yours to fix.",
            [
                new("target5xx", "HTTPCode_Target_5XX_Count", "Sum", "Target 5xx", MetricScopes.All),
                new("elb5xx", "HTTPCode_ELB_5XX_Count", "Sum", "ELB 5xx", MetricScopes.BalancerAndZone),
                new("elb502", "HTTPCode_ELB_502_Count", "Sum", "ELB 502", MetricScopes.BalancerAndZone),
                new("elb503", "HTTPCode_ELB_503_Count", "Sum", "ELB 503", MetricScopes.BalancerAndZone),
                new("elb504", "HTTPCode_ELB_504_Count", "Sum", "ELB 504", MetricScopes.BalancerAndZone),
                new("target4xx", "HTTPCode_Target_4XX_Count", "Sum", "Target 4xx", MetricScopes.All),
            ]),
        new("errorShare", "5xx share of requests", MetricUnit.Percent,
            "Target and ELB 5xx as a percentage of requests: the number to compare with your error budget. It is computed only for periods with requests.",
            [new(ErrorShareId, "", "", "5xx %", MetricScopes.All, Derived: true)]),
        new("latency", "Target response time", MetricUnit.Seconds,
            "Seconds from the balancer sending a request to the target until the target started answering. p99 rising while p50 stays flat: a few slow requests (a slow dependency, GC pauses); everything rising together: the targets are saturated — scale out or look at the last deploy.",
            [
                new("p50", "TargetResponseTime", "p50", "p50", MetricScopes.All),
                new("p90", "TargetResponseTime", "p90", "p90", MetricScopes.All),
                new("p99", "TargetResponseTime", "p99", "p99", MetricScopes.All),
                new("avg", "TargetResponseTime", "Average", "average", MetricScopes.All),
            ]),
        new("hosts", "Hosts", MetricUnit.Hosts,
            "Healthy targets (minimum in the period) and unhealthy targets (maximum). Healthy below 1 means the group fails open or answers 503; open the target group's diagnoses above.",
            [
                new("healthy", "HealthyHostCount", "Minimum", "healthy (min)", MetricScopes.Groups),
                new("unhealthy", "UnHealthyHostCount", "Maximum", "unhealthy (max)", MetricScopes.Groups),
            ]),
        new("connections", "Connections", MetricUnit.Count,
            "Active and new client connections. Rejected connections mean the balancer hit its connection limit; target connection errors mean the balancer could not reach a target (security group, wrong port, pod gone).",
            [
                new("active", "ActiveConnectionCount", "Sum", "active", MetricScopes.BalancerAndZone),
                new("new", "NewConnectionCount", "Sum", "new", MetricScopes.BalancerAndZone),
                new("rejected", "RejectedConnectionCount", "Sum", "rejected", MetricScopes.BalancerAndZone),
                new("targetConnErrors", "TargetConnectionErrorCount", "Sum", "target connection errors", MetricScopes.All),
            ]),
        new("capacity", "LCUs and bytes", MetricUnit.Count,
            "Load balancer capacity units consumed (what the hourly LCU charge bills) and bytes processed. A step up after a change explains a cost rise on the Cost page.",
            [
                new("lcu", "ConsumedLCUs", "Sum", "LCUs", MetricScopes.Balancer),
                new("bytes", "ProcessedBytes", "Sum", "bytes", MetricScopes.BalancerAndZone),
            ]),
        new("tls", "TLS negotiation errors", MetricUnit.Count,
            "Clients that failed the TLS handshake: an old client against a strict security policy, or a certificate that does not match the host name.",
            [new("clientTls", "ClientTLSNegotiationErrorCount", "Sum", "client TLS errors", MetricScopes.BalancerAndZone)]),
    ];

    public static ImmutableArray<MetricChartDefinition> Network { get; } =
    [
        new("flows", "Flows", MetricUnit.Count,
            "Concurrent flows (average) and new flows per period. A gap means no traffic at all.",
            [
                new("activeFlows", "ActiveFlowCount", "Average", "active (avg)", MetricScopes.All),
                new("newFlows", "NewFlowCount", "Sum", "new", MetricScopes.All),
            ]),
        new("resets", "TCP resets", MetricUnit.Count,
            "Resets sent by clients, by the balancer (idle timeout, no healthy target) and by targets (the application closed the connection hard). Target resets rising after a deploy point at the new version.",
            [
                new("clientResets", "TCP_Client_Reset_Count", "Sum", "client", MetricScopes.All),
                new("elbResets", "TCP_ELB_Reset_Count", "Sum", "ELB", MetricScopes.All),
                new("targetResets", "TCP_Target_Reset_Count", "Sum", "target", MetricScopes.All),
            ]),
        new("hosts", "Hosts", MetricUnit.Hosts,
            "Healthy targets (maximum, as AWS advises for NLB) and unhealthy targets (minimum). Healthy at 0 means the NLB fails open to every target.",
            [
                new("healthy", "HealthyHostCount", "Maximum", "healthy (max)", MetricScopes.Groups),
                new("unhealthy", "UnHealthyHostCount", "Minimum", "unhealthy (min)", MetricScopes.Groups),
            ]),
        new("bytes", "Processed bytes", MetricUnit.Bytes,
            "Bytes the balancer processed, both directions.",
            [new("bytes", "ProcessedBytes", "Sum", "bytes", MetricScopes.BalancerAndZone)]),
        new("capacity", "LCUs", MetricUnit.Lcu,
            "Network load balancer capacity units consumed (billed hourly).",
            [new("lcu", "ConsumedLCUs", "Sum", "LCUs", MetricScopes.Balancer)]),
        new("tls", "TLS negotiation errors", MetricUnit.Count,
            "Failed TLS handshakes on TLS listeners, from clients and towards targets.",
            [
                new("clientTls", "ClientTLSNegotiationErrorCount", "Sum", "client", MetricScopes.BalancerAndZone),
                new("targetTls", "TargetTLSNegotiationErrorCount", "Sum", "target", MetricScopes.BalancerAndZone),
            ]),
    ];

    /// <summary>The charts of a balancer type ("application" or "network"); empty for others.</summary>
    public static ImmutableArray<MetricChartDefinition> For(string balancerType) => balancerType switch
    {
        "application" => Application,
        "network" => Network,
        _ => [],
    };

    public static string? Namespace(string balancerType) => balancerType switch
    {
        "application" => ApplicationNamespace,
        "network" => NetworkNamespace,
        _ => null,
    };

    /// <summary>Every metric name of a type's charts, for validating an API request.</summary>
    public static IEnumerable<string> MetricNames(string balancerType) =>
        For(balancerType).SelectMany(c => c.Series).Where(s => !s.Derived).Select(s => s.MetricName).Distinct(StringComparer.Ordinal);

    /// <summary>Which dimension set a scope needs.</summary>
    public static MetricScopes ScopeOf(string? targetGroup, string? zone) => (targetGroup, zone) switch
    {
        (null, null) => MetricScopes.Balancer,
        (not null, null) => MetricScopes.TargetGroup,
        (null, not null) => MetricScopes.Zone,
        _ => MetricScopes.TargetGroupZone,
    };
}
