using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Dashboard.Server.Aws;

/// <summary>Checks <c>Dashboard:Aws</c> at start; every error names the key and the fix.</summary>
public sealed partial class ValidateAwsOptions(IConfiguration configuration) : IValidateOptions<AwsOptions>
{
    public ValidateOptionsResult Validate(string? name, AwsOptions options)
    {
        var errors = new List<string>();
        if (!options.SandboxMode)
        {
            if (string.IsNullOrWhiteSpace(options.Region))
            {
                errors.Add($"{AwsOptions.SectionName}:Region is required when Dashboard:Source is not Sandbox: set it (or AWS_REGION) to the region of the load balancers, e.g. us-east-1.");
            }
            else if (!RegionPattern().IsMatch(options.Region))
            {
                errors.Add($"{AwsOptions.SectionName}:Region '{options.Region}' is not an AWS region name: use a name such as us-east-1 or ap-southeast-1.");
            }

            foreach (var service in AwsService.All)
            {
                CheckUrl(options.Endpoints.For(service), $"{AwsOptions.SectionName}:Endpoints:{service.Name}", errors);
                CheckUrl(configuration[service.EndpointEnvironmentVariable], service.EndpointEnvironmentVariable, errors);
            }
            CheckUrl(configuration[ConfiguredAwsEndpointResolver.GlobalEndpointVariable], ConfiguredAwsEndpointResolver.GlobalEndpointVariable, errors);
        }

        var retry = options.Retry;
        var retryKey = $"{AwsOptions.SectionName}:Retry";
        if (retry.MaxAttempts is < 1 or > 10)
        {
            errors.Add($"{retryKey}:MaxAttempts must be between 1 and 10 (got {retry.MaxAttempts}).");
        }
        if (retry.BaseDelay <= TimeSpan.Zero || retry.BaseDelay > retry.MaxDelay)
        {
            errors.Add($"{retryKey}:BaseDelay must be positive and not above {retryKey}:MaxDelay (got {retry.BaseDelay}).");
        }
        if (retry.AttemptTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{retryKey}:AttemptTimeout must be positive, e.g. 00:00:30.");
        }
        if (retry.TotalTimeout < retry.AttemptTimeout)
        {
            errors.Add($"{retryKey}:TotalTimeout must be at least {retryKey}:AttemptTimeout (got {retry.TotalTimeout} < {retry.AttemptTimeout}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckUrl(string? value, string key, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return;
        }
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"{key} '{value}' is not an absolute http(s) URL: use e.g. https://elasticloadbalancing.us-east-1.amazonaws.com or http://127.0.0.1:4566.");
        }
    }

    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]+$")]
    private static partial Regex RegionPattern();
}
