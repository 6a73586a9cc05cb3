using System.Text.Json.Nodes;
using Dashboard.Client.Model;
using Dashboard.Server.Api;
using Dashboard.Server.Aws;
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
/// An IngressClassParams named by the IngressClass of an Ingress, on the sandbox: the server watches it, shows its
/// scheme as the Ingress's effective value with the IngressClassParams as provenance, and the finding's
/// <c>kubectl patch ingressclassparams …</c>, run as a user would paste it, changes the ALB in the sandbox's AWS.
/// </summary>
public sealed class IngressClassParamsTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = Patience.Slowly;
    private SandboxServerHost _server = null!;

    public async Task InitializeAsync()
    {
        _server = await SandboxServerHost.StartAsync("class-params", new Dictionary<string, string?>
        {
            ["Sandbox:LoadScenario"] = "false",
            ["Sandbox:ProvisioningDelay"] = "00:00:00.200",
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

    [Fact]
    public async Task The_params_scheme_wins_over_the_annotation_the_finding_names_the_params_and_its_patch_fixes_the_ALB()
    {
        const string ns = "shop";
        await _server.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        await _server.Client.CoreV1.CreateNamespacedServiceAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "api", NamespaceProperty = ns },
            Spec = new V1ServiceSpec { Selector = new Dictionary<string, string> { ["app"] = "api" }, Ports = [new V1ServicePort { Port = 80, TargetPort = 8080 }] },
        }, ns);
        await _server.Client.CustomObjects.CreateClusterCustomObjectAsync(JsonNode.Parse("""
            {"apiVersion":"elbv2.k8s.aws/v1beta1","kind":"IngressClassParams","metadata":{"name":"public-params"},"spec":{"scheme":"internet-facing"}}
            """)!, "elbv2.k8s.aws", "v1beta1", "ingressclassparams");
        await _server.Client.NetworkingV1.CreateIngressClassAsync(new V1IngressClass
        {
            Metadata = new V1ObjectMeta { Name = "alb-public" },
            Spec = new V1IngressClassSpec
            {
                Controller = "ingress.k8s.aws/alb",
                Parameters = new V1IngressClassParametersReference { ApiGroup = "elbv2.k8s.aws", Kind = "IngressClassParams", Name = "public-params" },
            },
        });
        await _server.Client.NetworkingV1.CreateNamespacedIngressAsync(new V1Ingress
        {
            Metadata = new V1ObjectMeta
            {
                Name = "web", NamespaceProperty = ns,
                Annotations = new Dictionary<string, string> { ["alb.ingress.kubernetes.io/scheme"] = "internal", ["alb.ingress.kubernetes.io/target-type"] = "ip" },
            },
            Spec = new V1IngressSpec
            {
                IngressClassName = "alb-public",
                DefaultBackend = new V1IngressBackend { Service = new V1IngressServiceBackend { Name = "api", Port = new V1ServiceBackendPort { Number = 80 } } },
            },
        }, ns);

        string? AwsScheme() => _server.Sandbox.AwsWorld.GetLoadBalancers()
            .FirstOrDefault(lb => _server.Sandbox.AwsWorld.GetTags(lb.Arn).GetValueOrDefault("ingress.k8s.aws/stack") == $"{ns}/web")?.Scheme;
        await WaitForAsync(() => AwsScheme() == "internet-facing" ? "" : null, "the controller's internet-facing ALB");

        var feed = _server.Services.GetRequiredService<Dashboard.Client.Feed.IDashboardFeed>();
        var web = await WaitForAsync(() => feed.Ingresses.Snapshot.FirstOrDefault(i => i.Namespace == ns && i.Name == "web"
            && i.Lints.Any(l => l.Code == "class-params-overrides-annotation")), "web with the IngressClassParams finding");
        Assert.Equal("internet-facing", web.Scheme);
        Assert.Equal("internet-facing", ApiMapping.Ingress(web).Scheme);
        var lint = Assert.Single(web.Lints, l => l.Code == "class-params-overrides-annotation");
        Assert.Equal(LintSeverity.Warning, lint.Severity);
        Assert.Equal("scheme internal is ignored: IngressClassParams public-params sets internet-facing", lint.Title);
        Assert.StartsWith("scheme internal bị bỏ qua", lint.TitleText!.Format(System.Globalization.CultureInfo.GetCultureInfo("vi-VN")), StringComparison.Ordinal);
        var command = System.Text.RegularExpressions.Regex.Match(lint.Detail, "kubectl patch ingressclassparams [^ ]+ --type merge -p '[^']*'").Value;
        Assert.Equal("""kubectl patch ingressclassparams public-params --type merge -p '{"spec":{"scheme":"internal"}}'""", command);

        // The command, pasted as a user would, makes the ALB internal in AWS, and the warning gives way to the provenance note.
        await KubectlAsync(command);
        await WaitForAsync(() => AwsScheme() == "internal" ? "" : null, "the ALB internal in the sandbox's AWS");
        var after = await WaitForAsync(() => feed.Ingresses.Snapshot.FirstOrDefault(i => i.Namespace == ns && i.Name == "web"
            && !i.Lints.Any(l => l.Code == "class-params-overrides-annotation")), "the warning cleared");
        Assert.Equal("internal", after.Scheme);
        Assert.Equal("scheme internal comes from IngressClassParams public-params", Assert.Single(after.Lints, l => l.Code == "class-params-setting").Title);
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
