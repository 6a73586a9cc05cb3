using System.Net;
using Dashboard.Client.Authorization;

namespace Dashboard.Server.Tests.Authentication;

/// <summary>
/// The anonymous routes (the sign-in flow's pages): a bad query value is ignored, not a 500, in both modes; anonymous
/// requests are limited per client address while signed-in users are not counted.
/// </summary>
public sealed class AnonymousRouteTests
{
    [Theory]
    [InlineData("Oidc")]
    [InlineData("Unsecured")]
    public async Task A_bad_failed_value_on_the_signed_out_page_is_ignored(string mode)
    {
        using var factory = mode == "Oidc"
            ? SignInChallengeTests.OidcFactory(new Dictionary<string, string?>())
            : new DashboardFactory(new Dictionary<string, string?> { ["Dashboard:Auth:Mode"] = "Unsecured" });
        using var client = factory.CreateNonRedirectingClient();

        using var bad = await client.GetAsync("/authentication/signed-out?failed=zzz%0d%0aInjected:%20line");
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        var page = await bad.Content.ReadAsStringAsync();
        Assert.Contains("You are signed out", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Injected", page, StringComparison.Ordinal);

        using var failed = await client.GetAsync("/authentication/signed-out?failed=true");
        Assert.Contains("Sign-in did not complete", await failed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anonymous_requests_are_limited_per_address_and_signed_in_users_are_not_counted()
    {
        using var factory = DashboardFactory.WithTestUsers(new Dictionary<string, string?> { ["Dashboard:RateLimiting:AnonymousPermitsPerMinute"] = "3" });
        using var client = factory.CreateNonRedirectingClient();

        var anonymous = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await client.GetAsync(DashboardAuthenticationUrls.SignedOut);
            anonymous.Add(response.StatusCode);
        }
        using var signedIn = await client.GetAsUserAsync(DashboardAuthenticationUrls.AccessDenied, DashboardRoles.Viewer);
        using var health = await client.GetAsync("/healthz/live");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], anonymous);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}
