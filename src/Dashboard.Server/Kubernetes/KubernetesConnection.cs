using k8s;

namespace Dashboard.Server.Kubernetes;

/// <summary>
/// The one KubernetesClient of the server. Created when the source is ready (in sandbox mode only after the sandbox has
/// bound its port), so the caches wait on <see cref="GetClientAsync"/> instead of guessing an address.
/// </summary>
public sealed class KubernetesConnection : IDisposable
{
    private readonly TaskCompletionSource<IKubernetes> _client = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Where the client points, for logs (no credentials).</summary>
    public Uri? Server { get; private set; }

    public Task<IKubernetes> GetClientAsync(CancellationToken cancellationToken) => _client.Task.WaitAsync(cancellationToken);

    /// <summary>The identity the client impersonates (a kubeconfig user's <c>as</c>), or null.</summary>
    public KubeconfigImpersonation? Impersonation { get; private set; }

    public void Connect(KubernetesClientConfiguration configuration, KubeconfigImpersonation? impersonation = null)
    {
        Server = new Uri(configuration.Host);
        Impersonation = impersonation;
        DelegatingHandler[] handlers = impersonation is null ? [new BufferedResponseHandler()] : [impersonation.Handler(), new BufferedResponseHandler()];
        if (!_client.TrySetResult(new k8s.Kubernetes(configuration, handlers)))
        {
            throw new InvalidOperationException("The Kubernetes connection is already established.");
        }
    }

    public void Dispose()
    {
        if (_client.Task.IsCompletedSuccessfully)
        {
            _client.Task.Result.Dispose();
        }
    }
}
