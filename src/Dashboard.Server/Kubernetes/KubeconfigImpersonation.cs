using k8s;

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
    public static KubeconfigImpersonation? Read(string path, string? context)
    {
        var config = KubernetesClientConfiguration.LoadKubeConfig(path);
        var name = context ?? config.CurrentContext;
        var userName = config.Contexts?.FirstOrDefault(c => c.Name == name)?.ContextDetails?.User;
        var credentials = config.Users?.FirstOrDefault(u => u.Name == userName)?.UserCredentials;
        return string.IsNullOrWhiteSpace(credentials?.Impersonate)
            ? null
            : new KubeconfigImpersonation(credentials.Impersonate, [.. credentials.ImpersonateGroups ?? []]);
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
