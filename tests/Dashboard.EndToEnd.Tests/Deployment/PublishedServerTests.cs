using System.Net;
using Dashboard.EndToEnd.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using Dashboard.Testing;

namespace Dashboard.EndToEnd.Tests.Deployment;

/// <summary>
/// What the container image would run, run here: the output of the Dockerfile's publish command, started with the image's
/// environment (the source switched to the sandbox, since no cluster is reachable), and its refusal of a bad setting.
/// </summary>
public sealed class PublishedServerTests(PublishedServer published) : IClassFixture<PublishedServer>
{
    private static readonly TimeSpan Timeout = Patience.Slowly;

    [Fact]
    public async Task The_published_output_starts_with_the_images_environment_and_serves_health_and_the_services_page()
    {
        Assert.Contains("-c Release", published.PublishCommand, StringComparison.Ordinal);
        Assert.True(File.Exists(published.EntryPointDll), $"The ENTRYPOINT's {published.EntryPointDll} was not published.");
        // The one configuration file travels with the server.
        Assert.True(File.Exists(Path.Combine(published.PublishDirectory, "appsettings.json")), "appsettings.json is not in the published output.");

        var environment = new Dictionary<string, string>(published.Dockerfile.Final.Environment(), StringComparer.Ordinal)
        {
            ["Dashboard__Source"] = "Sandbox",
        };
        Assert.Equal("Production", environment["ASPNETCORE_ENVIRONMENT"]);
        await using var server = await DashboardProcess.StartAsync(environment, published.EntryPointDll);

        using var http = new HttpClient { BaseAddress = server.BaseUri, Timeout = Timeout };
        var live = await http.GetAsync("/healthz/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("Healthy", await live.Content.ReadAsStringAsync());

        var (playwright, browser) = await Browser.LaunchAsync();
        using (playwright)
        await using (browser)
        {
            var page = await browser.NewPageAsync(new() { BaseURL = server.BaseUri.ToString() });
            page.SetDefaultTimeout((float)Timeout.TotalMilliseconds);
            var response = await page.GotoAsync("/services");
            Assert.Equal((int)HttpStatusCode.OK, response!.Status);
            await Expect(page.Locator("h1")).ToHaveTextAsync("Services");
            await Expect(page.Locator("[role=grid] [data-key='mlops/retail-forecast-service']")).ToBeVisibleAsync();
            await page.Locator("[data-list-grid][data-keys-installed]").WaitForAsync();
        }
    }

    [Fact]
    public async Task Start_up_refuses_bad_configuration_values_naming_each_key()
    {
        var workingDirectory = Directory.CreateTempSubdirectory("dashboard-badconfig-").FullName;
        try
        {
            var environment = new Dictionary<string, string>(published.Dockerfile.Final.Environment(), StringComparer.Ordinal)
            {
                ["Dashboard__Source"] = "Nope",
                ["Dashboard__Kubernetes__ListPageSize"] = "0",
            };
            var run = await ProcessRun.RunAsync("dotnet", [published.EntryPointDll, "--urls", "http://127.0.0.1:0"],
                workingDirectory, environment, Timeout);

            Assert.NotEqual(0, run.ExitCode);
            Assert.Contains("Dashboard:Source: 'Nope' is not a Kubernetes source. Use one of: Sandbox, Kubeconfig, InCluster.", run.Output, StringComparison.Ordinal);
            Assert.Contains("Dashboard:Kubernetes:ListPageSize: must be between 1 and 10000 (got 0)", run.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("Now listening on", run.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(workingDirectory, recursive: true);
        }
    }
}
