using Amazon.Runtime;
using Dashboard.Sandbox;
using Dashboard.Server.Aws;
using Dashboard.Server.Feed;
using Dashboard.Server.Kubernetes;
using Dashboard.Server.LoadBalancers;
using Dashboard.Server.ScaleOut;
using Dashboard.Server.State;
using k8s;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dashboard.Server.Tests.ScaleOut;

/// <summary>
/// One dashboard replica's AWS side as the server hosts it (AddDashboardAws, AddDashboardScaleOut, AddDashboardLoadBalancers,
/// in that order), pointed like a deployment at a standalone sandbox: its AWS endpoint (signed requests, as to AWS) and
/// its Kubernetes API (for the Lease). Several replicas share the sandbox and a state store.
/// </summary>
public sealed class ReplicaHost : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private ReplicaHost(IHost host, string identity)
    {
        _host = host;
        Identity = identity;
    }

    public string Identity { get; }
    public IServiceProvider Services => _host.Services;
    public IReplicaLeadership Leadership => Services.GetRequiredService<IReplicaLeadership>();
    public AwsSnapshotStore Snapshots => Services.GetRequiredService<AwsSnapshotStore>();
    public AwsSnapshotSharing Sharing => Services.GetRequiredService<AwsSnapshotSharing>();
    public AwsCallStatistics Calls => Services.GetRequiredService<AwsCallStatistics>();
    public SourceStatusRegistry Sources => Services.GetRequiredService<SourceStatusRegistry>();
    public AwsPoller Poller => Services.GetRequiredService<AwsPoller>();
    public IStateStore State => Services.GetRequiredService<IStateStore>();

    /// <summary>Settings every replica of a test shares: the sandbox's endpoints, fast polling, short Lease timings.</summary>
    public static Dictionary<string, string?> Settings(SandboxHost sandbox, string leaseName) => new()
    {
        ["Dashboard:Source"] = "Kubeconfig",
        ["Dashboard:Aws:Region"] = "us-east-1",
        ["Dashboard:Aws:Endpoints:ElasticLoadBalancing"] = sandbox.AwsUri.ToString(),
        ["Dashboard:Aws:Endpoints:CloudWatch"] = sandbox.AwsUri.ToString(),
        ["Dashboard:Aws:Endpoints:CostExplorer"] = sandbox.AwsUri.ToString(),
        ["Dashboard:Aws:Endpoints:Ec2"] = sandbox.AwsUri.ToString(),
        ["Dashboard:Aws:Endpoints:CertificateManager"] = sandbox.AwsUri.ToString(),
        ["Dashboard:Aws:Endpoints:Wafv2"] = sandbox.AwsUri.ToString(),
        ["Dashboard:Aws:Retry:MaxAttempts"] = "1",
        ["Dashboard:Aws:Polling:FastInterval"] = "00:00:01",
        ["Dashboard:Aws:Polling:ConfigurationInterval"] = "00:00:30",
        ["Dashboard:Aws:Polling:BackoffInitialDelay"] = "00:00:00.200",
        ["Dashboard:Aws:Polling:BackoffMaxDelay"] = "00:00:00.500",
        ["Dashboard:State:PublishInterval"] = "00:00:00.200",
        ["Dashboard:Leadership:Namespace"] = "default",
        ["Dashboard:Leadership:LeaseName"] = leaseName,
        ["Dashboard:Leadership:LeaseDuration"] = "00:00:03",
        ["Dashboard:Leadership:RenewDeadline"] = "00:00:02",
        ["Dashboard:Leadership:RetryPeriod"] = "00:00:00.250",
    };

    public static async Task<ReplicaHost> StartAsync(SandboxHost sandbox, string identity, IReadOnlyDictionary<string, string?> settings, Func<Task>? beforeStart = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Dashboard:Leadership:Identity"] = identity });
        builder.Services.AddLogging();
        // The sandbox checks SigV4 with its own dummy key pair.
        builder.Services.AddSingleton<AWSCredentials>(new BasicAWSCredentials(AwsSandboxEndpoint.AccessKey, AwsSandboxEndpoint.SecretKey));
        var kubernetes = new KubernetesConnection();
        kubernetes.Connect(new KubernetesClientConfiguration { Host = sandbox.KubernetesUri.ToString().TrimEnd('/') });
        builder.Services.AddSingleton(kubernetes);
        builder.Services.AddDashboardAws(builder.Configuration);
        builder.Services.AddDashboardScaleOut(builder.Configuration);
        builder.Services.AddDashboardLoadBalancers(builder.Configuration);
        var host = builder.Build();
        if (beforeStart is not null)
        {
            await beforeStart();
        }
        await host.StartAsync();
        return new ReplicaHost(host, identity);
    }

    /// <summary>Stops the replica as a crash would look to the others: it stops renewing the Lease and publishing.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _host.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _host.Dispose();
    }
}
