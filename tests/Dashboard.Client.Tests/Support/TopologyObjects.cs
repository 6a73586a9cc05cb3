using System.Collections.Immutable;
using Dashboard.Client.Model;

namespace Dashboard.Client.Tests.Support;

/// <summary>Realistic topology view models for tests: the seed's retail-forecast endpoints behind an NLB and an ALB.</summary>
public static class TopologyObjects
{
    public const string AlbArn = "arn:aws:elasticloadbalancing:ap-southeast-1:111122223333:loadbalancer/app/k8s-shop-0123456789/50dc6c495c0c9188";
    public const string AlbTargetGroupArn = "arn:aws:elasticloadbalancing:ap-southeast-1:111122223333:targetgroup/k8s-mlops-retailfo-7c1d2e3f4a/73e2d6bc24d8a067";

    public static readonly ObjectRef ForecastIngress = new(ObjectKind.Ingress, "mlops", "retail-forecast");
    public static readonly ObjectRef ForecastNlbService = new(ObjectKind.Service, "mlops", "retail-forecast-nlb");

    public static PodView Pod(string name, bool ready = true, int restarts = 0) =>
        new("mlops", name, "Running", ready, restarts, "ip-10-0-1-20.ap-southeast-1.compute.internal", "target-health.elbv2.k8s.aws/k8s-mlops-retailfo-7c1d2e3f4a=True", "/healthz", "8080");

    public static TargetView Target(string ip, string state, string? reason = null, string? pod = null, DateTimeOffset? since = null) => new()
    {
        Id = ip,
        Port = 8080,
        Zone = "ap-southeast-1a",
        State = state,
        Reason = reason,
        Description = reason is null ? null : "Health checks failed with these codes: [500]",
        Since = since ?? Objects.Now.AddMinutes(-7),
        Pod = pod is null ? null : Pod(pod, ready: state == "healthy"),
    };

    public static TargetGroupView ForecastTargetGroup(params TargetView[] targets) => new()
    {
        Arn = AlbTargetGroupArn,
        Name = "k8s-mlops-retailfo-7c1d2e3f4a",
        Protocol = "HTTP",
        Port = 8080,
        TargetType = "ip",
        HealthCheck = new HealthCheckView("HTTP", "/healthz", "traffic-port", 10, 5, 3, 2, "200"),
        Attributes = ImmutableDictionary<string, string>.Empty
            .Add("deregistration_delay.timeout_seconds", "30")
            .Add("slow_start.duration_seconds", "0")
            .Add("stickiness.enabled", "false")
            .Add("load_balancing.algorithm.type", "round_robin"),
        Service = new ObjectRef(ObjectKind.Service, "mlops", "retail-forecast-svc"),
        ServicePort = "80",
        Member = ForecastIngress,
        LinkedBy = LinkSource.TargetGroupBinding,
        Targets = [.. targets],
        Drift = [new DriftItem("Health-check path", "/healthz", "/", "alb.ingress.kubernetes.io/healthcheck-path")],
        HealthAsOf = Objects.Now.AddSeconds(-20),
    };

    public static LoadBalancerViewModel ShopAlb(params TargetView[] targets)
    {
        var group = ForecastTargetGroup(targets);
        var healthy = targets.Count(t => t.State == "healthy");
        return new LoadBalancerViewModel
        {
            Arn = AlbArn,
            Name = "k8s-shop-0123456789",
            Type = "application",
            Scheme = "internet-facing",
            State = "active",
            DnsName = "k8s-shop-0123456789.ap-southeast-1.elb.amazonaws.com",
            Owners = [new BalancerOwner(ObjectKind.Ingress, ForecastIngress.Namespace, ForecastIngress.Name, 0.6), new BalancerOwner(ObjectKind.Ingress, "shop", "storefront", 0.4)],
            LinkedBy = LinkSource.ControllerTags,
            Listeners =
            [
                new ListenerView("arn:listener/80", "HTTP", 80, null, "redirect to HTTPS:443 (301)", []),
                new ListenerView("arn:listener/443", "HTTPS", 443, "arn:aws:acm:ap-southeast-1:111122223333:certificate/abcd1234-5678", "fixed-response 404",
                [
                    new RuleView("arn:rule/1", "10", ["host forecast.example.com", "path /*"], [new ForwardView(group.Arn, group.Name, null)], null, ForecastIngress),
                ]),
            ],
            TargetGroups = [group],
            HealthyTargets = healthy,
            TotalTargets = targets.Length,
            Flags = LoadBalancerFlags.Shared | LoadBalancerFlags.Drift | (healthy == 0 && targets.Length > 0 ? LoadBalancerFlags.AllUnhealthy : LoadBalancerFlags.None),
            Drift = group.Drift,
            AsOf = Objects.Now.AddSeconds(-20),
        };
    }

