using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dashboard.Client.Feed;
using Dashboard.Server.Kubernetes;
using Dashboard.Server.Tests.Api;
using Dashboard.Server.Tests.Authentication;
using k8s;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Server.Tests.Changes;

/// <summary>
/// The whole dashboard in-process (Oidc mode with test users) over the embedded sandbox with the seed scenario; the
/// audit trail in this host's own SQLite file. Ready when the inventory lists the seed's Services.
/// </summary>
public class ChangesFixture : IAsyncLifetime
{
    public const string Operator = "Viewer,Operator";
    public const string Viewer = "Viewer";

    private DashboardFactory _factory = null!;

    public HttpClient Client { get; private set; } = null!;

    public IServiceProvider Services => _factory.Services;

    public string StatePath => _factory.StatePath;

    /// <summary>Settings of a derived fixture, laid over these.</summary>
    protected virtual IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>();

    public async Task InitializeAsync()
    {
        _factory = DashboardFactory.WithTestUsers(DashboardFactory.Merge(new Dictionary<string, string?>
        {
            ["Sandbox:LoadScenario"] = "true",
            ["Sandbox:ProvisioningDelay"] = "00:00:00.200",
            ["Dashboard:Aws:Polling:ConfigurationInterval"] = "00:00:01",
            ["Dashboard:Aws:Polling:FastInterval"] = "00:00:01",
            ["Dashboard:Topology:Debounce"] = "00:00:00.050",
            ["Dashboard:Topology:DnsLookups"] = "false",
            ["Dashboard:Api:PermitsPerMinute"] = "100000",
        }, ExtraSettings));
        Client = _factory.CreateNonRedirectingClient();
        var feed = Services.GetRequiredService<IDashboardFeed>();
        await ApiScenarioFixture.WaitUntilAsync(() => Task.FromResult(feed.Services.Snapshot.Any(s => s.Namespace == "mlops" && s.Name == "retail-forecast-service")),
            "the seed's Services in the inventory");
    }

    /// <summary>A KubernetesClient over HTTP to the sandbox API server (what kubectl would see).</summary>
    public Task<IKubernetes> KubernetesAsync() => Services.GetRequiredService<KubernetesConnection>().GetClientAsync(CancellationToken.None);

    /// <summary>POST JSON as a user with <paramref name="roles"/>, with the write header unless <paramref name="header"/> is false.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> PostAsync(string path, object? body, string roles,
        string user = "alice", bool header = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add(TestAuthenticationHandler.RolesHeader, roles);
        request.Headers.Add(TestAuthenticationHandler.UserHeader, user);
        if (header)
        {
            request.Headers.Add("X-Dashboard-Request", "1");
        }
        var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 || !text.TrimStart().StartsWith('{') ? default : JsonDocument.Parse(text).RootElement.Clone(), response);
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path, string roles = Viewer, string? user = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(TestAuthenticationHandler.RolesHeader, roles);
        if (user is not null)
        {
            request.Headers.Add(TestAuthenticationHandler.UserHeader, user);
        }
        var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 || !text.TrimStart().StartsWith('{') ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public Task DisposeAsync()
    {
        Client?.Dispose();
        _factory?.Dispose();
        return Task.CompletedTask;
    }
}
