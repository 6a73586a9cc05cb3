using System.Net.Http.Json;
using System.Text.Json;
using Dashboard.EndToEnd.Tests.Infrastructure;
using Dashboard.Sandbox;
using Dashboard.Testing;
using Microsoft.Playwright;

namespace Dashboard.EndToEnd.Tests.Fidelity;

/// <summary>
/// The dashboard pointed at a cluster and an AWS region the way an operator points it at real ones: a kubeconfig whose
/// context is the sandbox's read-only user <c>sandbox-viewer</c> (reached by impersonation, <c>as:</c> in the kubeconfig,
/// which the dashboard must honour as kubectl does), and <c>Dashboard:Aws:Region</c> = the sandbox's second region
/// (eu-west-1) through <c>Dashboard:Aws:Endpoints:*</c>. The viewer may not list Nodes or IngressClasses (ClusterRole
/// <c>view</c>); the page must say so with the cluster's own words — which user, which verb, which resource — never a
/// blank list or a bare "HTTP 403"; the chips say which context and which region the data comes from.
/// </summary>
public sealed class LimitedUserTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = Patience.Slowly;
    private readonly string _directory = Directory.CreateTempSubdirectory("limited-user-").FullName;
    private SandboxHost _sandbox = null!;
    private DashboardProcess _server = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxHost.StartAsync(new SandboxOptions
        {
            KubernetesUrl = "http://127.0.0.1:0", AwsUrl = "http://127.0.0.1:0", LoadScenario = false, SecondRegion = "eu-west-1",
        }, loggerFactory: null, CancellationToken.None);
        var kubeconfig = _sandbox.WriteKubeconfig(Path.Combine(_directory, "kubeconfig"));
        var aws = _sandbox.AwsUri.ToString().TrimEnd('/');
        var environment = new Dictionary<string, string>
        {
            ["Dashboard__Source"] = "Kubeconfig",
            ["Dashboard__Kubeconfig__Path"] = kubeconfig,
            ["Dashboard__Kubeconfig__Context"] = "sandbox-viewer",
            ["Dashboard__Aws__Region"] = "eu-west-1",
            ["AWS_ACCESS_KEY_ID"] = "sandbox",
            ["AWS_SECRET_ACCESS_KEY"] = "sandbox",
        };
        foreach (var service in new[] { "ElasticLoadBalancing", "CloudWatch", "CostExplorer", "Ec2", "CertificateManager", "Wafv2" })
        {
            environment[$"Dashboard__Aws__Endpoints__{service}"] = aws;
        }
        _server = await DashboardProcess.StartAsync(environment);
        (_playwright, _browser) = await Browser.LaunchAsync();
    }

    [Fact]
    public async Task A_read_only_context_shows_which_permission_is_missing_and_the_region_read()
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = _server.BaseUri.ToString(),
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout((float)Timeout.TotalMilliseconds);
        await page.GotoAsync("/ingresses");

        var kubernetes = page.Locator(".source-chip[data-source=kubernetes]");
        var banner = page.Locator(".staleness-banner[data-source=kubernetes]");
        var aws = page.Locator(".source-chip[data-source=aws]");
        await Assertions.Expect(kubernetes).ToContainTextAsync("Kubernetes API (sandbox-viewer)");
        await Assertions.Expect(kubernetes).ToHaveAttributeAsync("data-state", "Stale");
        // The cluster's Forbidden, as RBAC words it: user, verb, resource, scope.
        await Assertions.Expect(banner).ToContainTextAsync("not allowed to read");
        await Assertions.Expect(banner).ToContainTextAsync("User \"sandbox-viewer\" cannot list resource");
        await Assertions.Expect(banner).ToContainTextAsync("at the cluster scope");
        await Assertions.Expect(aws).ToContainTextAsync("AWS (eu-west-1)");
        await Assertions.Expect(aws).ToHaveAttributeAsync("data-state", "Live");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", "limited-user-ingresses.png") });

        // The API says the same: which context, which region, and the missing permission.
        using var http = new HttpClient { BaseAddress = _server.BaseUri };
        var status = await http.GetFromJsonAsync<JsonElement>("/api/v1/status");
        var sources = status.GetProperty("sources").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!);
        Assert.Equal("sandbox-viewer", sources["kubernetes"].GetProperty("scope").GetString());
        Assert.Contains("cannot list resource", sources["kubernetes"].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("eu-west-1", sources["aws"].GetProperty("scope").GetString());
        // The Forbidden above proves the requests were the viewer's: without the impersonation header the sandbox takes a
        // request without credentials as its admin, who may list everything.
        Assert.DoesNotContain(_server.Output, line => line.Contains("Unhandled exception", StringComparison.OrdinalIgnoreCase));
        await context.CloseAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
        if (_sandbox is not null)
        {
            await _sandbox.DisposeAsync();
        }
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }
}
