using System.Diagnostics;
using Dashboard.Client.Model;
using Dashboard.Sandbox.Aws;
using Dashboard.Server.Aws;
using Dashboard.Server.Api;
using Dashboard.Server.Feed;
using Dashboard.Server.LoadBalancers;
using Dashboard.Server.Tests.Support;
using Dashboard.Server.Topology;
using Dashboard.Testing;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dashboard.Server.Tests.Topology;

/// <summary>
/// Triage by the endpoint's capacity, on the sandbox: the server's caches, AWS poller and topology against the in-process
/// sandbox (its simulated kubelet, AWS Load Balancer Controller and ELBv2), broken the way kubectl would break it, through
/// KubernetesClient over HTTP; AWS faults through the sandbox's fault switch. Each test makes its own namespace with a
/// three-replica Deployment and an NLB Service (AWS Load Balancer Controller, ip targets, HTTP /healthz every 5 s).
/// </summary>
public sealed class CapacityTriageTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = Patience.Slowly;
    private SandboxServerHost _server = null!;

    public async Task InitializeAsync()
    {
        _server = await SandboxServerHost.StartAsync("capacity-triage", new Dictionary<string, string?>
        {
            ["Sandbox:LoadScenario"] = "false",
            ["Sandbox:ProvisioningDelay"] = "00:00:00.200",
            // The simulated kubelet marks a failing pod NotReady after a second, as a readiness probe would.
            ["Sandbox:Cluster:ReadinessDelay"] = "00:00:01",
            ["Dashboard:Aws:Retry:MaxAttempts"] = "1",
            ["Dashboard:Aws:Polling:FastInterval"] = "00:00:01",
            ["Dashboard:Aws:Polling:ConfigurationInterval"] = "00:00:01",
            ["Dashboard:Aws:Polling:BackoffInitialDelay"] = "00:00:01",
            ["Dashboard:Aws:Polling:BackoffMaxDelay"] = "00:00:02",
            ["Dashboard:Topology:Debounce"] = "00:00:00.050",
            ["Dashboard:Topology:DnsLookups"] = "false",
        }, builder =>
        {
            builder.Logging.ClearProviders();
            builder.Services.AddDashboardAws(builder.Configuration);
            builder.Services.AddDashboardLoadBalancers(builder.Configuration);
            builder.Services.AddDashboardTopology(builder.Configuration);
        });
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private TopologyFeed Topology => _server.Services.GetRequiredService<TopologyFeed>();

    [Fact]
    public async Task A_pod_failing_its_readiness_probe_is_lost_capacity_on_triage_after_it_is_deregistered_not_all_healthy()
    {
        const string ns = "payments";
        await CreateWorkloadAsync(ns, selector: "api");
        var lb = await WaitForAsync(() => Balancer(ns, "api") is { HealthyTargets: 3, TotalTargets: 3 } b ? b : null, "three healthy targets");
        var pods = await _server.Client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "app=api");
        var broken = pods.Items.OrderBy(p => p.Metadata.Name, StringComparer.Ordinal).First();
        var ip = broken.Status.PodIP;

        await AnnotatePodAsync(ns, broken.Metadata.Name, "http-500");

        // Watch every topology until the pod is out of AWS's target list and still on triage as lost capacity.
        var seen = new List<TriageItem>();
        var item = await WaitForAsync(() =>
        {
            var now = Topology.Current;
            seen.AddRange(now.Triage.Where(t => t.Target.Pod?.Name == broken.Metadata.Name || t.Target.Id == ip));
            var registered = Balancer(ns, "api")!.TargetGroups.SelectMany(g => g.Targets).Any(t => t.Id == ip);
            return registered ? null : now.Triage.FirstOrDefault(t => t.Kind == TriageItemKind.Pod && t.Target.Pod?.Name == broken.Metadata.Name);
        }, "the broken pod deregistered and listed as a pod not serving");

        Assert.Equal("ReadinessProbeFailing", item.Diagnosis.Code);
        Assert.Equal(TriageSeverity.Degraded, item.Severity);
        Assert.Equal(new ObjectRef(ObjectKind.Service, ns, "api"), item.Endpoint);
        Assert.Contains(item.Diagnosis.Evidence, e => e.StartsWith("readiness probe: GET /healthz on port 8080", StringComparison.Ordinal));
        Assert.DoesNotContain("deregistration_delay", item.Diagnosis.Fix, StringComparison.Ordinal);
        // While it drained, the diagnosis was the pod's readiness, never "nothing to fix … lower deregistration_delay".
        Assert.DoesNotContain(seen, t => t.Diagnosis.Code == "DeregistrationInProgress");
        Assert.Contains(seen, t => t.Target.State == "draining" && t.Diagnosis.Code == "PodNotReadyDeregistered");

        // The endpoint page and the API say the same.
        var endpoint = Topology.Current.Endpoints[$"Service/{ns}/api"];
        Assert.Contains(endpoint.Diagnoses, d => d.Code == "ReadinessProbeFailing");
        var card = Assert.Single(ApiMapping.TriageCards(Topology.Current.Triage), c => c.Endpoint.Name == "api" && c.Cause.Code == "ReadinessProbeFailing");
        Assert.Equal("pod", Assert.Single(card.Targets).Kind);
        Assert.Equal(broken.Metadata.Name, Assert.Single(card.Pods).Name);
        Assert.Equal(lb.Name, card.Targets[0].LoadBalancer);

        // Healed: the pod is ready, registered and healthy again, and nothing about it is left.
        await AnnotatePodAsync(ns, broken.Metadata.Name, "ok");
        await WaitForAsync(() => Balancer(ns, "api") is { HealthyTargets: 3 } && !Topology.Current.Triage.Any(t => t.Endpoint.Namespace == ns) ? "" : null,
            "three healthy targets and no triage item");
    }

    [Fact]
    public async Task An_NLB_whose_selector_matches_no_pod_is_an_outage_naming_the_service_and_its_command_clears_it()
    {
        const string ns = "catalog";
        await CreateWorkloadAsync(ns, selector: "api-v2");

        var item = await WaitForAsync(() => Topology.Current.Triage.FirstOrDefault(t => t.Endpoint.Namespace == ns && t.Kind == TriageItemKind.NoTargets),
            "an empty target group on triage");
        Assert.Equal("SelectorMatchesNoPod", item.Diagnosis.Code);
        Assert.Equal(TriageSeverity.Outage, item.Severity);
        Assert.Equal(new ObjectRef(ObjectKind.Service, ns, "api"), item.Diagnosis.FixObject);
        Assert.Contains(item.Diagnosis.Evidence, e => e.Contains("app=api-v2", StringComparison.Ordinal) && e.Contains("matches no pod", StringComparison.Ordinal));
        var command = item.Diagnosis.FixCommand;
        Assert.NotNull(command);
        Assert.Equal(command, ApiMapping.TriageCards(Topology.Current.Triage).Single(c => c.Endpoint.Namespace == ns).Fix.Command);

        // The suggested command, run by kubectl against the sandbox, fills the target group.
        await KubectlAsync(command);
        await WaitForAsync(() => Balancer(ns, "api") is { HealthyTargets: 3 } && !Topology.Current.Triage.Any(t => t.Endpoint.Namespace == ns) ? "" : null,
            "three healthy targets and no triage item after the fix");
    }

    [Fact]
    public async Task While_target_health_is_throttled_a_target_last_seen_initial_is_unknown_not_stuck()
    {
        const string ns = "search";
        await CreateWorkloadAsync(ns, selector: "api", healthyThreshold: 3);
        var lb = await WaitForAsync(() => Balancer(ns, "api") is { HealthyTargets: 3 } b ? b : null, "three healthy targets");
        // The endpoint page is open: its target groups are read at the fast interval.
        using var viewed = _server.Services.GetRequiredService<IAwsSnapshotSource>().MarkViewed(lb.TargetGroups.Select(g => g.Arn));

        await _server.Client.AppsV1.PatchNamespacedDeploymentScaleAsync(
            new V1Patch("""{"spec":{"replicas":4}}""", V1Patch.PatchType.MergePatch), "api", ns);
        var initial = await WaitForAsync(() => Topology.Current.Triage.FirstOrDefault(t => t.Endpoint.Namespace == ns && t.Target.Reason == "Elb.InitialHealthChecking"),
            "the new target in initial health checking");
        _server.Sandbox.AwsFaults.Add(new AwsFaultRule { Kind = AwsFaultKind.Throttle, Service = "elasticloadbalancing", Action = "DescribeTargetHealth" });
        var sources = _server.Services.GetRequiredService<SourceStatusRegistry>();
        await WaitForAsync(() => sources.Get(AwsPoller.SourceKey) is { State: SourceState.Stale } s ? s : null, "AWS stale");

        // Past the time the checks take (5 s × 3), on the clock; the data stopped before it.
        var expected = TimeSpan.FromSeconds(15);
        await WaitForAsync(() => DateTimeOffset.UtcNow - initial.Target.Since > expected + TimeSpan.FromSeconds(2) ? "" : null, "the health-check time passed");
        Topology.Invalidate();
        var unknown = await WaitForAsync(() => Topology.Current.Triage.FirstOrDefault(t => t.Key == initial.Key && t.Diagnosis.Code == "StateUnknown"),
            "the target's state unknown");
        Assert.Equal(TriageSeverity.Notice, unknown.Severity);
        Assert.Contains("(AWS throttled)", unknown.Diagnosis.Title, StringComparison.Ordinal);
        Assert.Matches(@"unknown since \d\d:\d\d \(AWS throttled\)", unknown.Diagnosis.Title);
        Assert.DoesNotContain(Topology.Current.Triage, t => t.Diagnosis.Code == "InitialStuck");

        _server.Sandbox.AwsFaults.Clear();
        await WaitForAsync(() => Balancer(ns, "api") is { HealthyTargets: 4 } && !Topology.Current.Triage.Any(t => t.Endpoint.Namespace == ns) ? "" : null,
            "four healthy targets once AWS answers");
    }

    [Fact]
    public async Task A_health_check_path_set_on_the_service_is_fixed_on_the_service_not_the_ingress_and_the_command_clears_it()
    {
        const string ns = "shop";
        await CreateWorkloadAsync(ns, selector: "api", serviceType: "ClusterIP");
        // The Service's annotation takes precedence over the Ingress's for its target group: editing the Ingress changes nothing.
        await _server.Client.CoreV1.PatchNamespacedServiceAsync(new V1Patch("""
            {"metadata":{"annotations":{"alb.ingress.kubernetes.io/healthcheck-path":"/nope","alb.ingress.kubernetes.io/target-type":"ip"}}}
            """, V1Patch.PatchType.MergePatch), "api", ns);
        try
        {
            await _server.Client.NetworkingV1.CreateIngressClassAsync(new V1IngressClass
            {
                Metadata = new V1ObjectMeta { Name = "alb" },
                Spec = new V1IngressClassSpec { Controller = "ingress.k8s.aws/alb" },
            });
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            // The sandbox already has it.
        }
        await _server.Client.NetworkingV1.CreateNamespacedIngressAsync(new V1Ingress
        {
            Metadata = new V1ObjectMeta
            {
                Name = "shop",
                NamespaceProperty = ns,
                Annotations = new Dictionary<string, string>
                {
                    ["alb.ingress.kubernetes.io/scheme"] = "internal",
                    ["alb.ingress.kubernetes.io/healthcheck-path"] = "/ready",
                    ["alb.ingress.kubernetes.io/healthcheck-interval-seconds"] = "5",
                    ["alb.ingress.kubernetes.io/unhealthy-threshold-count"] = "2",
                },
            },
            Spec = new V1IngressSpec
            {
                IngressClassName = "alb",
                Rules = [new V1IngressRule { Http = new V1HTTPIngressRuleValue { Paths = [new V1HTTPIngressPath
                {
                    Path = "/", PathType = "Prefix",
                    Backend = new V1IngressBackend { Service = new V1IngressServiceBackend { Name = "api", Port = new V1ServiceBackendPort { Number = 80 } } },
                }] } }],
            },
        }, ns);

        var item = await WaitForAsync(() => Topology.Current.Triage.FirstOrDefault(t => t.Endpoint.Namespace == ns && t.Diagnosis.Code == "ResponseCodeMismatch"),
            "the health check failing on /nope");
        Assert.Equal(new ObjectRef(ObjectKind.Ingress, ns, "shop"), item.Endpoint);
        Assert.Equal(new ObjectRef(ObjectKind.Service, ns, "api"), item.Diagnosis.FixObject);
        Assert.Equal("kubectl -n shop annotate service api alb.ingress.kubernetes.io/healthcheck-path=/healthz --overwrite", item.Diagnosis.FixCommand);
        Assert.Contains(item.Diagnosis.Evidence, e => e.Contains("takes precedence over the Ingress", StringComparison.Ordinal) && e.Contains("/ready", StringComparison.Ordinal));
        Assert.Equal(item.Diagnosis.FixCommand, ApiMapping.TriageCards(Topology.Current.Triage).First(c => c.Endpoint.Namespace == ns && c.Cause.Code == "ResponseCodeMismatch").Fix.Command);

        // The Ingress's summary names the override: the Service's value applies, the Ingress's is ignored for it.
        var feed = _server.Services.GetRequiredService<Dashboard.Client.Feed.IDashboardFeed>();
        var overridden = await WaitForAsync(() => feed.Ingresses.Snapshot.FirstOrDefault(i => i.Namespace == ns && i.BackendOverrides.Any(o => o.Annotation.EndsWith("healthcheck-path", StringComparison.Ordinal))),
            "the Ingress with its backend override");
        Assert.Equal(new BackendOverride("api", "alb.ingress.kubernetes.io/healthcheck-path", "/nope", "/ready"),
            overridden.BackendOverrides.Single(o => o.Annotation.EndsWith("healthcheck-path", StringComparison.Ordinal)));
        Assert.Contains(ApiMapping.Ingress(overridden).BackendOverrides, o => o.Service == "api" && o.Value == "/nope" && o.IngressValue == "/ready");

        await KubectlAsync(item.Diagnosis.FixCommand!);
        await WaitForAsync(() => Topology.Current.LoadBalancers.FirstOrDefault(l => l.Owners.Any(o => o.Object.Namespace == ns)) is { HealthyTargets: 3 }
            && !Topology.Current.Triage.Any(t => t.Endpoint.Namespace == ns) ? "" : null, "three healthy targets and no triage item after the fix");
        // The summary follows the Service's annotation edit.
        await WaitForAsync(() => feed.Ingresses.Snapshot.FirstOrDefault(i => i.Namespace == ns && i.BackendOverrides.Any(o => o.Value == "/healthz")), "the override updated");
    }

    [Fact]
    public async Task A_path_on_a_TCP_health_check_is_drift_that_does_not_matter_explained_and_HTTP_makes_it_checked()
    {
        const string ns = "ledger";
        await CreateWorkloadAsync(ns, selector: "api");
        await _server.Client.CoreV1.PatchNamespacedServiceAsync(new V1Patch("""
            {"metadata":{"annotations":{"service.beta.kubernetes.io/aws-load-balancer-healthcheck-protocol":"TCP"}}}
            """, V1Patch.PatchType.MergePatch), "api", ns);

        var lb = await WaitForAsync(() => Balancer(ns, "api") is { } b && b.TargetGroups.Any(g => g.HealthCheck.Protocol == "TCP") ? b : null, "a TCP health check");
        var row = Assert.Single(lb.TargetGroups.SelectMany(g => g.Drift), d => d.Setting == "health-check path");
        Assert.Equal("/healthz", row.Desired);
        Assert.Equal("(not set)", row.Actual);
        Assert.False(row.Matters);
        Assert.Equal("the health check is TCP, which only opens a connection and ignores the path", row.Why);
        Assert.Contains("service.beta.kubernetes.io/aws-load-balancer-healthcheck-protocol: HTTP", row.Fix, StringComparison.Ordinal);
        Assert.False(lb.Flags.HasFlag(LoadBalancerFlags.Drift));
        var dto = ApiMapping.LoadBalancer(lb).TargetGroups.SelectMany(g => g.Drift).Single(d => d.Setting == "health-check path");
        Assert.False(dto.Matters);
        Assert.Equal(row.Why, dto.Why);

        // Following the fix: the path is checked, and the row is gone.
        await _server.Client.CoreV1.PatchNamespacedServiceAsync(new V1Patch("""
            {"metadata":{"annotations":{"service.beta.kubernetes.io/aws-load-balancer-healthcheck-protocol":"HTTP"}}}
            """, V1Patch.PatchType.MergePatch), "api", ns);
        await WaitForAsync(() => Balancer(ns, "api") is { } b && b.TargetGroups.All(g => g.HealthCheck.Path == "/healthz" && g.Drift.IsEmpty) ? b : null,
            "the path checked and no drift");
    }

    private LoadBalancerViewModel? Balancer(string ns, string service) =>
        Topology.Current.LoadBalancers.FirstOrDefault(l => l.Owners.Any(o => o.Object == new ObjectRef(ObjectKind.Service, ns, service)));

    private async Task CreateWorkloadAsync(string ns, string selector, int healthyThreshold = 2, string serviceType = "LoadBalancer")
    {
        var yaml = $$"""
            apiVersion: v1
            kind: Namespace
            metadata:
              name: {{ns}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: api
              namespace: {{ns}}
            spec:
              replicas: 3
              selector:
                matchLabels:
                  app: api
              template:
                metadata:
                  labels:
                    app: api
                spec:
                  containers:
                  - name: api
                    image: registry.example/api:1.0
                    ports:
                    - containerPort: 8080
                      name: http
                    readinessProbe:
                      httpGet:
                        path: /healthz
                        port: 8080
                      periodSeconds: 10
                      failureThreshold: 3
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: api
              namespace: {{ns}}
              annotations:
                service.beta.kubernetes.io/aws-load-balancer-type: external
                service.beta.kubernetes.io/aws-load-balancer-nlb-target-type: ip
                service.beta.kubernetes.io/aws-load-balancer-scheme: internet-facing
                service.beta.kubernetes.io/aws-load-balancer-healthcheck-protocol: HTTP
                service.beta.kubernetes.io/aws-load-balancer-healthcheck-path: /healthz
                service.beta.kubernetes.io/aws-load-balancer-healthcheck-interval: "5"
                service.beta.kubernetes.io/aws-load-balancer-healthcheck-timeout: "2"
                service.beta.kubernetes.io/aws-load-balancer-healthcheck-healthy-threshold: "{{healthyThreshold}}"
                service.beta.kubernetes.io/aws-load-balancer-healthcheck-unhealthy-threshold: "2"
                service.beta.kubernetes.io/aws-load-balancer-target-group-attributes: deregistration_delay.timeout_seconds=3
            spec:
              type: {{serviceType}}
              selector:
                app: {{selector}}
              ports:
              - name: http
                port: 80
                targetPort: 8080
            """;
        foreach (var o in KubernetesYaml.LoadAllFromString(yaml))
        {
            switch (o)
            {
                case V1Namespace n:
                    await _server.Client.CoreV1.CreateNamespaceAsync(n);
                    break;
                case V1Deployment d:
                    await _server.Client.AppsV1.CreateNamespacedDeploymentAsync(d, ns);
                    break;
                case V1Service s:
                    await _server.Client.CoreV1.CreateNamespacedServiceAsync(s, ns);
                    break;
            }
        }
    }

    /// <summary>As <c>kubectl annotate pod NAME sandbox.endpoint-dashboard.dev/health=VALUE --overwrite</c>.</summary>
    private async Task AnnotatePodAsync(string ns, string pod, string health) =>
        await _server.Client.CoreV1.PatchNamespacedPodAsync(
            new V1Patch("""{"metadata":{"annotations":{"sandbox.endpoint-dashboard.dev/health":""" + "\"" + health + "\"}}}", V1Patch.PatchType.MergePatch), pod, ns);

    /// <summary>Runs a suggested <c>kubectl …</c> command line against the sandbox (its kubeconfig), as a user would paste it.</summary>
    private async Task KubectlAsync(string commandLine)
    {
        Assert.StartsWith("kubectl ", commandLine, StringComparison.Ordinal);
        var kubeconfig = _server.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Dashboard.Server.Configuration.KubernetesSourceOptions>>().Value.Kubernetes.SandboxKubeconfigPath;
        var start = new ProcessStartInfo("/bin/sh", ["-c", commandLine]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["KUBECONFIG"] = kubeconfig;
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(Patience.Eventually);
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{commandLine} failed: {await process.StandardError.ReadToEndAsync()}");
    }

    private static async Task<T> WaitForAsync<T>(Func<T?> probe, string what) where T : class
    {
        using var timeout = new CancellationTokenSource(Bound);
        while (true)
        {
            if (probe() is { } found)
            {
                return found;
            }
            if (timeout.IsCancellationRequested)
            {
                throw new TimeoutException($"Waited {Bound.TotalSeconds} s for {what}.");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(50), CancellationToken.None);
        }
    }
}
