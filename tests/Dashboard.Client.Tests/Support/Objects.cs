using System.Collections.Immutable;
using Dashboard.Client.Model;

namespace Dashboard.Client.Tests.Support;

/// <summary>Small, realistic view models for tests.</summary>
public static class Objects
{
    public static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static ServiceViewModel Service(string ns, string name, string type = "ClusterIP", DateTimeOffset? createdAt = null) => new()
    {
        Uid = Guid.NewGuid().ToString(),
        Namespace = ns,
        Name = name,
        Type = type,
        ClusterIp = "10.100.0.10",
        Ports = [new ServicePortView("http", 80, "8080", "TCP", type == "ClusterIP" ? null : 31080)],
        CreatedAt = createdAt ?? Now.AddDays(-3),
        ReadyEndpoints = 2,
    };

    public static ServiceViewModel ForecastNlb() => Service("mlops", "retail-forecast-nlb", "LoadBalancer") with
    {
        ExternalAddresses = ["k8s-mlops-retailfo-0123456789.elb.ap-southeast-1.amazonaws.com"],
        Annotations = ImmutableDictionary<string, string>.Empty
            .Add("service.beta.kubernetes.io/aws-load-balancer-type", "external")
            .Add("service.beta.kubernetes.io/aws-load-balancer-scheme", "internet-facing")
            .Add("service.beta.kubernetes.io/aws-load-balancer-healthcheck-path", "/healthz"),
        LoadBalancer = new LoadBalancerFacts
        {
            Controller = LoadBalancerController.AwsLoadBalancerController,
            BalancerType = "nlb",
            Scheme = "internet-facing",
            TargetType = "ip",
            HealthCheck = new HealthCheckFacts { Protocol = "HTTP", Path = "/healthz", IntervalSeconds = 10, HealthyThreshold = 3, UnhealthyThreshold = 3 },
            CrossZone = true,
        },
        Lints =
        [
            new Lint
            {
                Code = "open-source-ranges",
                Severity = LintSeverity.Warning,
                Title = "Reachable from the whole internet",
                Detail = "No source ranges restrict this internet-facing NLB. Set spec.loadBalancerSourceRanges.",
            },
        ],
    };

    public static ServiceViewModel PendingLoadBalancer(string ns, string name) => Service(ns, name, "LoadBalancer") with
    {
        ExternalPending = true,
        LoadBalancer = new LoadBalancerFacts
        {
            Controller = LoadBalancerController.InTree,
            BalancerType = "nlb",
            Scheme = "internal",
            TargetType = "instance",
        },
    };

    public static IngressViewModel ForecastIngress() => new()
    {
        Uid = Guid.NewGuid().ToString(),
        Namespace = "mlops",
        Name = "retail-forecast",
        IngressClass = "alb",
        ClassFromDeprecatedAnnotation = true,
        GroupName = "shop",
        GroupOrder = 10,
        Scheme = "internet-facing",
        CertificateArn = "arn:aws:acm:ap-southeast-1:111122223333:certificate/abcd1234-5678",
        ListenPorts = "[{\"HTTP\":80},{\"HTTPS\":443}]",
        Listeners = [new IngressListenerView("HTTP", 80, FromDefault: false), new IngressListenerView("HTTPS", 443, FromDefault: false)],
        SslRedirect = "443",
        Rules =
        [
            new IngressRuleView("forecast.example.com",
            [
                new IngressPathView("/", "Prefix", new IngressBackendView("retail-forecast-svc", "80")),
                new IngressPathView("/api", "Prefix", new IngressBackendView("retail-forecast-api", "8080")),
            ]),
        ],
        Addresses = ["k8s-shop-0123456789.ap-southeast-1.elb.amazonaws.com"],
        CreatedAt = Now.AddHours(-5),
    };

    public static SourceStatus Source(string key, SourceState state, string? message = null, DateTimeOffset? lastGood = null) => new()
    {
        Key = key,
        DisplayName = key == "kubernetes" ? "Kubernetes API" : "AWS ELBv2",
        State = state,
        LastGoodAt = lastGood ?? Now.AddSeconds(-42),
        Message = message,
    };
}
