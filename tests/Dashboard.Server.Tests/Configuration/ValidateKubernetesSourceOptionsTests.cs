using Dashboard.Sandbox;
using Dashboard.Server.Configuration;

namespace Dashboard.Server.Tests.Configuration;

public sealed class ValidateKubernetesSourceOptionsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kubeconfig-tests").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static IReadOnlyList<string> Errors(KubernetesSourceOptions options) =>
        new ValidateKubernetesSourceOptions().Validate(null, options).Failures?.ToList() ?? [];

    private string WriteKubeconfig(string text)
    {
        var path = Path.Combine(_directory, "config");
        File.WriteAllText(path, text);
        return path;
    }

    private const string ValidKubeconfig = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: c1
          cluster:
            server: https://127.0.0.1:6443
        users:
        - name: u1
          user:
            token: t
        contexts:
        - name: dev
          context:
            cluster: c1
            user: u1
        current-context: dev
        """;

    [Fact]
    public void Defaults_are_valid()
    {
        Assert.Empty(Errors(new KubernetesSourceOptions()));
    }

    [Fact]
    public void Unknown_source_names_its_key_and_the_choices()
    {
        var error = Assert.Single(Errors(new KubernetesSourceOptions { Source = "Minikube" }));

        Assert.StartsWith("Dashboard:Source:", error);
        Assert.Contains("Sandbox, Kubeconfig, InCluster", error);
    }

    [Fact]
    public void Every_bad_watch_setting_is_reported_with_its_key()
    {
        var options = new KubernetesSourceOptions
        {
            Source = "42",
            Kubernetes = new KubernetesWatchOptions
            {
                RetryInitialDelay = TimeSpan.Zero,
                RetryMaxDelay = TimeSpan.FromSeconds(-1),
                WatchTimeout = TimeSpan.Zero,
                ListPageSize = 0,
                SandboxKubeconfigPath = " ",
            },
        };

        var errors = Errors(options);

        Assert.Equal(
            ["Dashboard:Source", "Dashboard:Kubernetes:RetryInitialDelay", "Dashboard:Kubernetes:RetryMaxDelay",
             "Dashboard:Kubernetes:WatchTimeout", "Dashboard:Kubernetes:ListPageSize", "Dashboard:Kubernetes:SandboxKubeconfigPath"],
            errors.Select(e => e[..e.IndexOf(": ", StringComparison.Ordinal)]));
    }

    [Fact]
    public void Missing_kubeconfig_file_names_the_path_key_and_file()
    {
        var missing = Path.Combine(_directory, "nope");

        var error = Assert.Single(Errors(new KubernetesSourceOptions { Source = "kubeconfig", Kubeconfig = new KubeconfigOptions { Path = missing } }));

        Assert.StartsWith("Dashboard:Kubeconfig:Path:", error);
        Assert.Contains(missing, error);
    }

    [Fact]
    public void Malformed_kubeconfig_names_the_file()
    {
        var path = WriteKubeconfig("clusters: [ this is: not yaml");

        var error = Assert.Single(Errors(new KubernetesSourceOptions { Source = "Kubeconfig", Kubeconfig = new KubeconfigOptions { Path = path } }));

        Assert.StartsWith("Dashboard:Kubeconfig:Path:", error);
        Assert.Contains(path, error);
    }

    [Fact]
    public void Unknown_context_names_the_file_the_context_and_the_available_ones()
    {
        var path = WriteKubeconfig(ValidKubeconfig);

        var error = Assert.Single(Errors(new KubernetesSourceOptions
        {
            Source = "Kubeconfig",
            Kubeconfig = new KubeconfigOptions { Path = path, Context = "prod" },
        }));

        Assert.StartsWith("Dashboard:Kubeconfig:Context:", error);
        Assert.Contains("'prod'", error);
        Assert.Contains(path, error);
        Assert.Contains("Available contexts: dev", error);
    }

    [Fact]
    public void Valid_kubeconfig_and_context_pass()
    {
        var path = WriteKubeconfig(ValidKubeconfig);

        Assert.Empty(Errors(new KubernetesSourceOptions { Source = "Kubeconfig", Kubeconfig = new KubeconfigOptions { Path = path, Context = "dev" } }));
        Assert.Empty(Errors(new KubernetesSourceOptions { Source = "Kubeconfig", Kubeconfig = new KubeconfigOptions { Path = path } }));
    }

    [Fact]
    public void Sandbox_urls_are_checked_with_their_keys()
    {
        var result = new ValidateSandboxOptions().Validate(null, new SandboxOptions { KubernetesUrl = "localhost:8001", AwsUrl = "ftp://x" });

        Assert.Equal(["Sandbox:KubernetesUrl", "Sandbox:AwsUrl"], result.Failures!.Select(e => e[..e.IndexOf(':', e.IndexOf(':') + 1)]));
    }
}
