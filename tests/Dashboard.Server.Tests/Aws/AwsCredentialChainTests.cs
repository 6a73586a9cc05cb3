using Dashboard.Server.Aws;

namespace Dashboard.Server.Tests.Aws;

/// <summary>Changes process environment variables, so it runs alone.</summary>
[CollectionDefinition(nameof(EnvironmentVariablesCollection), DisableParallelization = true)]
public sealed class EnvironmentVariablesCollection;

[Collection(nameof(EnvironmentVariablesCollection))]
public sealed class AwsCredentialChainTests
{
    [Fact]
    public async Task The_default_chain_takes_credentials_from_the_environment_first()
    {
        // Environment variables are the chain's first source, so the chain stops there and never reaches
        // for container or instance metadata endpoints.
        string?[] saved = [Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID"), Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY"), Environment.GetEnvironmentVariable("AWS_SESSION_TOKEN")];
        try
        {
            Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "AKIDFROMENVIRONMENT1");
            Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "secret-from-environment");
            Environment.SetEnvironmentVariable("AWS_SESSION_TOKEN", "token-from-environment");

            var credentials = await new AwsCredentialChain(profile: null).GetCredentialsAsync();

            Assert.Equal("AKIDFROMENVIRONMENT1", credentials.AccessKey);
            Assert.Equal("secret-from-environment", credentials.SecretKey);
            Assert.Equal("token-from-environment", credentials.Token);
        }
        finally
        {
            Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", saved[0]);
            Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", saved[1]);
            Environment.SetEnvironmentVariable("AWS_SESSION_TOKEN", saved[2]);
        }
    }

    [Fact]
    public async Task A_missing_profile_names_the_profile_and_the_setting_and_keeps_no_secret()
    {
        var chain = new AwsCredentialChain("no-such-profile-for-dashboard-tests");

        var error = await Assert.ThrowsAsync<AwsCredentialsException>(chain.GetCredentialsAsync);

        Assert.Contains("'no-such-profile-for-dashboard-tests'", error.Message);
        Assert.Contains("aws configure", error.Message);
    }
}
