using Dashboard.Sandbox;
using Dashboard.Server.Aws;
using Dashboard.Server.Configuration;
using Microsoft.Extensions.Options;

namespace Dashboard.Server.Sandbox;

/// <summary>
/// The sandbox hosted in-process when <c>Dashboard:Source</c> is <c>Sandbox</c> (the default): starts the simulated
/// cluster and AWS account, writes a kubeconfig for kubectl, and points the AWS clients at the emulator wherever it bound
/// (port 0 in tests). Started before the Kubernetes source, which connects to <see cref="Host"/>; does nothing in the
/// other modes.
/// </summary>
public sealed partial class EmbeddedSandbox(
    IOptions<KubernetesSourceOptions> source,
    IOptions<SandboxOptions> options,
    ILoggerFactory loggerFactory,
    ILogger<EmbeddedSandbox> logger,
    AwsSandboxEndpoint? awsEndpoint = null) : IHostedService, IAsyncDisposable
{
    /// <summary>The running sandbox in sandbox mode once started; null otherwise.</summary>
    public SandboxHost? Host { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (source.Value.SourceKind != KubernetesSourceKind.Sandbox)
        {
            return;
        }
        var host = await SandboxHost.StartAsync(options.Value, loggerFactory, cancellationToken);
        Host = host;
        var kubeconfig = host.WriteKubeconfig(Path.Combine(Directory.GetCurrentDirectory(), source.Value.Kubernetes.SandboxKubeconfigPath));
        LogSandbox(logger, host.KubernetesUri, kubeconfig);
        awsEndpoint?.Use(host.AwsUri);
        LogSandboxAws(logger, host.AwsUri, AwsSandboxEndpoint.AccessKey);
        LogDataPlane(logger, host.DataPlane.HttpUri, host.DataPlane.HttpsUri);
    }

    /// <summary>Stops the sandbox; hosted services stop in reverse order, so the caches and pollers have stopped already.</summary>
    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (Host is { } host)
        {
            Host = null;
            await host.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sandbox Kubernetes API listening on {Uri}. To use kubectl against it: export KUBECONFIG={KubeconfigPath}")]
    private static partial void LogSandbox(ILogger logger, Uri uri, string kubeconfigPath);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sandbox AWS endpoint listening on {Uri}. To use the AWS CLI against it: AWS_ACCESS_KEY_ID={AccessKey} AWS_SECRET_ACCESS_KEY={AccessKey} aws --endpoint-url {Uri} --region us-east-1 elbv2 describe-load-balancers")]
    private static partial void LogSandboxAws(ILogger logger, Uri uri, string accessKey);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sandbox balancers' data plane on {HttpUri} (plain listeners) and {HttpsUri} (TLS listeners); send a balancer's DNS name as Host, e.g. curl --connect-to ::127.0.0.1:PORT http://NAME/")]
    private static partial void LogDataPlane(ILogger logger, Uri httpUri, Uri httpsUri);
}
