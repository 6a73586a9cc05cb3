using k8s;
using Microsoft.Extensions.Options;

namespace Dashboard.Server.Configuration;

/// <summary>
/// Checks the Kubernetes source at start and collects every problem, each naming its configuration key and the fix.
/// In Kubeconfig mode it also reads the file, so a malformed kubeconfig or an unknown context stops start-up here.
/// </summary>
public sealed class ValidateKubernetesSourceOptions : IValidateOptions<KubernetesSourceOptions>
{
    public ValidateOptionsResult Validate(string? name, KubernetesSourceOptions options)
    {
        var errors = new List<string>();
        if (!Enum.TryParse<KubernetesSourceKind>(options.Source, ignoreCase: true, out var kind) || !Enum.IsDefined(kind)
            || int.TryParse(options.Source, out _))
        {
            errors.Add($"Dashboard:Source: '{options.Source}' is not a Kubernetes source. Use one of: {string.Join(", ", Enum.GetNames<KubernetesSourceKind>())}.");
        }
        else if (kind == KubernetesSourceKind.Kubeconfig)
        {
            ValidateKubeconfig(options.Kubeconfig, errors);
        }
        else if (kind == KubernetesSourceKind.InCluster && !KubernetesClientConfiguration.IsInCluster())
        {
            errors.Add("Dashboard:Source: 'InCluster' needs a pod's service account (KUBERNETES_SERVICE_HOST/PORT and "
                + "/var/run/secrets/kubernetes.io/serviceaccount); none was found. Use 'Kubeconfig' or 'Sandbox' outside a cluster.");
        }

        var watch = options.Kubernetes;
        if (watch.RetryInitialDelay <= TimeSpan.Zero)
        {
            errors.Add($"Dashboard:Kubernetes:RetryInitialDelay: must be positive (got {watch.RetryInitialDelay}); e.g. 00:00:01.");
        }
        if (watch.RetryMaxDelay < watch.RetryInitialDelay)
        {
            errors.Add($"Dashboard:Kubernetes:RetryMaxDelay: must be at least RetryInitialDelay ({watch.RetryInitialDelay}); got {watch.RetryMaxDelay}.");
        }
        if (watch.WatchTimeout < TimeSpan.FromSeconds(1))
        {
            errors.Add($"Dashboard:Kubernetes:WatchTimeout: must be at least one second (got {watch.WatchTimeout}); e.g. 00:05:00.");
        }
        if (watch.ListPageSize is < 1 or > 10_000)
        {
            errors.Add($"Dashboard:Kubernetes:ListPageSize: must be between 1 and 10000 (got {watch.ListPageSize}); e.g. 500.");
        }
        if (string.IsNullOrWhiteSpace(watch.SandboxKubeconfigPath))
        {
            errors.Add("Dashboard:Kubernetes:SandboxKubeconfigPath: must name a file, e.g. .sandbox/kubeconfig.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateKubeconfig(KubeconfigOptions kubeconfig, List<string> errors)
    {
        var path = kubeconfig.ResolvePath();
        if (!File.Exists(path))
        {
            errors.Add($"Dashboard:Kubeconfig:Path: the kubeconfig file '{path}' does not exist. Set Dashboard:Kubeconfig:Path "
                + "(or KUBECONFIG) to an existing file, or use Dashboard:Source=Sandbox.");
            return;
        }
        k8s.KubeConfigModels.K8SConfiguration config;
        try
        {
            config = KubernetesClientConfiguration.LoadKubeConfig(path);
        }
        catch (Exception ex)
        {
            errors.Add($"Dashboard:Kubeconfig:Path: the kubeconfig file '{path}' could not be read: {ex.Message} Fix the file or point the key at another one.");
            return;
        }
        var contexts = config.Contexts?.Select(c => c.Name).Where(n => !string.IsNullOrEmpty(n)).ToList() ?? [];
        var wanted = string.IsNullOrWhiteSpace(kubeconfig.Context) ? config.CurrentContext : kubeconfig.Context.Trim();
        var available = contexts.Count == 0 ? "none" : string.Join(", ", contexts);
        if (string.IsNullOrWhiteSpace(wanted))
        {
            errors.Add($"Dashboard:Kubeconfig:Context: the kubeconfig file '{path}' has no current-context; name one of its contexts ({available}).");
            return;
        }
        var context = config.Contexts?.FirstOrDefault(c => c.Name == wanted);
        if (context is null)
        {
            errors.Add($"Dashboard:Kubeconfig:Context: context '{wanted}' is not in the kubeconfig file '{path}'. Available contexts: {available}.");
            return;
        }
        try
        {
            Kubernetes.KubeconfigImpersonation.BuildConfiguration(config, wanted);
        }
        catch (Exception ex)
        {
            errors.Add($"Dashboard:Kubeconfig:Context: context '{wanted}' in the kubeconfig file '{path}' cannot be used: {ex.Message}");
        }
    }
}
