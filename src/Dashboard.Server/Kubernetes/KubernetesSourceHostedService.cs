using Dashboard.Sandbox;
using Dashboard.Server.Aws;
using Dashboard.Server.Configuration;
using k8s;
using Microsoft.Extensions.Options;

namespace Dashboard.Server.Kubernetes;

/// <summary>
/// Opens the configured Kubernetes source before the caches start. In sandbox mode it hosts the sandbox in-process,
/// writes a kubeconfig for kubectl and points the client at the sandbox's actual bound address (port 0 works).
/// </summary>
public sealed partial class KubernetesSourceHostedService(
    IOptions<KubernetesSourceOptions> options,
    IOptions<SandboxOptions> sandboxOptions,
    KubernetesConnection connection,
    IServiceProvider services,
    ILoggerFactory loggerFactory,
    ILogger<KubernetesSourceHostedService> logger) : IHostedService, IAsyncDisposable
{
    private SandboxHost? _sandbox;

    /// <summary>The running sandbox in sandbox mode; null otherwise.</summary>
    public SandboxHost? Sandbox => _sandbox;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var source = options.Value;
        switch (source.SourceKind)
        {
            case KubernetesSourceKind.Sandbox:
                _sandbox = await SandboxHost.StartAsync(sandboxOptions.Value, loggerFactory, cancellationToken);
                var kubeconfig = _sandbox.WriteKubeconfig(Path.Combine(Directory.GetCurrentDirectory(), source.Kubernetes.SandboxKubeconfigPath));
                connection.Connect(new KubernetesClientConfiguration { Host = _sandbox.KubernetesUri.ToString().TrimEnd('/') });
                LogSandbox(logger, _sandbox.KubernetesUri, kubeconfig);
                // The AWS clients follow the emulator wherever it bound (port 0 in tests).
                services.GetService<AwsSandboxEndpoint>()?.Use(_sandbox.AwsUri);
                LogSandboxAws(logger, _sandbox.AwsUri, AwsSandboxEndpoint.AccessKey);
                break;
            case KubernetesSourceKind.Kubeconfig:
                var path = source.Kubeconfig.ResolvePath();
                var context = string.IsNullOrWhiteSpace(source.Kubeconfig.Context) ? null : source.Kubeconfig.Context.Trim();
                KubernetesClientConfiguration configuration;
                try
                {
                    configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(path, context);
                }
                catch (Exception ex)
                {
                    throw new InvalidOperationException(
                        $"Dashboard:Kubeconfig: cannot use context '{context ?? "(current-context)"}' of the kubeconfig file '{path}': {ex.Message}", ex);
                }
                connection.Connect(configuration);
                LogKubeconfig(logger, path, context ?? "(current-context)", connection.Server);
                break;
            case KubernetesSourceKind.InCluster:
                connection.Connect(KubernetesClientConfiguration.InClusterConfig());
                LogInCluster(logger, connection.Server);
                break;
        }
    }

    /// <summary>Stops the sandbox; hosted services stop in reverse order, so the caches have stopped already.</summary>
    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (_sandbox is not null)
        {
            await _sandbox.DisposeAsync();
            _sandbox = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sandbox Kubernetes API listening on {Uri}. To use kubectl against it: export KUBECONFIG={KubeconfigPath}")]
    private static partial void LogSandbox(ILogger logger, Uri uri, string kubeconfigPath);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sandbox AWS endpoint listening on {Uri}. To use the AWS CLI against it: AWS_ACCESS_KEY_ID={AccessKey} AWS_SECRET_ACCESS_KEY={AccessKey} aws --endpoint-url {Uri} --region us-east-1 elbv2 describe-load-balancers")]
    private static partial void LogSandboxAws(ILogger logger, Uri uri, string accessKey);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reading Kubernetes from kubeconfig {Path}, context {Context} ({Server})")]
    private static partial void LogKubeconfig(ILogger logger, string path, string context, Uri? server);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reading Kubernetes in-cluster ({Server})")]
    private static partial void LogInCluster(ILogger logger, Uri? server);
}
