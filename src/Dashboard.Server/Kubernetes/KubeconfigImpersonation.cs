using System.Security.Cryptography.X509Certificates;
using k8s;
using k8s.Exceptions;
using k8s.KubeConfigModels;

namespace Dashboard.Server.Kubernetes;

/// <summary>
/// A kubeconfig user's impersonation (<c>as</c>, <c>as-groups</c>), which kubectl sends as <c>Impersonate-User</c> and
/// <c>Impersonate-Group</c> headers on every request but KubernetesClient ignores. Honoured so that the dashboard reads
/// a cluster as the identity the context names (the sandbox's <c>sandbox-viewer</c> and <c>sandbox-operator</c>
/// contexts are such users), never silently as the credentials behind it.
/// </summary>
public sealed record KubeconfigImpersonation(string User, IReadOnlyList<string> Groups)
{
    /// <summary>The impersonation of <paramref name="context"/>'s user (the current context when null), or null.</summary>
    public static KubeconfigImpersonation? Read(K8SConfiguration config, string? context)
    {
        var name = context ?? config.CurrentContext;
        var userName = config.Contexts?.FirstOrDefault(c => c.Name == name)?.ContextDetails?.User;
        var credentials = config.Users?.FirstOrDefault(u => u.Name == userName)?.UserCredentials;
        return string.IsNullOrWhiteSpace(credentials?.Impersonate)
            ? null
            : new KubeconfigImpersonation(credentials.Impersonate, [.. credentials.ImpersonateGroups ?? []]);
    }

    /// <summary>
    /// The client configuration of a context, as <see cref="KubernetesClientConfiguration.BuildConfigFromConfigObject"/>
    /// builds it, except that a user with nothing but impersonation (<c>as:</c>, which kubectl accepts: the request then
    /// carries no credentials of its own) is not refused: the configuration is built from the context's cluster alone.
    /// </summary>
    public static KubernetesClientConfiguration BuildConfiguration(K8SConfiguration config, string? context)
    {
        try
        {
            return KubernetesClientConfiguration.BuildConfigFromConfigObject(config, context);
        }
        catch (KubeConfigException) when (ImpersonationOnly(config, context, out var details, out var cluster))
        {
            var configuration = new KubernetesClientConfiguration
            {
                Host = cluster.Server,
                SkipTlsVerify = cluster.SkipTlsVerify,
                Namespace = details.Namespace,
            };
            if (!string.IsNullOrEmpty(cluster.CertificateAuthorityData))
            {
                configuration.SslCaCerts = [X509CertificateLoader.LoadCertificate(Convert.FromBase64String(cluster.CertificateAuthorityData))];
            }
            else if (!string.IsNullOrEmpty(cluster.CertificateAuthority))
            {
                configuration.SslCaCerts = [X509CertificateLoader.LoadCertificateFromFile(cluster.CertificateAuthority)];
            }
            return configuration;
        }
    }

    private static bool ImpersonationOnly(K8SConfiguration config, string? context, out ContextDetails details, out ClusterEndpoint cluster)
    {
        var name = context ?? config.CurrentContext;
        details = config.Contexts?.FirstOrDefault(c => c.Name == name)?.ContextDetails!;
        var contextDetails = details;
        cluster = config.Clusters?.FirstOrDefault(c => c.Name == contextDetails?.Cluster)?.ClusterEndpoint!;
        var user = config.Users?.FirstOrDefault(u => u.Name == contextDetails?.User)?.UserCredentials;
        return details is not null && cluster?.Server is { Length: > 0 } && user is not null && !string.IsNullOrWhiteSpace(user.Impersonate)
            && string.IsNullOrEmpty(user.Token) && string.IsNullOrEmpty(user.ClientCertificateData) && string.IsNullOrEmpty(user.ClientCertificate)
            && string.IsNullOrEmpty(user.UserName) && user.ExternalExecution is null && user.AuthProvider is null;
    }

    /// <summary>Adds the impersonation headers to every request.</summary>
    public DelegatingHandler Handler() => new ImpersonationHandler(this);

    private sealed class ImpersonationHandler(KubeconfigImpersonation impersonation) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Remove("Impersonate-User");
            request.Headers.TryAddWithoutValidation("Impersonate-User", impersonation.User);
            foreach (var group in impersonation.Groups)
            {
                request.Headers.TryAddWithoutValidation("Impersonate-Group", group);
            }
            return base.SendAsync(request, cancellationToken);
        }
    }
}
