using System.Net;
using System.Text.Json;
using Dashboard.Client.Authorization;
using Dashboard.Sandbox.Cluster.Scenario;
using Dashboard.Sandbox.Kubernetes;
using Dashboard.Server.Tests.Authentication;
using Dashboard.Testing;

namespace Dashboard.Server.Tests.Api;

/// <summary>
/// The whole dashboard in-process (Oidc mode with the test users of <see cref="DashboardFactory.WithTestUsers"/>) over the
/// embedded sandbox with the seed scenario loaded; AWS polling, the topology join and the cost report refreshed every
/// couple of seconds. Ready when every load-balanced object of the scenario owns a balancer in /api/v1/load-balancers and
/// the cost report has a figure for each of those balancers.
/// </summary>
public sealed class ApiScenarioFixture : IAsyncLifetime
{
    public static readonly TimeSpan Bound = Patience.Slowly;

    public const string AllRoles = DashboardRoles.Viewer + "," + DashboardRoles.CostReader;

    private DashboardFactory _factory = null!;

    public HttpClient Client { get; private set; } = null!;

    public IServiceProvider Services => _factory.Services;

    public async Task InitializeAsync()
    {
        _factory = DashboardFactory.WithTestUsers(new Dictionary<string, string?>
        {
            ["Sandbox:LoadScenario"] = "true",
            ["Sandbox:ProvisioningDelay"] = "00:00:00.200",
            ["Dashboard:Aws:Polling:ConfigurationInterval"] = "00:00:02",
            ["Dashboard:Aws:Polling:FastInterval"] = "00:00:02",
            ["Dashboard:Topology:Debounce"] = "00:00:00.050",
            ["Dashboard:Topology:DnsLookups"] = "false",
            ["Dashboard:Costs:BalancerRefresh"] = "00:00:02",
            ["Dashboard:Costs:UsageRefresh"] = "00:00:02",
            ["Dashboard:Api:PermitsPerMinute"] = "100000",
        });
        Client = _factory.CreateNonRedirectingClient();
        await WaitUntilAsync(ScenarioIsServedAsync, "every scenario balancer in /api/v1/load-balancers and /api/v1/costs");
    }

    /// <summary>GET <paramref name="path"/> as a user with <paramref name="roles"/> (null: anonymous); the body parsed as JSON.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> GetAsync(string path, string? roles = AllRoles)
    {
        var response = await Client.GetAsUserAsync(path, roles);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return (response.StatusCode, body, response);
    }

    /// <summary>Every item of a list, page by page (<paramref name="limit"/> rows each), and the number of pages.</summary>
    public async Task<(List<JsonElement> Items, int Pages)> WalkAsync(string path, int limit, string? roles = AllRoles)
    {
        var items = new List<JsonElement>();
        var pages = 0;
        string? token = null;
        do
        {
            var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            var url = $"{path}{separator}limit={limit}" + (token is null ? "" : "&continue=" + Uri.EscapeDataString(token));
            var (status, body, _) = await GetAsync(url, roles);
            Assert.Equal(HttpStatusCode.OK, status);
            var page = body.GetProperty("items").EnumerateArray().ToList();
            Assert.True(page.Count <= limit, $"{url} answered {page.Count} rows for limit {limit}");
            items.AddRange(page);
            token = body.GetProperty("continue").ValueKind == JsonValueKind.Null ? null : body.GetProperty("continue").GetString();
            pages++;
            Assert.True(pages < 1000, "paging does not end");
        }
        while (token is not null);
        return (items, pages);
    }

    public static string OwnerKey(JsonElement owner) =>
        $"{owner.GetProperty("kind").GetString()}/{owner.GetProperty("namespace").GetString()}/{owner.GetProperty("name").GetString()}";

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        using var timeout = new CancellationTokenSource(Bound);
        while (!await condition())
        {
            if (timeout.IsCancellationRequested)
            {
                throw new TimeoutException($"Waited {Bound.TotalSeconds} s for {what}.");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200), CancellationToken.None);
        }
    }

    private async Task<bool> ScenarioIsServedAsync()
    {
        var (lbStatus, balancers, _) = await GetAsync("/api/v1/load-balancers?limit=1000");
        if (lbStatus != HttpStatusCode.OK)
        {
            return false;
        }
        var owners = balancers.GetProperty("items").EnumerateArray()
            .SelectMany(b => b.GetProperty("owners").EnumerateArray()).Select(OwnerKey).ToHashSet(StringComparer.Ordinal);
        var expected = SeedManifests.LoadBalancedObjects
            .Select(o => $"{(o.Type == ResourceTypes.Ingresses ? "Ingress" : "Service")}/{o.Namespace}/{o.Name}");
        if (!expected.All(owners.Contains))
        {
            return false;
        }
        var (costStatus, costs, _) = await GetAsync("/api/v1/costs?limit=1000");
        if (costStatus != HttpStatusCode.OK)
        {
            return false;
        }
        var costed = costs.GetProperty("items").EnumerateArray().Select(b => b.GetProperty("arn").GetString()).ToHashSet(StringComparer.Ordinal);
        return balancers.GetProperty("items").EnumerateArray().All(b => costed.Contains(b.GetProperty("arn").GetString()));
    }

    public Task DisposeAsync()
    {
        Client?.Dispose();
        _factory?.Dispose();
        return Task.CompletedTask;
    }
}
