using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;

namespace Dashboard.Server.Aws;

/// <summary>
/// The credentials the AWS clients sign with: AWSSDK.Core's default chain (environment variables → web identity
/// token/IRSA → shared profile incl. SSO → container credentials for EKS Pod Identity/ECS → EC2 instance metadata),
/// or one named profile. Resolved lazily on each signed request, not at start, so the dashboard starts without
/// credentials and reports their absence on the AWS pages; a failure is not remembered, so fixing the environment
/// (e.g. <c>aws sso login</c>) takes effect on the next call. The default chain caches what it found and notices
/// environment and file changes; a profile's credentials refresh themselves (assume-role, SSO).
/// Failures become <see cref="AwsCredentialsException"/>.
/// </summary>
public sealed class AwsCredentialChain(string? profile) : AWSCredentials
{
    internal const string SourcesTried =
        "environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN); " +
        "web identity token (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN, i.e. IRSA); " +
        "shared profile (AWS_PROFILE or 'default' in ~/.aws/credentials and ~/.aws/config, including SSO); " +
        "container credentials (AWS_CONTAINER_CREDENTIALS_FULL_URI / _RELATIVE_URI, i.e. EKS Pod Identity or ECS); " +
        "EC2 instance metadata (IMDS)";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private AWSCredentials? _profileSource;

    /// <summary>The configured profile name, or null for the default chain.</summary>
    public string? Profile { get; } = string.IsNullOrWhiteSpace(profile) ? null : profile;

    public override ImmutableCredentials GetCredentials() => GetCredentialsAsync().GetAwaiter().GetResult();

    public override async Task<ImmutableCredentials> GetCredentialsAsync()
    {
        var source = Profile is null ? await ResolveDefaultChainAsync() : _profileSource ?? await ResolveProfileSourceAsync(Profile);
        try
        {
            return await source.GetCredentialsAsync();
        }
        catch (Exception exception) when (exception is AmazonClientException or AmazonServiceException or HttpRequestException or IOException)
        {
            throw new AwsCredentialsException(DescribeFailure(exception), exception);
        }
    }

    private async Task<AWSCredentials> ResolveProfileSourceAsync(string profile)
    {
        await _gate.WaitAsync();
        try
        {
            return _profileSource ??= ResolveProfile(profile);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<AWSCredentials> ResolveDefaultChainAsync()
    {
        try
        {
            return await DefaultAWSCredentialsIdentityResolver.GetCredentialsAsync(null);
        }
        catch (AmazonClientException exception)
        {
            throw new AwsCredentialsException(DescribeFailure(exception), exception);
        }
    }

    private static AWSCredentials ResolveProfile(string profile)
    {
        var chain = new CredentialProfileStoreChain();
        if (chain.TryGetAWSCredentials(profile, out var credentials))
        {
            return credentials;
        }
        throw new AwsCredentialsException(
            $"AWS profile '{profile}' (set by {AwsOptions.SectionName}:Profile) was not found or is incomplete in ~/.aws/config and ~/.aws/credentials " +
            $"(or AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE). Create it with `aws configure --profile {profile}` or `aws configure sso`, or clear the setting to use the default chain.");
    }

    private string DescribeFailure(Exception exception)
    {
        var tried = Profile is null ? SourcesTried : $"shared profile '{Profile}' ({AwsOptions.SectionName}:Profile)";
        var hint = LooksLikeSso(exception)
            ? $" The SSO session looks expired or missing: run `aws sso login{(Profile is null ? string.Empty : " --profile " + Profile)}`."
            : " Configure one of these sources, e.g. an IAM role for the service account (IRSA) or EKS Pod Identity in the cluster, or a profile locally.";
        return $"No usable AWS credentials. Sources tried: {tried}.{hint} Cause: {exception.GetType().Name}.";
    }

    private static bool LooksLikeSso(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e.Message.Contains("SSO", StringComparison.OrdinalIgnoreCase) || e.GetType().Name.Contains("SSO", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}
