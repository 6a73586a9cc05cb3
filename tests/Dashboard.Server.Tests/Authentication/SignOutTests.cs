using System.Net;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Dashboard.Server.Tests.Authentication;

/// <summary>Sign-out is a form post with an antiforgery token: without one it is refused and the user stays signed in.</summary>
public sealed class SignOutTests : IClassFixture<SignOutTests.Factory>
{
    private readonly DashboardFactory _factory;

    public SignOutTests(Factory factory) => _factory = factory.Value;

    [Fact]
    public async Task A_signed_in_post_without_an_antiforgery_token_is_refused()
    {
        using var client = _factory.CreateNonRedirectingClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/authentication/sign-out") { Content = new FormUrlEncodedContent([]) };
        request.Headers.Add(TestAuthenticationHandler.RolesHeader, "Viewer");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], cookie => cookie.StartsWith("__Host-dashboard", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_signed_in_post_with_the_token_signs_out_at_the_provider()
    {
        var antiforgery = _factory.Services.GetRequiredService<IAntiforgery>();
        var cookieName = _factory.Services.GetRequiredService<IOptions<AntiforgeryOptions>>().Value.Cookie.Name!;
        var tokens = antiforgery.GetTokens(new DefaultHttpContext { RequestServices = _factory.Services, User = TestAuthenticationHandler.Principal("Viewer") });
        using var client = _factory.CreateNonRedirectingClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/authentication/sign-out")
        {
            Content = new FormUrlEncodedContent([new(tokens.FormFieldName, tokens.RequestToken!)]),
        };
        request.Headers.Add(TestAuthenticationHandler.RolesHeader, "Viewer");
        request.Headers.Add("Cookie", $"{cookieName}={tokens.CookieToken}");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("https://idp.example.test/logout", response.Headers.Location!.GetLeftPart(UriPartial.Path));
    }

    /// <summary>One host for the class: start-up is the slow part.</summary>
    public sealed class Factory : IDisposable
    {
        public DashboardFactory Value { get; } = DashboardFactory.WithTestUsers();

        public void Dispose() => Value.Dispose();
    }
}
