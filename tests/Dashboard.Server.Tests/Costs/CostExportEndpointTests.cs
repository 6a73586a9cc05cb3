using System.Net;
using Dashboard.Client.Authorization;
using Dashboard.Client.Model;
using Dashboard.Server.Costs;
using Dashboard.Server.Tests.Authentication;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Server.Tests.Costs;

/// <summary>GET /api/cost/export.csv through the whole pipeline: policy, rate limit, content.</summary>
public sealed class CostExportEndpointTests : IDisposable
{
    private static readonly CostReport Report = CostReportBuilder.Build(new CostInputs
    {
        Now = CostFixtures.Now,
        ClusterName = CostFixtures.Cluster,
        Prices = new ElbPrices(),
        Balancers = [CostFixtures.ServiceNlb("mlops", "retail-forecast-nlb")],
    });

    private readonly DashboardFactory _factory = new(
        DashboardFactory.Merge(DashboardFactory.OidcSettings, new Dictionary<string, string?> { ["Dashboard:RateLimiting:ExpensivePermitsPerMinute"] = "2" }),
        services =>
        {
            services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, TestAuthenticationHandler>(TestAuthenticationHandler.SchemeName, _ => { });
            services.PostConfigure<AuthenticationOptions>(options => options.DefaultAuthenticateScheme = TestAuthenticationHandler.SchemeName);
            services.AddSingleton<ICostReportSource>(new FixedCostReport(Report));
        });

    [Fact]
    public async Task A_cost_reader_downloads_the_report_as_csv()
    {
        using var client = _factory.CreateNonRedirectingClient();
        using var response = await client.GetAsUserAsync("/" + DashboardUrls.CostExport, DashboardRoles.CostReader);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("load-balancer-cost-2025-06.csv", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var lines = (await response.Content.ReadAsStringAsync()).Split(["\r\n", "\n"], StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(',', CostCsv.Header), lines[0]);
        Assert.StartsWith("2025-06-11T10:30:00Z,k8s-mlops-retail-forecast-nlb,network,", Assert.Single(lines.Skip(1)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DashboardRoles.Viewer)]
    [InlineData(DashboardRoles.Operator)]
    public async Task Other_roles_are_refused(string role)
    {
        using var client = _factory.CreateNonRedirectingClient();
        using var response = await client.GetAsUserAsync("/" + DashboardUrls.CostExport, role);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task The_export_is_rate_limited_per_user()
    {
        using var client = _factory.CreateNonRedirectingClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await client.GetAsUserAsync("/" + DashboardUrls.CostExport, DashboardRoles.CostReader);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Anonymous_requests_are_refused_before_they_count_against_anyone()
    {
        using var client = _factory.CreateNonRedirectingClient();
        for (var i = 0; i < 10; i++)
        {
            using var anonymous = await client.GetAsync("/" + DashboardUrls.CostExport);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        // Same client address (the test server's), budget of 2: untouched by the ten anonymous requests.
        using var first = await client.GetAsUserAsync("/" + DashboardUrls.CostExport, DashboardRoles.CostReader);
        using var second = await client.GetAsUserAsync("/" + DashboardUrls.CostExport, DashboardRoles.CostReader);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
    }

    [Fact]
    public async Task Two_users_on_one_address_have_a_budget_each()
    {
        using var client = _factory.CreateNonRedirectingClient();
        var alice = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await SendAsAsync(client, "alice");
            alice.Add(response.StatusCode);
        }
        using var bob = await SendAsAsync(client, "bob");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], alice);
        Assert.Equal(HttpStatusCode.OK, bob.StatusCode);
    }

    private static async Task<HttpResponseMessage> SendAsAsync(HttpClient client, string user)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/" + DashboardUrls.CostExport);
        request.Headers.Add(TestAuthenticationHandler.RolesHeader, DashboardRoles.CostReader);
        request.Headers.Add(TestAuthenticationHandler.UserHeader, user);
        return await client.SendAsync(request);
    }

    public void Dispose() => _factory.Dispose();

    private sealed class FixedCostReport(CostReport report) : ICostReportSource
    {
        public Task<CostReport> GetReportAsync(CancellationToken cancellationToken) => Task.FromResult(report);
    }
}
