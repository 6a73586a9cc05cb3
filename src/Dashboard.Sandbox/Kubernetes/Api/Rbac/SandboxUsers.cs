namespace Dashboard.Sandbox.Kubernetes.Api.Rbac;

/// <summary>
/// The sandbox's users, one kubeconfig context each (<see cref="SandboxHost.WriteKubeconfig"/>): the admin (token
/// <c>sandbox</c>, group <c>system:masters</c>), a read-only user <c>sandbox-viewer</c> (token <c>viewer</c>, bound to the
/// <c>view</c> ClusterRole cluster-wide) and a namespace-scoped operator <c>sandbox-operator</c> (token <c>operator</c>, bound
/// to <c>edit</c> in <c>default</c> and, with the seed scenario, <c>mlops</c>). The limited contexts reach them by
/// impersonation (<c>as:</c>), since kubectl sends tokens over TLS only. The tokens are not secrets: the emulator has no
/// sign-in and listens on loopback only.
/// </summary>
public static class SandboxUsers
{
    public static readonly UserInfo Admin = new("kubernetes-admin", [RbacAuthorizer.MastersGroup, "system:authenticated"]);
    public static readonly UserInfo Viewer = new("sandbox-viewer", ["system:authenticated"]);
    public static readonly UserInfo Operator = new("sandbox-operator", ["system:authenticated"]);

    /// <summary>Bearer token → user.</summary>
    public static IReadOnlyDictionary<string, UserInfo> ByToken { get; } = new Dictionary<string, UserInfo>(StringComparer.Ordinal)
    {
        ["sandbox"] = Admin,
        ["viewer"] = Viewer,
        ["operator"] = Operator,
    };

    /// <summary>The namespaces the operator may change (where they exist).</summary>
    public static readonly IReadOnlyList<string> OperatorNamespaces = ["default", "mlops"];
}
