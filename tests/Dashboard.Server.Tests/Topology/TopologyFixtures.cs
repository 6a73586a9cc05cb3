using System.Collections.Immutable;
using Dashboard.Server.Aws.ElasticLoadBalancing;
using Dashboard.Server.Kubernetes;
using Dashboard.Server.LoadBalancers;
using Dashboard.Server.Topology;
using k8s.Models;

namespace Dashboard.Server.Tests.Topology;

/// <summary>Hand-built Kubernetes objects and AWS records for the join tests, named as the seed names them.</summary>
internal static class K8s
{
    public const string Cluster = "retail-forecast-cluster";
    public static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static TopologyContext Context(string? cluster = Cluster) => new() { ClusterName = cluster, Now = Now };

    public static V1Service Service(string ns, string name, Dictionary<string, string>? annotations = null, string? hostname = null,
        string type = "LoadBalancer", int port = 80, int targetPort = 8080, int? nodePort = null, string? trafficPolicy = null, string? loadBalancerClass = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Uid = $"uid-svc-{ns}-{name}", Annotations = annotations },
        Spec = new V1ServiceSpec
        {
            Type = type,
            LoadBalancerClass = loadBalancerClass,
            Selector = new Dictionary<string, string> { ["app"] = name },
            Ports = [new V1ServicePort { Name = "http", Port = port, TargetPort = targetPort, Protocol = "TCP", NodePort = nodePort }],
            ExternalTrafficPolicy = trafficPolicy,
            HealthCheckNodePort = trafficPolicy == "Local" ? 32100 : null,
        },
        Status = new V1ServiceStatus
        {
            LoadBalancer = new V1LoadBalancerStatus { Ingress = hostname is null ? null : [new V1LoadBalancerIngress { Hostname = hostname }] },
        },
    };

    public static V1Ingress Ingress(string ns, string name, string? group = null, string[]? backends = null, string? host = null,
        Dictionary<string, string>? annotations = null, string? hostname = null)
    {
        var a = new Dictionary<string, string>(annotations ?? []) { ["kubernetes.io/ingress.class"] = "alb" };
        if (group is not null)
        {
            a["alb.ingress.kubernetes.io/group.name"] = group;
        }
        return new V1Ingress
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Uid = $"uid-ing-{ns}-{name}", Annotations = a },
            Spec = new V1IngressSpec
            {
                Rules =
                [
                    new V1IngressRule
                    {
                        Host = host,
                        Http = new V1HTTPIngressRuleValue
                        {
                            Paths = [.. (backends ?? [name + "-svc"]).Select(b => new V1HTTPIngressPath
                            {
                                Path = "/" + b,
                                PathType = "Prefix",
                                Backend = new V1IngressBackend { Service = new V1IngressServiceBackend { Name = b, Port = new V1ServiceBackendPort { Number = 80 } } },
                            })],
                        },
                    },
                ],
            },
            Status = new V1IngressStatus
            {
                LoadBalancer = new V1IngressLoadBalancerStatus { Ingress = hostname is null ? null : [new V1IngressLoadBalancerIngress { Hostname = hostname }] },
            },
        };
    }

    public static V1Pod Pod(string ns, string name, string ip, string node = "node-a", bool ready = true, string probePath = "/healthz",
        int containerPort = 8080, bool crashLooping = false, int restarts = 0) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Uid = $"uid-pod-{ns}-{name}", Labels = new Dictionary<string, string> { ["app"] = "api" } },
        Spec = new V1PodSpec
        {
            NodeName = node,
            Containers =
            [
                new V1Container
                {
                    Name = "api",
                    Image = "retail-forecast:1.0",
                    Ports = [new V1ContainerPort { ContainerPort = containerPort, Name = "http" }],
                    ReadinessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = probePath, Port = containerPort } },
                },
            ],
        },
        Status = new V1PodStatus
        {
            Phase = "Running",
            PodIP = ip,
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False", Reason = ready ? null : "ContainersNotReady" }],
            ContainerStatuses =
            [
                new V1ContainerStatus
                {
                    Name = "api",
                    Image = "retail-forecast:1.0",
                    ImageID = "sha256:1",
                    Ready = ready,
                    RestartCount = restarts,
                    State = crashLooping
                        ? new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "CrashLoopBackOff" } }
                        : new V1ContainerState { Running = new V1ContainerStateRunning() },
                    LastState = crashLooping ? new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 1, Reason = "Error" } } : null,
                },
            ],
        },
    };

    public static V1Node Node(string name, string instanceId, bool ready = true, string zone = "us-east-1a") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Uid = "uid-node-" + name, Labels = new Dictionary<string, string> { ["topology.kubernetes.io/zone"] = zone } },
        Spec = new V1NodeSpec { ProviderID = $"aws:///{zone}/{instanceId}" },
        Status = new V1NodeStatus { Conditions = [new V1NodeCondition { Type = "Ready", Status = ready ? "True" : "False" }] },
    };

    public static Corev1Event Event(string kind, string ns, string name, string type, string reason, string message, DateTimeOffset? at = null, int count = 1) => new()
    {
        Metadata = new V1ObjectMeta { Name = $"{name}.{reason}.{Guid.NewGuid():N}", NamespaceProperty = ns, Uid = Guid.NewGuid().ToString() },
        InvolvedObject = new V1ObjectReference { Kind = kind, NamespaceProperty = ns, Name = name },
        Type = type,
        Reason = reason,
        Message = message,
        Count = count,
        LastTimestamp = (at ?? Now.AddMinutes(-1)).UtcDateTime,
        Source = new V1EventSource { Component = kind == "Pod" ? "kubelet" : "service" },
    };

    public static V1EndpointSlice Slice(string ns, string service, params (string Ip, string Node, bool Ready)[] endpoints) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = service + "-abc",
            NamespaceProperty = ns,
            Uid = $"uid-slice-{ns}-{service}",
            Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = service },
        },
        AddressType = "IPv4",
        Endpoints = [.. endpoints.Select(e => new V1Endpoint { Addresses = [e.Ip], NodeName = e.Node, Conditions = new V1EndpointConditions { Ready = e.Ready } })],
    };

    public static TargetGroupBinding Binding(string ns, string tgArn, string service, string port = "80", string targetType = "ip") =>
        new(ns, "k8s-" + service, tgArn, targetType, service, port);
}

