using Dashboard.Client.Model;
using Dashboard.Server.Api;
using Dashboard.Server.Aws;
using Dashboard.Server.LoadBalancers;
using Dashboard.Server.Incidents;
using Dashboard.Server.Tests.Support;
using Dashboard.Server.Topology;
using Dashboard.Testing;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dashboard.Server.Tests.Topology;

/// <summary>
/// Triage against the Deployments behind an endpoint and the changes that preceded a failure, on the sandbox: the
/// server's caches (Deployments watched in every namespace), AWS poller and topology against the in-process sandbox,
/// changed the way kubectl would change it, through KubernetesClient over HTTP.
/// </summary>
public sealed class ReplicaTriageTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = Patience.Slowly;
    private SandboxServerHost _server = null!;

    public async Task InitializeAsync()
    {
        _server = await SandboxServerHost.StartAsync("replica-triage", new Dictionary<string, string?>
        {
            ["Sandbox:LoadScenario"] = "false",
            ["Sandbox:ProvisioningDelay"] = "00:00:00.200",
            ["Sandbox:Cluster:ReadinessDelay"] = "00:00:01",
            ["Dashboard:Aws:Retry:MaxAttempts"] = "1",
            ["Dashboard:Aws:Polling:FastInterval"] = "00:00:01",
            ["Dashboard:Aws:Polling:ConfigurationInterval"] = "00:00:01",
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
    public async Task An_endpoint_below_its_deployments_desired_replicas_says_how_many_serve_and_why_never_all_healthy()
    {
        const string ns = "orders";
        await CreateWorkloadAsync(ns);
        await WaitForAsync(() => Balancer(ns) is { HealthyTargets: 3 } && !Topology.Current.Triage.Any(t => t.Endpoint.Namespace == ns) ? "" : null,
            "three healthy targets and nothing on triage");

        var pods = await _server.Client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "app=api");
        var broken = pods.Items.OrderBy(p => p.Metadata.Name, StringComparer.Ordinal).First();
        await AnnotatePodAsync(ns, broken.Metadata.Name, "http-500");

        var item = await WaitForAsync(() => Topology.Current.Triage.FirstOrDefault(t => t.Endpoint.Namespace == ns && t.Kind == TriageItemKind.Replicas),
            "the endpoint below its desired replicas");
        Assert.Equal(ReplicaDiagnoser.Code, item.Diagnosis.Code);
        Assert.Equal("2 of 3 desired replicas serve Service orders/api", item.Diagnosis.Title);
        Assert.Equal(TriageSeverity.Degraded, item.Severity);
        Assert.Equal("deployment/api", item.Target.Id);
        Assert.Contains("Deployment orders/api wants 3 replicas: 2 ready of 3 pods", item.Diagnosis.Evidence);
        Assert.Contains("not serving: 1 running but not ready", item.Diagnosis.Evidence);
        // Localised for the page: the same lines in Vietnamese.
        var vi = System.Globalization.CultureInfo.GetCultureInfo("vi-VN");
        Assert.Equal("2/3 replica mong muốn đang phục vụ Service orders/api", item.Diagnosis.TitleText!.Format(vi));
        Assert.Equal(item.Diagnosis.Evidence.Length, item.Diagnosis.EvidenceText.Length);
        // The API's card says the same, and the endpoint page lists the diagnosis.
        var card = Assert.Single(ApiMapping.TriageCards(Topology.Current.Triage), c => c.Endpoint.Namespace == ns && c.Cause.Code == ReplicaDiagnoser.Code);
        Assert.Equal(item.Diagnosis.Title, card.Cause.Title);
        Assert.Equal("replicas", Assert.Single(card.Targets).Kind);
        Assert.Contains(Topology.Current.Endpoints[$"Service/{ns}/api"].Diagnoses, d => d.Code == ReplicaDiagnoser.Code);

        // Scaled up to 5 with the pod still broken: the new pods start, then 4 of 5 serve.
        await _server.Client.AppsV1.PatchNamespacedDeploymentScaleAsync(new V1Patch("""{"spec":{"replicas":5}}""", V1Patch.PatchType.MergePatch), "api", ns);
        await WaitForAsync(() => Topology.Current.Triage.FirstOrDefault(t => t.Endpoint.Namespace == ns && t.Kind == TriageItemKind.Replicas
            && t.Diagnosis.Title == "4 of 5 desired replicas serve Service orders/api" && t.Severity == TriageSeverity.Degraded), "4 of 5 desired replicas");

        // Healed: every desired replica serves, and the card is gone.
        await AnnotatePodAsync(ns, broken.Metadata.Name, "ok");
        await WaitForAsync(() => Balancer(ns) is { HealthyTargets: 5 } && !Topology.Current.Triage.Any(t => t.Endpoint.Namespace == ns) ? "" : null,
            "five healthy targets and no triage item");
    }

    [Fact]
    public async Task A_failure_that_follows_an_annotation_edit_names_the_edit_on_the_card_in_the_api_and_in_the_incident()
    {
        const string ns = "billing";
        await CreateWorkloadAsync(ns);
        await WaitForAsync(() => Balancer(ns) is { HealthyTargets: 3 } && !Topology.Current.Triage.Any(t => t.Endpoint.Namespace == ns) ? "" : null,
            "three healthy targets and nothing on triage");

        // As `kubectl annotate service api …healthcheck-path=/nope --overwrite`.
        await _server.Client.CoreV1.PatchNamespacedServiceAsync(new V1Patch("""
            {"metadata":{"annotations":{"service.beta.kubernetes.io/aws-load-balancer-healthcheck-path":"/nope"}}}
            """, V1Patch.PatchType.MergePatch), "api", ns);

        var item = await WaitForAsync(() => Topology.Current.Triage.FirstOrDefault(t => t.Endpoint.Namespace == ns && t.Kind == TriageItemKind.Target && t.PrecededBy is not null),
            "a failing target linked to the edit");
        var change = item.PrecededBy!;
        Assert.Equal(PrecedingChangeKind.Annotation, change.Kind);
        Assert.Equal(("Service", ns, "api"), (change.ObjectKind, change.Namespace, change.Name));
        Assert.Equal(("healthcheck-path", "/healthz", "/nope"), (change.Field, change.From, change.To));
        Assert.True(change.At <= item.Target.Since!.Value.AddSeconds(2));
        Assert.Matches(@"^started \d+ s after `healthcheck-path` changed from /healthz to /nope on Service billing/api$", change.Text.English);
        Assert.StartsWith("bắt đầu ", change.Text.Format(System.Globalization.CultureInfo.GetCultureInfo("vi-VN")), StringComparison.Ordinal);

        var card = ApiMapping.TriageCards(Topology.Current.Triage).First(c => c.Endpoint.Namespace == ns && c.PrecededBy is not null);
        Assert.Equal(change.Text.English, card.PrecededBy!.Text);
        Assert.Equal(("annotation", "healthcheck-path", "/nope"), (card.PrecededBy.Kind, card.PrecededBy.Field, card.PrecededBy.To));

        // The incident history keeps it.
        var incident = Assert.Single(new IncidentTracker([]).Apply(Topology.Current.Triage, DateTimeOffset.UtcNow, "test"), i => i.Endpoint.Namespace == ns);
        Assert.Equal(change, incident.PrecededBy);
        Assert.Equal(change.Text.English, IncidentEndpoints.Map(incident, DateTimeOffset.UtcNow).PrecededBy!.Text);
    }

    [Fact]
    public async Task A_scheme_set_on_another_group_member_is_the_members_effective_value_and_its_command_on_that_member_changes_the_balancer()
    {
        const string ns = "storefront";
        await CreateWorkloadAsync(ns, serviceType: "ClusterIP");
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
        await _server.Client.NetworkingV1.CreateNamespacedIngressAsync(GroupMember(ns, "web", "/", scheme: "internet-facing"), ns);
        await _server.Client.NetworkingV1.CreateNamespacedIngressAsync(GroupMember(ns, "admin", "/admin", scheme: null), ns);

        // The controller applies the member's scheme to the whole group (one member setting it is no conflict).
        await WaitForAsync(() => Topology.Current.LoadBalancers.FirstOrDefault(l => l.IngressGroup == "storefront" && l.Scheme == "internet-facing"), "the group's internet-facing ALB");
        var feed = _server.Services.GetRequiredService<Dashboard.Client.Feed.IDashboardFeed>();
        var admin = await WaitForAsync(() => feed.Ingresses.Snapshot.FirstOrDefault(i => i.Namespace == ns && i.Name == "admin" && i.GroupSettings.Length > 0), "admin with its group settings");
        Assert.Equal("internet-facing", admin.Scheme);
        Assert.Equal(new GroupSetting("alb.ingress.kubernetes.io/scheme", "internet-facing", "storefront/web", null), Assert.Single(admin.GroupSettings));
        Assert.Contains(admin.Lints, l => l.Code == "open-source-ranges");
        var lint = Assert.Single(admin.Lints, l => l.Code == "group-setting-from-member");
        Assert.Equal("scheme internet-facing comes from group member storefront/web", lint.Title);
        var command = System.Text.RegularExpressions.Regex.Match(lint.Detail, "kubectl [^(]*--overwrite").Value;
        Assert.Equal("kubectl -n storefront annotate ingress web alb.ingress.kubernetes.io/scheme=internal --overwrite", command);
        Assert.Contains(ApiMapping.Ingress(admin).GroupSettings, g => g.Member == "storefront/web" && g.Value == "internet-facing" && !g.Conflict);

        // The command, run by kubectl on the member it names, makes the group's balancer internal, and admin's too.
        await KubectlAsync(command);
        await WaitForAsync(() => Topology.Current.LoadBalancers.FirstOrDefault(l => l.IngressGroup == "storefront" && l.Scheme == "internal"), "the group's ALB internal");
        var after = await WaitForAsync(() => feed.Ingresses.Snapshot.FirstOrDefault(i => i.Namespace == ns && i.Name == "admin" && i.Scheme == "internal"),
            "admin internal");
        Assert.DoesNotContain(after.Lints, l => l.Code == "open-source-ranges");
        Assert.Equal("internal", Assert.Single(after.GroupSettings).Value);
    }

    private static V1Ingress GroupMember(string ns, string name, string path, string? scheme)
    {
        var annotations = new Dictionary<string, string>
        {
            ["alb.ingress.kubernetes.io/group.name"] = "storefront",
            ["alb.ingress.kubernetes.io/target-type"] = "ip",
        };
        if (scheme is not null)
        {
            annotations["alb.ingress.kubernetes.io/scheme"] = scheme;
        }
        return new V1Ingress
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Annotations = annotations },
            Spec = new V1IngressSpec
            {
                IngressClassName = "alb",
                Rules = [new V1IngressRule { Http = new V1HTTPIngressRuleValue { Paths = [new V1HTTPIngressPath
                {
                    Path = path, PathType = "Prefix",
                    Backend = new V1IngressBackend { Service = new V1IngressServiceBackend { Name = "api", Port = new V1ServiceBackendPort { Number = 80 } } },
                }] } }],
            },
        };
    }

    /// <summary>Runs a suggested <c>kubectl …</c> command line against the sandbox (its kubeconfig), as a user would paste it.</summary>
    private async Task KubectlAsync(string commandLine)
    {
        Assert.StartsWith("kubectl ", commandLine, StringComparison.Ordinal);
        var kubeconfig = _server.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Dashboard.Server.Configuration.KubernetesSourceOptions>>().Value.Kubernetes.SandboxKubeconfigPath;
        var start = new System.Diagnostics.ProcessStartInfo("/bin/sh", ["-c", commandLine]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["KUBECONFIG"] = kubeconfig;
        using var process = System.Diagnostics.Process.Start(start)!;
        using var timeout = new CancellationTokenSource(Patience.Eventually);
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{commandLine} failed: {await process.StandardError.ReadToEndAsync()}");
    }

    private LoadBalancerViewModel? Balancer(string ns) =>
        Topology.Current.LoadBalancers.FirstOrDefault(l => l.Owners.Any(o => o.Object == new ObjectRef(ObjectKind.Service, ns, "api")));

    private async Task CreateWorkloadAsync(string ns, string serviceType = "LoadBalancer")
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
                service.beta.kubernetes.io/aws-load-balancer-healthcheck-healthy-threshold: "2"
                service.beta.kubernetes.io/aws-load-balancer-healthcheck-unhealthy-threshold: "2"
                service.beta.kubernetes.io/aws-load-balancer-target-group-attributes: deregistration_delay.timeout_seconds=3
            spec:
              type: {{serviceType}}
              selector:
                app: api
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
