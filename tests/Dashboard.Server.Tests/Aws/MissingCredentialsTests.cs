using Dashboard.Sandbox;
using Dashboard.Server.Aws;
using Dashboard.Server.Aws.ElasticLoadBalancing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Server.Tests.Aws;

/// <summary>
/// Live mode (<c>Dashboard:Source</c> not Sandbox) with every endpoint overridden to the sandbox's AWS emulator and an
/// environment that offers no credentials: no key variables, empty shared config and credentials files, no web
/// identity or container variables, instance metadata disabled. The clients then fail with one message naming the
/// credential sources tried and the fix — no stack trace — and work as soon as the environment offers credentials.
/// The shared files are <see cref="IsolatedAwsConfigFiles"/>'s (the SDK reads the config file from where it first
/// looked), emptied before and after each test.
/// </summary>
[Collection(nameof(EnvironmentVariablesCollection))]
public sealed class MissingCredentialsTests : IAsyncLifetime
{
    private static readonly string[] CredentialVariables =
    [
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
        "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN",
        "AWS_EC2_METADATA_DISABLED",
    ];

    private readonly Dictionary<string, string?> _saved = CredentialVariables.ToDictionary(v => v, Environment.GetEnvironmentVariable);
    private SandboxHost _sandbox = null!;

    public async Task InitializeAsync()
    {
        foreach (var name in CredentialVariables)
        {
            Environment.SetEnvironmentVariable(name, null);
        }
        IsolatedAwsConfigFiles.Reset();
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
        _sandbox = await SandboxHost.StartAsync(
            new SandboxOptions { KubernetesUrl = "http://127.0.0.1:0", AwsUrl = "http://127.0.0.1:0", LoadScenario = false },
            loggerFactory: null,
            CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _sandbox.DisposeAsync();
        foreach (var (name, value) in _saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
        IsolatedAwsConfigFiles.Reset();
    }

    [Fact]
    public async Task Without_credentials_the_call_fails_with_one_message_naming_every_source_and_works_once_they_appear()
    {
        await using var services = LiveClients(profile: null);
        var elb = services.GetRequiredService<IElasticLoadBalancingClient>();

        var error = await Assert.ThrowsAsync<AwsCredentialsException>(() => elb.DescribeLoadBalancersAsync());

        Assert.StartsWith("No usable AWS credentials. Sources tried: ", error.Message);
        foreach (var source in new[] { "environment variables", "AWS_ACCESS_KEY_ID", "web identity token", "IRSA", "shared profile", "SSO",
            "container credentials", "EKS Pod Identity", "EC2 instance metadata" })
        {
            Assert.Contains(source, error.Message);
        }
        Assert.Contains("Configure one of these sources", error.Message);
        AssertNoStackTrace(error.Message);

        // Fixing the environment takes effect on the next call: a failure is not remembered.
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "sandbox");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "sandbox");
        Assert.Empty(await elb.DescribeLoadBalancersAsync());
    }

    [Fact]
    public async Task An_SSO_profile_without_a_session_asks_for_aws_sso_login_by_profile_name()
    {
        File.WriteAllText(IsolatedAwsConfigFiles.ConfigPath, """
            [profile dashboard-sso]
            sso_session = dashboard
            sso_account_id = 123456789012
            sso_role_name = ReadOnlyAccess
            region = us-east-1

            [sso-session dashboard]
            sso_start_url = https://example-dashboard.awsapps.com/start
            sso_region = us-east-1
            sso_registration_scopes = sso:account:access
            """);
        await using var services = LiveClients(profile: "dashboard-sso");
        var elb = services.GetRequiredService<IElasticLoadBalancingClient>();

        var error = await Assert.ThrowsAsync<AwsCredentialsException>(() => elb.DescribeLoadBalancersAsync());

        Assert.Contains("shared profile 'dashboard-sso' (Dashboard:Aws:Profile)", error.Message);
        Assert.Contains("aws sso login --profile dashboard-sso", error.Message);
        AssertNoStackTrace(error.Message);
    }

    private ServiceProvider LiveClients(string? profile)
    {
        var endpoint = _sandbox.AwsUri.ToString();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Dashboard:Source"] = "Kubeconfig",
            ["Dashboard:Aws:Region"] = "us-east-1",
            ["Dashboard:Aws:Profile"] = profile,
            ["Dashboard:Aws:Endpoints:ElasticLoadBalancing"] = endpoint,
            ["Dashboard:Aws:Endpoints:CloudWatch"] = endpoint,
            ["Dashboard:Aws:Endpoints:CostExplorer"] = endpoint,
            ["Dashboard:Aws:Retry:MaxAttempts"] = "1",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDashboardAws(configuration);
        var provider = services.BuildServiceProvider();
        Assert.IsType<AwsCredentialChain>(provider.GetRequiredService<Amazon.Runtime.AWSCredentials>());
        return provider;
    }

    private static void AssertNoStackTrace(string message)
    {
        Assert.DoesNotContain("\n", message);
        Assert.DoesNotContain("   at ", message);
        Assert.DoesNotContain("--->", message);
        Assert.DoesNotContain(".cs:line", message);
    }
}
