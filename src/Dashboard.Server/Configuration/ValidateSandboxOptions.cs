using Dashboard.Sandbox;
using Microsoft.Extensions.Options;

namespace Dashboard.Server.Configuration;

/// <summary>Checks the <c>Sandbox</c> section used in sandbox mode; every problem names its key.</summary>
public sealed class ValidateSandboxOptions : IValidateOptions<SandboxOptions>
{
    public ValidateOptionsResult Validate(string? name, SandboxOptions options)
    {
        var errors = new List<string>();
        CheckUrl("Sandbox:KubernetesUrl", options.KubernetesUrl, errors);
        CheckUrl("Sandbox:AwsUrl", options.AwsUrl, errors);
        if (string.IsNullOrWhiteSpace(options.ClusterName))
        {
            errors.Add("Sandbox:ClusterName: must not be empty; e.g. retail-forecast-cluster.");
        }
        if (options.ProvisioningDelay < TimeSpan.Zero)
        {
            errors.Add($"Sandbox:ProvisioningDelay: must not be negative (got {options.ProvisioningDelay}).");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckUrl(string key, string? value, List<string> errors)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            errors.Add($"{key}: '{value}' is not an http(s) URL; e.g. http://127.0.0.1:8001 (port 0 picks a free port).");
        }
        else if (!uri.IsLoopback)
        {
            // The emulators have no authentication and the AWS one takes fault-injection requests: never on the network.
            errors.Add($"{key}: '{value}' is not a loopback address. The sandbox's emulators have no sign-in; use 127.0.0.1 or localhost, e.g. http://127.0.0.1:8001.");
        }
    }
}
