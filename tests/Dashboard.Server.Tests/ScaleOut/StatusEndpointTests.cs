using System.Net;
using System.Text.Json;
using Dashboard.Client.Authorization;
using Dashboard.Server.Tests.Authentication;

namespace Dashboard.Server.Tests.ScaleOut;

/// <summary><c>GET /api/v1/status</c> in the whole server (single replica, SQLite): who answers, that it polls, its sources.</summary>
public sealed class StatusEndpointTests : IDisposable
{
    private readonly DashboardFactory _factory = DashboardFactory.WithTestUsers(new Dictionary<string, string?>
    {
        ["Dashboard:Leadership:Identity"] = "replica-under-test",
    });

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task A_viewer_reads_this_replica_its_leadership_and_every_source()
    {
        using var client = _factory.CreateNonRedirectingClient();

        var response = await client.GetAsUserAsync("/api/v1/status", DashboardRoles.Viewer);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = body.RootElement;
        Assert.Equal("replica-under-test", root.GetProperty("replica").GetString());
        Assert.True(root.GetProperty("leader").GetBoolean());
        Assert.Equal("replica-under-test", root.GetProperty("leaseHolder").GetString());
        Assert.Equal("single", root.GetProperty("election").GetString());
        Assert.StartsWith("SQLite ", root.GetProperty("store").GetString(), StringComparison.Ordinal);
        var sources = root.GetProperty("sources").EnumerateArray().ToList();
        Assert.Contains(sources, s => s.GetProperty("name").GetString() == "kubernetes");
        Assert.Contains(sources, s => s.GetProperty("name").GetString() == "aws");
        Assert.All(sources, s => Assert.Contains(s.GetProperty("state").GetString(), new[] { "syncing", "live", "stale" }));
    }

    [Fact]
    public async Task Without_a_role_the_status_is_refused_as_a_problem()
    {
        using var client = _factory.CreateNonRedirectingClient();

        var anonymous = await client.GetAsUserAsync("/api/v1/status", roles: null);
        var roleless = await client.GetAsUserAsync("/api/v1/status", TestAuthenticationHandler.NoRoles);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, roleless.StatusCode);
    }
}
