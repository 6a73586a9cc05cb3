using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Dashboard.Client.Model;
using Dashboard.Server.Api;
using Dashboard.Server.Costs;
using Dashboard.Server.Tests.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Dashboard.Server.Tests.Api;

/// <summary>
/// Scripts with bearer tokens (Oidc mode; the provider's signing key is a test key handed to the bearer handler instead of
/// its discovery document), the per-user rate limit, and the Unsecured mode.
/// </summary>
public sealed class ApiAuthenticationTests : IDisposable
{
    private const string Issuer = "https://idp.example.test";
    private const string Audience = "endpoint-dashboard";
    private static readonly SymmetricSecurityKey ProviderKey = new(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()) { KeyId = "provider" };
    private static readonly SymmetricSecurityKey OtherKey = new(Enumerable.Range(101, 32).Select(i => (byte)i).ToArray()) { KeyId = "provider" };

    private readonly DashboardFactory _factory = new(
        DashboardFactory.Merge(DashboardFactory.OidcSettings, new Dictionary<string, string?>
        {
            ["Dashboard:Auth:Roles:Viewer:0"] = "ops",
            ["Dashboard:Auth:Roles:CostReader:0"] = "finance",
            ["Dashboard:Api:PermitsPerMinute"] = "3",
        }),
        services =>
        {
            services.PostConfigure<JwtBearerOptions>(ApiAuthentication.BearerScheme, options =>
            {
                var configuration = new OpenIdConnectConfiguration { Issuer = Issuer };
                configuration.SigningKeys.Add(ProviderKey);
                options.ConfigurationManager = new FixedConfiguration(configuration);
            });
            services.AddSingleton<ICostReportSource>(new FixedCostReport());
        });

    [Fact]
    public async Task A_token_from_the_provider_is_accepted_and_its_roles_are_mapped()
    {
        using var client = _factory.CreateNonRedirectingClient();

        using var services = await SendAsync(client, "/api/v1/services", Token("viewer-script", ["ops"]));
        using var costs = await SendAsync(client, "/api/v1/costs", Token("viewer-script", ["ops"]));
        using var finance = await SendAsync(client, "/api/v1/costs", Token("finance-script", ["ops", "finance"]));

        Assert.Equal(HttpStatusCode.OK, services.StatusCode);
        Assert.Equal(JsonValueKind.Array, (await JsonAsync(services)).GetProperty("items").ValueKind);
        Assert.Equal(HttpStatusCode.Forbidden, costs.StatusCode);
        Assert.Equal("forbidden", (await JsonAsync(costs)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, finance.StatusCode);
    }

    [Fact]
    public async Task A_dashboard_role_claim_sent_in_the_token_is_not_trusted()
    {
        using var client = _factory.CreateNonRedirectingClient();

        using var response = await SendAsync(client, "/api/v1/costs", Token("forger", ["ops"], forgedRole: "CostReader"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("other-key")]
    [InlineData("other-audience")]
    [InlineData("expired")]
    [InlineData("garbage")]
    [InlineData("none")]
    public async Task Without_valid_credentials_the_answer_is_401_problem_details_with_a_bearer_challenge(string credentials)
    {
        using var client = _factory.CreateNonRedirectingClient();
        var token = credentials switch
        {
            "other-key" => Token("script", ["ops"], key: OtherKey),
            "other-audience" => Token("script", ["ops"], audience: "someone-else"),
            "expired" => Token("script", ["ops"], expires: DateTime.UtcNow.AddMinutes(-10)),
            "garbage" => "not.a.jwt",
            _ => null,
        };

        using var response = await SendAsync(client, "/api/v1/services", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("unauthenticated", (await JsonAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_bearer_token_does_not_sign_anyone_in_to_the_pages()
    {
        using var client = _factory.CreateNonRedirectingClient();

        using var response = await SendAsync(client, "/", Token("script", ["ops"]));

        Assert.True(response.IsRedirectToSignIn(), $"GET / with a bearer token answered {(int)response.StatusCode}");
    }

    [Fact]
    public async Task The_read_api_is_rate_limited_per_user_with_a_429_problem()
    {
        using var client = _factory.CreateNonRedirectingClient();
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 4; i++)
        {
            last?.Dispose();
            last = await SendAsync(client, "/api/v1/services", Token("busy-script", ["ops"]));
            statuses.Add(last.StatusCode);
        }
        using var otherUser = await SendAsync(client, "/api/v1/services", Token("quiet-script", ["ops"]));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.NotNull(last!.Headers.RetryAfter);
        Assert.Equal("rateLimited", (await JsonAsync(last)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, otherUser.StatusCode);
        last.Dispose();
    }

    [Fact]
    public async Task In_the_unsecured_mode_the_api_is_open_like_the_pages()
    {
        using var factory = new DashboardFactory(new Dictionary<string, string?> { ["Dashboard:Auth:Mode"] = "Unsecured" },
            services => services.AddSingleton<ICostReportSource>(new FixedCostReport()));
        using var client = factory.CreateNonRedirectingClient();

        using var services = await client.GetAsync(new Uri("/api/v1/services", UriKind.Relative));
        using var costs = await client.GetAsync(new Uri("/api/v1/costs", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, services.StatusCode);
        Assert.Equal(HttpStatusCode.OK, costs.StatusCode);
    }

    public void Dispose() => _factory.Dispose();

    private static string Token(string subject, string[] roles, SecurityKey? key = null, string audience = Audience, DateTime? expires = null, string? forgedRole = null)
    {
        var claims = new Dictionary<string, object> { ["sub"] = subject, ["name"] = subject, ["roles"] = roles };
        if (forgedRole is not null)
        {
            claims[Dashboard.Client.Authorization.DashboardRoles.ClaimType] = forgedRole;
        }
        var expiry = expires ?? DateTime.UtcNow.AddMinutes(10);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            IssuedAt = expiry.AddMinutes(-20),
            NotBefore = expiry.AddMinutes(-20),
            Expires = expiry,
            Claims = claims,
            SigningCredentials = new SigningCredentials(key ?? ProviderKey, SecurityAlgorithms.HmacSha256),
        });
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return await client.SendAsync(request);
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    /// <summary>The provider's configuration without its discovery document: the issuer and the test signing key.</summary>
    private sealed class FixedConfiguration(OpenIdConnectConfiguration configuration) : IConfigurationManager<OpenIdConnectConfiguration>
    {
        public Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel) => Task.FromResult(configuration);

        public void RequestRefresh()
        {
        }
    }

    private sealed class FixedCostReport : ICostReportSource
    {
        private static readonly CostReport Report = CostReport.Empty with { AsOf = new DateTimeOffset(2025, 6, 11, 10, 30, 0, TimeSpan.Zero), MonthStart = new DateOnly(2025, 6, 1) };

        public Task<CostReport> GetReportAsync(CancellationToken cancellationToken) => Task.FromResult(Report);
    }
}
