namespace Dashboard.Server.Configuration;

/// <summary>Where the dashboard reads Kubernetes from (configuration key <c>Dashboard:Source</c>).</summary>
public enum KubernetesSourceKind
{
    /// <summary>The embedded sandbox cluster, started in-process (the default).</summary>
    Sandbox,
    /// <summary>A cluster named by a kubeconfig file and context.</summary>
    Kubeconfig,
    /// <summary>The cluster the dashboard runs in, through its service account.</summary>
    InCluster,
}

/// <summary>
/// The Kubernetes source and its watch caches: keys <c>Dashboard:Source</c>, <c>Dashboard:Kubeconfig:*</c> and
/// <c>Dashboard:Kubernetes:*</c>. Checked at start by <see cref="ValidateKubernetesSourceOptions"/>.
/// </summary>
public sealed class KubernetesSourceOptions
{
    public const string SectionName = "Dashboard";

    /// <summary>
    /// Sandbox, Kubeconfig or InCluster. Kept as text so that a wrong value is reported by the validator with its key,
    /// instead of failing inside the configuration binder.
    /// </summary>
    public string Source { get; set; } = nameof(KubernetesSourceKind.Sandbox);

    public KubeconfigOptions Kubeconfig { get; set; } = new();

    public KubernetesWatchOptions Kubernetes { get; set; } = new();

    /// <summary>The parsed <see cref="Source"/>; only meaningful after validation.</summary>
    public KubernetesSourceKind SourceKind =>
        Enum.TryParse<KubernetesSourceKind>(Source, ignoreCase: true, out var kind) ? kind : KubernetesSourceKind.Sandbox;
}

/// <summary>Keys <c>Dashboard:Kubeconfig:Path</c> and <c>Dashboard:Kubeconfig:Context</c>.</summary>
public sealed class KubeconfigOptions
{
    /// <summary>The kubeconfig file; empty means $KUBECONFIG (its first entry) or ~/.kube/config, as kubectl does.</summary>
    public string? Path { get; set; }

    /// <summary>The context to use; empty means the file's current-context.</summary>
    public string? Context { get; set; }

    /// <summary>The file that will be read: the configured path, else $KUBECONFIG's first entry, else ~/.kube/config.</summary>
    public string ResolvePath()
    {
        if (!string.IsNullOrWhiteSpace(Path))
        {
            return System.IO.Path.GetFullPath(ExpandHome(Path.Trim()));
        }
        var fromEnvironment = Environment.GetEnvironmentVariable("KUBECONFIG");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            var first = fromEnvironment.Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
            return System.IO.Path.GetFullPath(ExpandHome(first));
        }
        return System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
    }

    private static string ExpandHome(string path) =>
        path.StartsWith("~/", StringComparison.Ordinal)
            ? System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..])
            : path;
}

/// <summary>Keys <c>Dashboard:Kubernetes:*</c>: how the watch caches talk to the API server.</summary>
public sealed class KubernetesWatchOptions
{
    /// <summary>First retry delay after an error; doubled on each further error (with jitter) up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryInitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between retries.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the API server keeps one watch open before the cache re-watches (timeoutSeconds).</summary>
    public TimeSpan WatchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Page size of the initial list (limit / continue).</summary>
    public int ListPageSize { get; set; } = 500;

    /// <summary>Where sandbox mode writes the kubeconfig for kubectl, relative to the current directory.</summary>
    public string SandboxKubeconfigPath { get; set; } = System.IO.Path.Combine(".sandbox", "kubeconfig");
}
