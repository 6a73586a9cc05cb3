using System.Net;
using System.Reflection;
using Dashboard.Client.Authorization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;

namespace Dashboard.Server.Tests.Authentication;

/// <summary>
/// Every role × every parameterless page and HTTP endpoint: allowed, 403 with the access-denied page, or a redirect to
/// sign-in. Users come from a test authentication scheme; the rest of the pipeline (cookie challenge, forbid, status
/// code re-execution) is the product's.
/// </summary>
public sealed class AuthorizationMatrixTests : IDisposable
{
    private readonly DashboardFactory _factory = DashboardFactory.WithTestUsers();

    /// <summary>The users of the matrix: null is anonymous, "none" is signed in without a role.</summary>
    public static readonly string?[] Users = [null, TestAuthenticationHandler.NoRoles, DashboardRoles.Viewer, DashboardRoles.CostReader, DashboardRoles.Operator, "Viewer,CostReader"];

    /// <summary>Which roles satisfy each policy (the product's policies, restated independently).</summary>
    private static readonly Dictionary<string, string[]> PolicyRoles = new()
    {
        [DashboardPolicies.Viewer] = [DashboardRoles.Viewer, DashboardRoles.Operator],
        [DashboardPolicies.CostReader] = [DashboardRoles.CostReader],
        [DashboardPolicies.Operator] = [DashboardRoles.Operator],
        [DashboardPolicies.SignedIn] = [],
    };

    public static TheoryData<string, string?> PageMatrix()
    {
        var data = new TheoryData<string, string?>();
        foreach (var (template, _) in ParameterlessPages())
        {
            foreach (var user in Users)
            {
                data.Add(template, user);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(PageMatrix))]
    public async Task Page_answers_by_policy(string template, string? user)
    {
        var (_, type) = ParameterlessPages().Single(page => page.Template == template);
        using var client = _factory.CreateNonRedirectingClient();
        using var response = await client.GetAsUserAsync(template, user);

        var expected = Expect(type, user);
        switch (expected)
        {
            case Outcome.SignIn:
                Assert.True(response.IsRedirectToSignIn(), $"{template} as anonymous: expected a redirect to sign-in, got {(int)response.StatusCode} {response.Headers.Location}");
                Assert.Contains("returnUrl=" + Uri.EscapeDataString(template), response.Headers.Location!.OriginalString, StringComparison.Ordinal);
                break;
            case Outcome.Forbidden:
                Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
                Assert.Contains("Access denied", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
                break;
            case Outcome.Allowed:
                Assert.False(response.IsRedirectToSignIn(), $"{template} as '{user}' was sent to sign-in");
                // Allowed means the page renders (a page that throws answers 500), or sends the user on within the app.
                var renders = response.StatusCode == HttpStatusCode.OK;
                var location = response.Headers.Location;
                var localRedirect = (int)response.StatusCode is >= 300 and < 400 && location is not null
                    && (!location.IsAbsoluteUri || location.Host == "localhost") && !response.IsRedirectToSignIn();
                Assert.True(renders || localRedirect, $"{template} as '{user}': expected the page (200) or a local redirect, got {(int)response.StatusCode} {response.Headers.Location}");
                break;
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData(TestAuthenticationHandler.NoRoles)]
    [InlineData("Viewer")]
    public async Task Health_endpoints_are_anonymous(string? user)
    {
        using var client = _factory.CreateNonRedirectingClient();
        foreach (var path in new[] { "/healthz/live", "/healthz/ready" })
        {
            using var response = await client.GetAsUserAsync(path, user);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Blazor_hub_requires_a_signed_in_user_and_answers_401_not_a_redirect()
    {
        using var client = _factory.CreateNonRedirectingClient();
        using var anonymous = await client.PostAsync("/_blazor/negotiate?negotiateVersion=1", null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
        request.Headers.Add(TestAuthenticationHandler.RolesHeader, "Viewer");
        using var signedIn = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
    }

    [Fact]
    public async Task Sign_out_requires_a_signed_in_user()
    {
        using var client = _factory.CreateNonRedirectingClient();
        using var response = await client.PostAsync("/authentication/sign-out", null);
        Assert.True(response.IsRedirectToSignIn(), $"got {(int)response.StatusCode}");
    }

    [Fact]
    public void The_matrix_covers_the_home_and_cost_pages()
    {
        var templates = ParameterlessPages().Select(page => page.Template).ToList();
        Assert.Contains("/", templates);
        Assert.Contains("/cost", templates);
    }

    public void Dispose() => _factory.Dispose();

    private enum Outcome { Allowed, Forbidden, SignIn }

    private static Outcome Expect(Type page, string? user)
    {
        if (page.GetCustomAttribute<AllowAnonymousAttribute>() is not null)
        {
            return Outcome.Allowed;
        }
        if (user is null)
        {
            return Outcome.SignIn;
        }
        var roles = user.Split(',', StringSplitOptions.RemoveEmptyEntries).Where(role => role != TestAuthenticationHandler.NoRoles).ToArray();
        var policies = page.GetCustomAttributes<AuthorizeAttribute>().Select(attribute => attribute.Policy ?? DashboardPolicies.SignedIn);
        return policies.All(policy => PolicyRoles[policy].Length == 0 || PolicyRoles[policy].Intersect(roles).Any())
            ? Outcome.Allowed
            : Outcome.Forbidden;
    }

    private static IEnumerable<(string Template, Type Type)> ParameterlessPages() =>
        typeof(DashboardPolicies).Assembly.GetTypes()
            .Where(type => typeof(IComponent).IsAssignableFrom(type))
            .SelectMany(type => type.GetCustomAttributes<RouteAttribute>().Select(route => (route.Template, type)))
            .Where(page => !page.Template.Contains('{', StringComparison.Ordinal));
}
