using System.Net;
using Dashboard.Client.Authorization;
using Dashboard.Server.Tests.Authentication;

namespace Dashboard.Server.Tests.Localization;

/// <summary>
/// The language of a viewer: Accept-Language by default, the culture cookie once the user menu's switch was used; the
/// switch comes back to the same URL, follows only local paths and accepts only the supported cultures.
/// </summary>
public sealed class CultureSwitchTests : IDisposable
{
    private readonly DashboardFactory _factory = new(new Dictionary<string, string?> { ["Dashboard:Auth:Mode"] = "Unsecured" });

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task The_switch_sets_the_cookie_and_returns_to_the_same_url()
    {
        using var client = _factory.CreateNonRedirectingClient();

        using var response = await client.GetAsync("/culture?c=vi-VN&redirect=" + Uri.EscapeDataString("/services?namespace=mlops&sort=name"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/services?namespace=mlops&sort=name", response.Headers.Location!.OriginalString);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Culture=", StringComparison.Ordinal));
        Assert.Contains("c%3Dvi-VN%7Cuic%3Dvi-VN", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("//evil.example/x")]
    [InlineData("/\\evil.example")]
    [InlineData("https://evil.example/")]
    public async Task The_switch_never_redirects_off_the_site(string redirect)
    {
        using var client = _factory.CreateNonRedirectingClient();

        using var response = await client.GetAsync("/culture?c=en&redirect=" + Uri.EscapeDataString(redirect));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task An_unknown_culture_is_refused_naming_the_parameter()
    {
        using var client = _factory.CreateNonRedirectingClient();

        using var response = await client.GetAsync("/culture?c=fr-FR&redirect=/");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("'c'", body, StringComparison.Ordinal);
        Assert.Contains("vi-VN", body, StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task A_page_follows_accept_language_and_then_the_cookie()
    {
        using var client = _factory.CreateNonRedirectingClient();

        Assert.Contains("You are signed out", await PageAsync(client, acceptLanguage: null, cookie: null), StringComparison.Ordinal);
        var vietnamese = await PageAsync(client, acceptLanguage: "vi,en;q=0.5", cookie: null);
        Assert.Contains("Bạn đã đăng xuất", vietnamese, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"vi\"", vietnamese, StringComparison.Ordinal);
        // The cookie wins over the browser's language.
        Assert.Contains("You are signed out", await PageAsync(client, acceptLanguage: "vi", cookie: ".AspNetCore.Culture=c%3Den%7Cuic%3Den"), StringComparison.Ordinal);
        Assert.Contains("Bạn đã đăng xuất", await PageAsync(client, acceptLanguage: "en-US", cookie: ".AspNetCore.Culture=c%3Dvi-VN%7Cuic%3Dvi-VN"), StringComparison.Ordinal);
    }

    private static async Task<string> PageAsync(HttpClient client, string? acceptLanguage, string? cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, DashboardAuthenticationUrls.SignedOut);
        if (acceptLanguage is not null)
        {
            request.Headers.Add("Accept-Language", acceptLanguage);
        }
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // Blazor's renderer writes letters outside Basic Latin as character references.
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }
}