/// <summary>Assembles an <see cref="AwsSnapshot"/>: balancers with a listener forwarding to each target group, tags and health.</summary>
internal sealed class AwsFixture
{
    private readonly List<LoadBalancer> _balancers = [];
    private readonly List<TargetGroup> _groups = [];
    private readonly Dictionary<string, List<Listener>> _listeners = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ListenerRule>> _rules = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ImmutableDictionary<string, string>> _tags = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ObservedTargetHealth>> _health = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ImmutableDictionary<string, string>> _tgAttributes = new(StringComparer.Ordinal);

    public LoadBalancer Balancer(string name, string type = "network", string scheme = "internet-facing", Dictionary<string, string>? tags = null,
        string[]? zones = null, string[]? securityGroups = null)
    {
        var kind = type == "network" ? "net" : "app";
        var lb = new LoadBalancer
        {
            LoadBalancerArn = $"arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/{kind}/{name}/0123456789abcdef",
            LoadBalancerName = name,
            DnsName = $"{name}-0123456789.elb.us-east-1.amazonaws.com",
            Scheme = scheme,
            Type = type,
            State = new LoadBalancerState("active", null),
            AvailabilityZones = [.. (zones ?? ["us-east-1a", "us-east-1b"]).Select(z => new AvailabilityZone { ZoneName = z })],
            SecurityGroups = securityGroups ?? [],
        };
        _balancers.Add(lb);
        _tags[lb.LoadBalancerArn] = (tags ?? []).ToImmutableDictionary();
        _listeners[lb.LoadBalancerArn] = [];
        return lb;
    }

