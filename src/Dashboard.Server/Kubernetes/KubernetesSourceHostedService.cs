using Dashboard.Sandbox;
using Dashboard.Server.Configuration;
using Dashboard.Server.Sandbox;
using k8s;
using Microsoft.Extensions.Options;

namespace Dashboard.Server.Kubernetes;

/// <summary>
/// Opens the configured Kubernetes source before the caches start: the embedded sandbox's API (<see cref="EmbeddedSandbox"/>,
/// started just before), a kubeconfig context, or the in-cluster service account.
/// </summary>
public sealed partial class KubernetesSourceHostedService(
    IOptions<KubernetesSourceOptions> options,
    EmbeddedSandbox sandbox,
    KubernetesConnection connection,
    ILogger<KubernetesSourceHostedService> logger) : IHostedService
{
    /// <summary>The running sandbox in sandbox mode; null otherwise.</summary>
    public SandboxHost? Sandbox => sandbox.Host;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var source = options.Value;
        switch (source.SourceKind)
        {
            case KubernetesSourceKind.Sandbox:
                var host = sandbox.Host ?? throw new InvalidOperationException("The embedded sandbox has not started: EmbeddedSandbox must be registered before the Kubernetes source.");
                connection.Connect(new KubernetesClientConfiguration { Host = host.KubernetesUri.ToString().TrimEnd('/') });
                break;
            case KubernetesSourceKind.Kubeconfig:
                var path = source.Kubeconfig.ResolvePath();
                var context = string.IsNullOrWhiteSpace(source.Kubeconfig.Context) ? null : source.Kubeconfig.Context.Trim();
                KubernetesClientConfiguration configuration;
                KubeconfigImpersonation? impersonation;
                try
                {
                    var file = KubernetesClientConfiguration.LoadKubeConfig(path);
                    configuration = KubeconfigImpersonation.BuildConfiguration(file, context);
                    impersonation = KubeconfigImpersonation.Read(file, context);
                }
                catch (Exception ex)
                {
                    throw new InvalidOperationException(
                        $"Dashboard:Kubeconfig: cannot use context '{context ?? "(current-context)"}' of the kubeconfig file '{path}': {ex.Message}", ex);
                }
                connection.Connect(configuration, impersonation);
                LogKubeconfig(logger, path, context ?? "(current-context)", connection.Server);
                break;
            case KubernetesSourceKind.InCluster:
                connection.Connect(KubernetesClientConfiguration.InClusterConfig());
                LogInCluster(logger, connection.Server);
                break;
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Reading Kubernetes from kubeconfig {Path}, context {Context} ({Server})")]
    private static partial void LogKubeconfig(ILogger logger, string path, string context, Uri? server);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reading Kubernetes in-cluster ({Server})")]
    private static partial void LogInCluster(ILogger logger, Uri? server);
}
