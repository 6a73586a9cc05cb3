using Amazon;
using Microsoft.Extensions.Options;

namespace Dashboard.Server.Aws;

/// <summary>
/// Endpoints of a real AWS account. Order of precedence, as in the AWS SDKs and CLI:
/// <c>Dashboard:Aws:Endpoints:{Service}</c>, the service's <c>AWS_ENDPOINT_URL_{SERVICE}</c> variable,
/// <c>AWS_ENDPOINT_URL</c>, then the public endpoint of the region (us-east-1 for Cost Explorer).
/// </summary>
public sealed class ConfiguredAwsEndpointResolver(IOptions<AwsOptions> options, IConfiguration configuration) : IAwsEndpointResolver
{
    public const string GlobalEndpointVariable = "AWS_ENDPOINT_URL";

    public AwsEndpoint Resolve(AwsService service)
    {
        var value = options.Value;
        var region = value.Region ?? throw new InvalidOperationException($"{AwsOptions.SectionName}:Region is not set.");
        var signingRegion = service.GlobalRegion ?? region;
        var url = FirstSet(value.Endpoints.For(service), configuration[service.EndpointEnvironmentVariable], configuration[GlobalEndpointVariable])
            ?? $"https://{service.EndpointPrefix}.{signingRegion}.{DnsSuffix(signingRegion)}/";
        return new AwsEndpoint(new Uri(url, UriKind.Absolute), signingRegion);
    }

    private static string? FirstSet(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

    // amazonaws.com, or amazonaws.com.cn for the China partition; from the SDK's partition table.
    private static string DnsSuffix(string region)
    {
        var suffix = RegionEndpoint.GetBySystemName(region).PartitionDnsSuffix;
        return string.IsNullOrEmpty(suffix) ? "amazonaws.com" : suffix;
    }
}
