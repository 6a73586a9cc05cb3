namespace Dashboard.Server.Aws;

/// <summary>Where requests for one service go and which region goes into their SigV4 credential scope.</summary>
public sealed record AwsEndpoint(Uri Url, string SigningRegion);

/// <summary>
/// Decides the endpoint and signing region of each AWS service. The configured resolver honours
/// <c>Dashboard:Aws:Endpoints:*</c> and the <c>AWS_ENDPOINT_URL*</c> variables; sandbox hosting replaces it with
/// <see cref="AwsSandboxEndpoint"/> so every service points at the emulated AWS endpoint.
/// </summary>
public interface IAwsEndpointResolver
{
    AwsEndpoint Resolve(AwsService service);
}
