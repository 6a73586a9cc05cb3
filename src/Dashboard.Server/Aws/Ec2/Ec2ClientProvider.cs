using Amazon.EC2;
using Amazon.Runtime;

namespace Dashboard.Server.Aws.Ec2;

/// <summary>
/// Hands out the official AWSSDK.EC2 client (no hand-written EC2 wire code), configured from the same endpoint resolution
/// and credentials as the other AWS clients. The client is rebuilt when the resolved endpoint changes (the sandbox's
/// endpoint is known only once it listens). The SDK's own standard retry mode handles throttling
/// (<c>RequestLimitExceeded</c>) for EC2. Its HTTP goes through the named client of <see cref="AwsService.Ec2"/>, so
/// every attempt is counted by the call metering like the other services' calls.
/// </summary>
public sealed class Ec2ClientProvider(IAwsEndpointResolver endpointResolver, AWSCredentials credentials, IHttpClientFactory httpClients) : IDisposable
{
    private readonly SdkHttpClients _sdkHttpClients = new(httpClients, AwsTransport.HttpClientName(AwsService.Ec2));
    private readonly Lock _gate = new();
    private (AwsEndpoint Endpoint, AmazonEC2Client Client)? _current;

    public IAmazonEC2 Client
    {
        get
        {
            var endpoint = endpointResolver.Resolve(AwsService.Ec2);
            lock (_gate)
            {
                if (_current is { } current && current.Endpoint == endpoint)
                {
                    return current.Client;
                }
                var client = new AmazonEC2Client(credentials, new AmazonEC2Config
                {
                    ServiceURL = endpoint.Url.ToString(),
                    AuthenticationRegion = endpoint.SigningRegion,
                    RetryMode = RequestRetryMode.Standard,
                    MaxErrorRetry = 4,
                    Timeout = TimeSpan.FromSeconds(30),
                    HttpClientFactory = _sdkHttpClients,
                });
                _current?.Client.Dispose();
                _current = (endpoint, client);
                return client;
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _current?.Client.Dispose();
            _current = null;
        }
    }

    /// <summary>Gives the SDK clients of the dashboard's named HttpClient (handlers pooled by IHttpClientFactory).</summary>
    private sealed class SdkHttpClients(IHttpClientFactory factory, string name) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => factory.CreateClient(name);

        // IHttpClientFactory pools the handlers: a client per use is cheap and safe to dispose.
        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => true;
    }
}
