namespace Dashboard.Server.Aws;

/// <summary>
/// The sandbox's emulated AWS endpoint (sandbox mode): every service is sent there, signed with the dummy
/// credentials <see cref="AccessKey"/>/<see cref="SecretKey"/>. Starts at <c>Sandbox:AwsUrl</c>; sandbox hosting
/// calls <see cref="Use"/> with <c>SandboxHost.AwsUri</c> once the emulator listens (its port may be chosen at start).
/// </summary>
public sealed class AwsSandboxEndpoint : IAwsEndpointResolver
{
    public const string AccessKey = "sandbox";
    public const string SecretKey = "sandbox";

    private volatile Uri _url;

    public AwsSandboxEndpoint(Uri url, string region)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        _url = url;
        Region = region;
    }

    public Uri Url => _url;

    public string Region { get; }

    /// <summary>Points every AWS client at <paramref name="awsUri"/> from the next request on.</summary>
    public void Use(Uri awsUri)
    {
        ArgumentNullException.ThrowIfNull(awsUri);
        if (!awsUri.IsAbsoluteUri)
        {
            throw new ArgumentException($"The sandbox AWS endpoint must be an absolute URL, got '{awsUri}'.", nameof(awsUri));
        }
        _url = awsUri;
    }

    public AwsEndpoint Resolve(AwsService service) => new(_url, service.GlobalRegion ?? Region);
}
