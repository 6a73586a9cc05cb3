using Dashboard.Client.Model;
using Dashboard.Server.Configuration;
using Dashboard.Server.Feed;
using k8s;
using Microsoft.Extensions.Options;

namespace Dashboard.Server.Kubernetes;

/// <summary>
/// Which cluster identity the Kubernetes source reads with: the kubeconfig context (<c>Dashboard:Kubeconfig:Context</c>,
/// else the file's current context), <c>in-cluster</c> (the service account) or <c>sandbox</c>. What the dashboard can
/// see depends on that identity's permissions, so the source chip names it.
/// </summary>
public sealed class KubernetesContextScope(IOptions<KubernetesSourceOptions> options) : ISourceScope
{
    private readonly Lazy<string?> _scope = new(() => Describe(options.Value));

    public string Key => SourceStatusBoard.KubernetesSourceKey;

    public string? Scope => _scope.Value;

    private static string? Describe(KubernetesSourceOptions options)
    {
        switch (options.SourceKind)
        {
            case KubernetesSourceKind.InCluster:
                return "in-cluster";
            case KubernetesSourceKind.Kubeconfig when !string.IsNullOrWhiteSpace(options.Kubeconfig.Context):
                return options.Kubeconfig.Context.Trim();
            case KubernetesSourceKind.Kubeconfig:
                try
                {
                    return KubernetesClientConfiguration.LoadKubeConfig(options.Kubeconfig.ResolvePath()).CurrentContext;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or k8s.Exceptions.KubeConfigException or YamlDotNet.Core.YamlException)
                {
                    // The source itself reports an unreadable kubeconfig.
                    return null;
                }
            default:
                return "sandbox";
        }
    }
}
