using Dashboard.Sandbox.Aws;
using Dashboard.Sandbox.Aws.CloudWatch;
using Dashboard.Sandbox.Aws.CostExplorer;
using Dashboard.Sandbox.Aws.Emulator;
using Dashboard.Sandbox.Cluster;
using Dashboard.Sandbox.DataPlane;
using Dashboard.Sandbox.Kubernetes;
using Dashboard.Sandbox.Kubernetes.Api;
using Dashboard.Sandbox.LoadBalancerController;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Dashboard.Sandbox;

/// <summary>
/// The running sandbox: an emulated Kubernetes API server and AWS endpoint on loopback, the in-memory world,
/// and the simulated controllers. Started in-process by the dashboard (sandbox mode) or by tests with port 0.
/// </summary>
public sealed class SandboxHost : IAsyncDisposable
{
    private readonly WebApplication _kubernetesApp;
    private readonly AwsEmulator _awsEmulator;

    private SandboxHost(SandboxOptions options, ResourceStore store, AwsWorld awsWorld, ClusterSimulation cluster, AwsLoadBalancerController loadBalancerController, WebApplication kubernetesApp, Uri kubernetesUri, AwsEmulator awsEmulator,
        SandboxDataPlane dataPlane)
    {
        DataPlane = dataPlane;
        Options = options;
        Store = store;
        AwsWorld = awsWorld;
        Cluster = cluster;
        LoadBalancerController = loadBalancerController;
        _kubernetesApp = kubernetesApp;
        _awsEmulator = awsEmulator;
        KubernetesUri = kubernetesUri;
        AwsUri = awsEmulator.Uri;
    }

    public SandboxOptions Options { get; }
    public ResourceStore Store { get; }

    /// <summary>The simulated AWS account (load balancers, target groups, target health, tags).</summary>
    public AwsWorld AwsWorld { get; }

    /// <summary>The simulated cluster (controllers, pod behaviour, events) working on <see cref="Store"/>.</summary>
    public ClusterSimulation Cluster { get; }

    /// <summary>The simulated AWS Load Balancer Controller: load balancers, bindings, target registration and health.</summary>
    public AwsLoadBalancerController LoadBalancerController { get; }

    /// <summary>Throttling, 5xx and latency on demand for the AWS endpoint (also at <c>/_sandbox/faults</c>).</summary>
    public AwsFaults AwsFaults => _awsEmulator.Faults;

    /// <summary>The signed requests the AWS emulator has received, by service and action.</summary>
    public AwsRequestCounter AwsRequests => _awsEmulator.Requests;

    /// <summary>
    /// The world of another region of the account (<see cref="SandboxOptions.SecondRegion"/>, or one a request has been
    /// signed for), or null. <see cref="AwsWorld"/> is the scenario's region.
    /// </summary>
    public AwsWorld? AwsRegion(string region) => region == AwsWorld.Region ? AwsWorld : _awsEmulator.World(region);

    /// <summary>The CloudWatch traffic model; set a load balancer's <see cref="TrafficProfile"/> here.</summary>
    public ElbTrafficModel AwsTraffic => _awsEmulator.Traffic;
    public Uri KubernetesUri { get; }
    public Uri AwsUri { get; }

    /// <summary>The balancers' data plane (real HTTP on loopback), its DNS and its certificates.</summary>
    public SandboxDataPlane DataPlane { get; }

    public static async Task<SandboxHost> StartAsync(SandboxOptions options, ILoggerFactory? loggerFactory, CancellationToken cancellationToken)
    {
        var store = new ResourceStore();
        var awsWorld = AwsWorld.FromOptions(options);
        var cluster = new ClusterSimulation(store, options, store.Time, loggerFactory);
        cluster.Start();
        var loadBalancerController = new AwsLoadBalancerController(store, awsWorld, cluster, options, store.Time, loggerFactory);
        loadBalancerController.Start();
        try
        {
            return await StartServersAsync(options, store, awsWorld, cluster, loadBalancerController, loggerFactory, cancellationToken);
        }
        catch
        {
            await loadBalancerController.DisposeAsync();
            await cluster.DisposeAsync();
            throw;
        }
    }

    private static async Task<SandboxHost> StartServersAsync(SandboxOptions options, ResourceStore store, AwsWorld awsWorld, ClusterSimulation cluster,
        AwsLoadBalancerController loadBalancerController, ILoggerFactory? loggerFactory, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(options.KubernetesUrl);
        if (loggerFactory is not null)
        {
            builder.Services.AddSingleton(loggerFactory);
        }
        var app = builder.Build();
        app.MapKubernetesApi(store);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var traffic = new ElbTrafficModel(awsWorld) { PublicationDelay = options.CloudWatchPublicationDelay };
        var awsEmulator = await AwsEmulator.StartAsync(
            options.AwsUrl, awsWorld, new AwsFaults(options.Seed), traffic, new ElbCostModel(traffic), loggerFactory, cancellationToken);
        if (options.SecondRegion.Length > 0 && options.SecondRegion != options.Region)
        {
            awsEmulator.AddRegion(AwsWorld.SecondRegion(options));
        }
        var dns = new SandboxDns(awsWorld);
        if (options.LoadScenario)
        {
            dns.AddScenarioRecords();
        }
        var dataPlane = await SandboxDataPlane.StartAsync(options.DataPlane, awsWorld, store, cluster, traffic, dns, loggerFactory, cancellationToken);
        return new SandboxHost(options, store, awsWorld, cluster, loadBalancerController, app, new Uri(address), awsEmulator, dataPlane);
    }

    /// <summary>
    /// Writes a kubeconfig pointing at the emulated API server and returns its full path: context <c>sandbox</c> (the
    /// admin, current), <c>sandbox-viewer</c> (read-only) and <c>sandbox-operator</c> (edit in <c>default</c> and <c>mlops</c>).
    /// </summary>
    public string WriteKubeconfig(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var server = KubernetesUri.ToString().TrimEnd('/');
        var text = $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: sandbox
              cluster:
                server: {server}
            users:
            - name: sandbox
              user:
                token: sandbox
            - name: sandbox-viewer
              user:
                as: sandbox-viewer
            - name: sandbox-operator
              user:
                as: sandbox-operator
            contexts:
            - name: sandbox
              context:
                cluster: sandbox
                user: sandbox
                namespace: default
            - name: sandbox-viewer
              context:
                cluster: sandbox
                user: sandbox-viewer
                namespace: default
            - name: sandbox-operator
              context:
                cluster: sandbox
                user: sandbox-operator
                namespace: default
            current-context: sandbox
            """;
        File.WriteAllText(path, text + "\n");
        return Path.GetFullPath(path);
    }

    public async ValueTask DisposeAsync()
    {
        await DataPlane.DisposeAsync();
        await _awsEmulator.DisposeAsync();
        await _kubernetesApp.StopAsync();
        await _kubernetesApp.DisposeAsync();
        await LoadBalancerController.DisposeAsync();
        await Cluster.DisposeAsync();
    }
}
