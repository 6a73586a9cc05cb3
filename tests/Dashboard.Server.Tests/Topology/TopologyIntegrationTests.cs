using Dashboard.Client.Feed;
using Dashboard.Client.Model;
using Dashboard.Server.Kubernetes;
using Dashboard.Server.LoadBalancers;
using Dashboard.Server.Tests.Support;
using Dashboard.Server.Topology;
using Microsoft.Extensions.DependencyInjection;
using k8s;
using k8s.Models;
using Dashboard.Testing;

namespace Dashboard.Server.Tests.Topology;

/// <summary>
/// The real watch caches (TargetGroupBindings included) against the in-process sandbox API, the topology feed over them,
/// and a hand-filled AWS snapshot: objects created over HTTP reach the joined view; pod logs come through the API.
/// </summary>
public sealed class TopologyIntegrationTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = Patience.Eventually;
    private SandboxServerHost _server = null!;

    public async Task InitializeAsync()
    {
        _server = await SandboxServerHost.StartAsync("topology-integration", new Dictionary<string, string?>
        {
            ["Dashboard:Topology:Debounce"] = "00:00:00.050",
            ["Dashboard:Topology:DnsLookups"] = "false",
            ["Sandbox:LoadScenario"] = "false",
        }, b => b.Services.AddDashboardTopology(b.Configuration));
        await _server.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "mlops" } });
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_service_and_its_target_group_binding_created_over_http_own_the_hand_published_balancer()
    {
        using var cts = new CancellationTokenSource(Bound);
        var aws = new AwsFixture();
        var lb = aws.Balancer("k8s-mlops-api-1234567890");
        var tg = aws.Group(lb, "k8s-mlops-api-tg");
        aws.Target(tg, "10.0.9.9", 8080, "unhealthy", "Target.Timeout");
        _server.Services.GetRequiredService<AwsSnapshotStore>().Publish(aws.Build());
        var feed = _server.Services.GetRequiredService<IDashboardFeed>();
        var subscription = feed.LoadBalancers.Subscribe(cts.Token);

        var service = K8s.Service("mlops", "api", new() { ["service.beta.kubernetes.io/aws-load-balancer-type"] = "external" });
        service.Metadata.Uid = null;
        service.Status = null;
        await _server.Client.CoreV1.CreateNamespacedServiceAsync(service, "mlops", cancellationToken: cts.Token);
        await _server.Client.CustomObjects.CreateNamespacedCustomObjectAsync(new TargetGroupBindingResource
        {
            Metadata = new V1ObjectMeta { Name = "k8s-mlops-api-tg", NamespaceProperty = "mlops" },
            Spec = new TargetGroupBindingSpec
            {
                TargetGroupArn = tg.TargetGroupArn,
                TargetType = "ip",
                ServiceRef = new TargetGroupBindingServiceRef { Name = "api", Port = 80 },
            },
        }, TargetGroupBindingResource.Group, TargetGroupBindingResource.Version, "mlops", TargetGroupBindingResource.Plural, cancellationToken: cts.Token);

        var linked = await WaitForAsync(subscription, l => l.LinkedBy == LinkSource.TargetGroupBinding, cts.Token);
        Assert.Equal("Service/mlops/api", Assert.Single(linked.Owners).Object.Key);
        Assert.Equal("80", Assert.Single(linked.TargetGroups).ServicePort);
        // Triage is published right after the balancers, by the same recompute.
        var triage = await WaitForAsync(feed.Triage.Subscribe(cts.Token), t => t.Target.Id == "10.0.9.9", cts.Token);
        Assert.Equal(new ObjectRef(ObjectKind.Service, "mlops", "api"), triage.Endpoint);
    }

    [Fact]
    public async Task A_pod_log_tail_is_read_through_the_api_and_a_missing_pod_is_an_error_not_an_exception()
    {
        using var cts = new CancellationTokenSource(Bound);
        var pod = K8s.Pod("mlops", "api-1", "10.0.1.10");
        pod.Metadata.Uid = null;
        pod.Status = null;
        await _server.Client.CoreV1.CreateNamespacedPodAsync(pod, "mlops", cancellationToken: cts.Token);
        var feed = _server.Services.GetRequiredService<IDashboardFeed>();

        var log = await feed.GetPodLogAsync("mlops", "api-1", 2, cts.Token);
        var missing = await feed.GetPodLogAsync("mlops", "gone", 10, cts.Token);
        var invalid = await feed.GetPodLogAsync("mlops", "Not_A_Name", 10, cts.Token);

        Assert.Null(log.Error);
        var lines = log.Text.TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Contains("listening on 0.0.0.0:8080", lines[^1], StringComparison.Ordinal);
        Assert.Contains("not found", missing.Error, StringComparison.Ordinal);
        Assert.StartsWith("pod 'Not_A_Name' is not a valid pod name", invalid.Error, StringComparison.Ordinal);
    }

    private static async Task<T> WaitForAsync<T>(FeedSubscription<T> subscription, Func<T, bool> condition, CancellationToken cancellationToken) where T : class
    {
        if (subscription.Snapshot.FirstOrDefault(condition) is { } already)
        {
            return already;
        }
        await foreach (var batch in subscription.Changes.WithCancellation(cancellationToken))
        {
            if (batch.Select(c => c.Item).OfType<T>().FirstOrDefault(condition) is { } found)
            {
                return found;
            }
        }
        throw new InvalidOperationException("the feed ended before the condition held");
    }
}
