using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Dashboard.Server.Aws.ElasticLoadBalancing;
using Dashboard.Server.Kubernetes;
using Dashboard.Server.LoadBalancers;
using Dashboard.Server.Topology;
using k8s.Models;

namespace Dashboard.Benchmarks;

/// <summary>The recompute time of the join at one scale (median and worst of several runs) and what it produced.</summary>
public sealed record TopologyBenchmarkResult(int TargetGroups, int Targets, TimeSpan Median, TimeSpan Worst, int LoadBalancers, int Endpoints, int TriageItems);

/// <summary>
/// Measures <see cref="TopologyBuilder.Build(KubernetesSnapshot, Dashboard.Server.LoadBalancers.AwsSnapshot, TopologyContext)"/> on a synthetic world: one NLB Service per target group, its pods, a
/// TargetGroupBinding each, one target in twenty unhealthy. For the lead's benchmark harness; reports, never asserts.
/// </summary>
public static class TopologyBenchmark
{
    public static TopologyBenchmarkResult Measure(int targetGroups = 500, int targets = 5000, int runs = 5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(targetGroups, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(targets, targetGroups);
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        var (k8s, aws, ctx) = World(targetGroups, targets);
        TopologyBuilder.Build(k8s, aws, ctx); // warm-up (JIT)
        var times = new List<TimeSpan>();
        EndpointTopology topology = EndpointTopology.Empty;
        for (var i = 0; i < runs; i++)
        {
            var started = Stopwatch.GetTimestamp();
            topology = TopologyBuilder.Build(k8s, aws, ctx);
            times.Add(Stopwatch.GetElapsedTime(started));
        }
        times.Sort();
        return new TopologyBenchmarkResult(targetGroups, targets, times[times.Count / 2], times[^1],
            topology.LoadBalancers.Length, topology.Endpoints.Count, topology.Triage.Length);
    }

    internal static (KubernetesSnapshot K8s, AwsSnapshot Aws, TopologyContext Context) World(int targetGroups, int targets)
    {
        var now = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        const string cluster = "benchmark-cluster";
        var services = new List<V1Service>();
        var pods = new List<V1Pod>();
        var bindings = new List<TargetGroupBinding>();
        var balancers = new List<LoadBalancer>();
        var groups = new List<TargetGroup>();
        var listeners = ImmutableDictionary.CreateBuilder<string, ImmutableArray<Listener>>();
        var tags = ImmutableDictionary.CreateBuilder<string, ImmutableDictionary<string, string>>();
        var health = ImmutableDictionary.CreateBuilder<string, TargetGroupHealth>();
        var target = 0;
        for (var g = 0; g < targetGroups; g++)
        {
            var ns = "team-" + (g % 20).ToString(CultureInfo.InvariantCulture);
            var name = "svc-" + g.ToString(CultureInfo.InvariantCulture);
            var lbArn = $"arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/k8s-{name}/{g:x16}";
            var tgArn = $"arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/k8s-{name}/{g:x16}";
            services.Add(new V1Service
            {
                Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Uid = "svc-" + g, Annotations = new Dictionary<string, string> { ["service.beta.kubernetes.io/aws-load-balancer-type"] = "external", ["service.beta.kubernetes.io/aws-load-balancer-healthcheck-path"] = "/healthz" } },
                Spec = new V1ServiceSpec { Type = "LoadBalancer", Ports = [new V1ServicePort { Port = 80, TargetPort = 8080 }] },
                Status = new V1ServiceStatus { LoadBalancer = new V1LoadBalancerStatus { Ingress = [new V1LoadBalancerIngress { Hostname = $"k8s-{name}.elb.amazonaws.com" }] } },
            });
            bindings.Add(new TargetGroupBinding(ns, "k8s-" + name, tgArn, "ip", name, "80"));
            balancers.Add(new LoadBalancer { LoadBalancerArn = lbArn, LoadBalancerName = "k8s-" + name, DnsName = $"k8s-{name}.elb.amazonaws.com", Type = "network", Scheme = "internet-facing", State = new LoadBalancerState("active", null) });
            groups.Add(new TargetGroup { TargetGroupArn = tgArn, TargetGroupName = "k8s-" + name, Port = 8080, Protocol = "TCP", TargetType = "ip", HealthCheckPath = "/healthz", HealthCheckPort = "traffic-port", HealthCheckIntervalSeconds = 10, HealthyThresholdCount = 3, LoadBalancerArns = [lbArn] });
            listeners[lbArn] = [new Listener { ListenerArn = lbArn + "/l", LoadBalancerArn = lbArn, Port = 80, Protocol = "TCP", DefaultActions = [new ListenerAction { Type = "forward", TargetGroupArn = tgArn }] }];
            tags[lbArn] = ImmutableDictionary<string, string>.Empty.Add("elbv2.k8s.aws/cluster", cluster).Add("service.k8s.aws/stack", $"{ns}/{name}");
            var perGroup = targets / targetGroups + (g < targets % targetGroups ? 1 : 0);
            var observed = ImmutableArray.CreateBuilder<ObservedTargetHealth>();
            for (var t = 0; t < perGroup; t++, target++)
            {
                var ip = $"10.{target / 65536 % 256}.{target / 256 % 256}.{target % 256}";
                var unhealthy = target % 20 == 0;
                pods.Add(new V1Pod
                {
                    Metadata = new V1ObjectMeta { Name = $"{name}-{t}", NamespaceProperty = ns, Uid = "pod-" + target },
                    Spec = new V1PodSpec { NodeName = "node-" + (target % 50), Containers = [new V1Container { Name = "app", Ports = [new V1ContainerPort { ContainerPort = 8080 }] }] },
                    Status = new V1PodStatus { Phase = "Running", PodIP = ip, Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }] },
                });
                observed.Add(new ObservedTargetHealth(new TargetHealthDescription
                {
                    Target = new TargetDescription(ip, 8080, "us-east-1a"),
                    TargetHealth = unhealthy
                        ? new TargetHealth(TargetHealthState.Unhealthy, "unhealthy", "Target.ResponseCodeMismatch", "Health checks failed with these codes: [500]")
                        : new TargetHealth(TargetHealthState.Healthy, "healthy", null, null),
                }, now.AddMinutes(-5)));
            }
            health[tgArn] = new TargetGroupHealth(tgArn, observed.ToImmutable(), now);
        }
        var k8s = new KubernetesSnapshot { Services = [.. services], Pods = [.. pods], TargetGroupBindings = [.. bindings], AsOf = now };
        var aws = new AwsSnapshot
        {
            LoadBalancers = [.. balancers],
            TargetGroups = [.. groups],
            Listeners = listeners.ToImmutable(),
            Tags = tags.ToImmutable(),
            TargetHealth = health.ToImmutable(),
            ConfigurationAsOf = now,
        };
        return (k8s, aws, new TopologyContext { ClusterName = cluster, Now = now });
    }
}