    /// <summary>A target group on <paramref name="lb"/>, forwarded to by a listener on <paramref name="listenerPort"/> (or by a rule of it when it exists).</summary>
    public TargetGroup Group(LoadBalancer? lb, string name, string targetType = "ip", int port = 8080, Dictionary<string, string>? tags = null,
        Func<TargetGroup, TargetGroup>? configure = null, int listenerPort = 80, bool attach = true)
    {
        var tg = new TargetGroup
        {
            TargetGroupArn = $"arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/{name}/fedcba9876543210",
            TargetGroupName = name,
            Protocol = lb?.Type == "application" ? "HTTP" : "TCP",
            Port = port,
            TargetType = targetType,
            HealthCheckProtocol = "HTTP",
            HealthCheckPath = "/healthz",
            HealthCheckPort = "traffic-port",
            HealthCheckIntervalSeconds = 10,
            HealthCheckTimeoutSeconds = 5,
            HealthyThresholdCount = 3,
            UnhealthyThresholdCount = 3,
            Matcher = new Matcher("200", null),
            LoadBalancerArns = lb is not null && attach ? [lb.LoadBalancerArn] : [],
        };
        tg = configure?.Invoke(tg) ?? tg;
        _groups.Add(tg);
        _tags[tg.TargetGroupArn] = (tags ?? []).ToImmutableDictionary();
        _health[tg.TargetGroupArn] = [];
        if (lb is not null && attach)
        {
            var listeners = _listeners[lb.LoadBalancerArn];
            var listener = listeners.FirstOrDefault(l => l.Port == listenerPort);
            if (listener is null)
            {
                listener = new Listener
                {
                    ListenerArn = lb.LoadBalancerArn.Replace(":loadbalancer/", ":listener/", StringComparison.Ordinal) + "/" + listenerPort,
                    LoadBalancerArn = lb.LoadBalancerArn,
                    Port = listenerPort,
                    Protocol = lb.Type == "application" ? "HTTP" : "TCP",
                    DefaultActions = [new ListenerAction { Type = "forward", TargetGroupArn = tg.TargetGroupArn }],
                };
                listeners.Add(listener);
                _rules[listener.ListenerArn] = [];
            }
            else
            {
                var rules = _rules[listener.ListenerArn];
                rules.Add(new ListenerRule
                {
                    RuleArn = listener.ListenerArn + "/rule/" + (rules.Count + 1),
                    Priority = (rules.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Conditions = [new RuleCondition { Field = "path-pattern", Values = ["/" + name] }],
                    Actions = [new ListenerAction { Type = "forward", TargetGroupArn = tg.TargetGroupArn }],
                });
            }
        }
        return tg;
    }

    public void Listener(LoadBalancer lb, Listener listener) => _listeners[lb.LoadBalancerArn].Add(listener);

    public void Attributes(TargetGroup tg, params (string Key, string Value)[] attributes) =>
        _tgAttributes[tg.TargetGroupArn] = attributes.ToImmutableDictionary(a => a.Key, a => a.Value);

    public AwsFixture Target(TargetGroup tg, string id, int port, string state = "healthy", string? reason = null, string? description = null,
        DateTimeOffset? since = null, string zone = "us-east-1a")
    {
        var parsed = state switch
        {
            "healthy" => TargetHealthState.Healthy,
            "unhealthy" => TargetHealthState.Unhealthy,
            "initial" => TargetHealthState.Initial,
            "draining" => TargetHealthState.Draining,
            "unused" => TargetHealthState.Unused,
            _ => TargetHealthState.Unavailable,
        };
        _health[tg.TargetGroupArn].Add(new ObservedTargetHealth(new TargetHealthDescription
        {
            Target = new TargetDescription(id, port, zone),
            TargetHealth = new TargetHealth(parsed, state, reason, description),
        }, since ?? K8s.Now.AddMinutes(-5)));
        return this;
    }

    public AwsSnapshot Build() => new()
    {
        LoadBalancers = [.. _balancers],
        TargetGroups = [.. _groups],
        Listeners = _listeners.ToImmutableDictionary(p => p.Key, p => p.Value.ToImmutableArray()),
        Rules = _rules.ToImmutableDictionary(p => p.Key, p => p.Value.ToImmutableArray()),
        Tags = _tags.ToImmutableDictionary(),
        TargetGroupAttributes = _tgAttributes.ToImmutableDictionary(),
        TargetHealth = _health.ToImmutableDictionary(p => p.Key, p => new TargetGroupHealth(p.Key, [.. p.Value], K8s.Now.AddSeconds(-5))),
        ConfigurationAsOf = K8s.Now.AddSeconds(-30),
    };
}
