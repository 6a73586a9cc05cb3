using Amazon.EC2;
using Amazon.Runtime;

namespace Dashboard.Server.Aws.Ec2;

/// <summary>
/// Hands out the official AWSSDK.EC2 client (no hand-written EC2 wire code), configured from the same endpoint resolution
/// and credentials as the other AWS clients. The client is rebuilt when the resolved endpoint changes (the sandbox's
/// endpoint is known only once it listens). The SDK's own standard retry mode handles throttling
/// (<c>RequestLimitExceeded</c>) for EC2.
/// </summary>
public sealed class Ec2ClientProvider(IAwsEndpointResolver endpointResolver, AWSCredentials credentials) : IDisposable
{
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
}