    public static LoadBalancerViewModel Balancer(string name, string type = "network", string scheme = "internal", int healthy = 2, int total = 2,
        LoadBalancerFlags flags = LoadBalancerFlags.None, ObjectRef? owner = null, DateTimeOffset? asOf = null) => new()
    {
        Arn = $"arn:aws:elasticloadbalancing:ap-southeast-1:111122223333:loadbalancer/{(type == "network" ? "net" : "app")}/{name}/0000",
        Name = name,
        Type = type,
        Scheme = scheme,
        State = "active",
        DnsName = $"{name}.elb.ap-southeast-1.amazonaws.com",
        Owners = owner is null ? [] : [new BalancerOwner(owner.Kind, owner.Namespace, owner.Name)],
        Listeners = [new ListenerView($"arn:listener/{name}", "TCP", 80, null, "forward", [])],
        HealthyTargets = healthy,
        TotalTargets = total,
        Flags = flags,
        AsOf = asOf ?? Objects.Now.AddSeconds(-30),
    };

    public static EndpointViewModel ForecastEndpoint() => new()
    {
        Object = ForecastIngress,
        LoadBalancers =
        [
            ShopAlb(
                Target("10.0.1.5", "unhealthy", "Target.ResponseCodeMismatch", "retail-forecast-7d9f-abcde"),
                Target("10.0.2.7", "healthy", pod: "retail-forecast-7d9f-fghij")),
        ],
        Checklist =
        [
            new ChecklistItem("balancer-exists", "Load balancer exists", CheckState.Pass, "k8s-shop-0123456789 is active."),
            new ChecklistItem("health", "Health checks passing", CheckState.Fail, "1 of 2 targets unhealthy (Target.ResponseCodeMismatch)."),
            new ChecklistItem("waf", "Source ranges restricted", CheckState.Warn, "Reachable from 0.0.0.0/0."),
        ],
        Diagnoses =
        [
            new Diagnosis("response-code-mismatch", "Health check gets HTTP 500 from the pod",
                ["Health check: HTTP GET /healthz on traffic-port, success codes 200", "Pod readiness probe: /healthz on 8080", "Last answer: 500"],
                "Make /healthz answer 200, or set alb.ingress.kubernetes.io/success-codes to what the app answers."),
        ],
        Events = [new EventView("Warning", "FailedDeployModel", "Failed deploy model due to AccessDenied", "ingress", 3, Objects.Now.AddMinutes(-2), "Ingress/retail-forecast")],
        AsOf = Objects.Now.AddSeconds(-20),
    };

    public static TriageItem Item(ObjectRef endpoint, string ip, TriageSeverity severity, string reason = "Target.ResponseCodeMismatch",
        DateTimeOffset? since = null, string loadBalancer = "k8s-shop-0123456789") => new()
    {
        Endpoint = endpoint,
        Severity = severity,
        LoadBalancerName = loadBalancer,
        TargetGroupArn = AlbTargetGroupArn,
        TargetGroupName = "k8s-mlops-retailfo-7c1d2e3f4a",
        Target = Target(ip, "unhealthy", reason, "pod-" + ip.Replace('.', '-'), since),
        Diagnosis = new Diagnosis("response-code-mismatch", "Health check gets HTTP 500 from the pod",
            ["Health check path /healthz, matcher 200", $"Pod at {ip} answers 500"], "Make /healthz answer 200."),
        AsOf = Objects.Now.AddSeconds(-15),
    };
}
