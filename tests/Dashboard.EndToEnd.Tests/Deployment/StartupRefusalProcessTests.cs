using Dashboard.EndToEnd.Tests.Infrastructure;

namespace Dashboard.EndToEnd.Tests.Deployment;

/// <summary>The real process refuses a bad configuration with one message listing every section, and exit code 1.</summary>
public sealed class StartupRefusalProcessTests
{
    [Fact]
    public async Task A_bad_configuration_ends_the_process_with_every_problem_and_no_stack_trace()
    {
        var workingDirectory = Directory.CreateTempSubdirectory("dashboard-refusal-").FullName;
        var run = await ProcessRun.RunAsync("dotnet", [RepositoryPaths.ServerDll, "--urls", "http://127.0.0.1:0"], workingDirectory, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Dashboard__Auth__Mode"] = "Oidc",
            ["Dashboard__Auth__Oidc__Authority"] = "https://idp.example.test",
            ["Dashboard__Auth__CookieSecurePolicy"] = "None",
            ["Sandbox__AwsUrl"] = "http://0.0.0.0:4566",
        }, TimeSpan.FromMinutes(2));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("The dashboard cannot start:", run.Output, StringComparison.Ordinal);
        Assert.Contains("Dashboard:Auth:Oidc:ClientId is not set", run.Output, StringComparison.Ordinal);
        Assert.Contains("Dashboard:Auth:CookieSecurePolicy is None", run.Output, StringComparison.Ordinal);
        Assert.Contains("Sandbox:AwsUrl: 'http://0.0.0.0:4566' is not a loopback address", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Output, StringComparison.Ordinal);
    }
}
