using System.Reflection;
using Dashboard.Client.Authorization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Server.Tests.Authentication;

/// <summary>Default deny: every routable page and every mapped endpoint names a policy, or is one of the few anonymous ones.</summary>
public sealed class PolicyCoverageTests : IClassFixture<PolicyCoverageTests.Factory>
{
    /// <summary>The sign-in flow's pages: the only anonymous pages.</summary>
    private static readonly HashSet<string> AnonymousPages = [DashboardAuthenticationUrls.SignedOut, DashboardAuthenticationUrls.AccessDenied];

    /// <summary>
    /// Health endpoints, the sign-in flow and the language switch (the sign-in pages offer it; it only sets the culture
    /// cookie and redirects to a local path): the only anonymous endpoints besides public static files.
    /// </summary>
    private static readonly HashSet<string> AnonymousEndpoints =
        ["/healthz/live", "/healthz/ready", DashboardAuthenticationUrls.SignIn, "/culture", .. AnonymousPages];

    private readonly Factory _factory;

    public PolicyCoverageTests(Factory factory) => _factory = factory;

    public sealed class Factory() : DashboardFactoryFixture(DashboardFactory.OidcSettings);

    public static TheoryData<string> RoutablePages()
    {
        var data = new TheoryData<string>();
        foreach (var page in PageRoutes())
        {
            data.Add(page.Template);
        }
        return data;
    }

    [Fact]
    public void The_client_assembly_has_routable_pages()
    {
        Assert.Contains(PageRoutes(), page => page.Template == "/");
    }

    [Theory]
    [MemberData(nameof(RoutablePages))]
    public void Every_routable_page_names_a_dashboard_policy_or_is_part_of_the_sign_in_flow(string template)
    {
        var page = PageRoutes().Single(page => page.Template == template);
        var authorize = page.Type.GetCustomAttributes<AuthorizeAttribute>(inherit: true).ToList();
        var anonymous = page.Type.GetCustomAttributes<AllowAnonymousAttribute>(inherit: true).Any();
        if (anonymous)
        {
            Assert.True(AnonymousPages.Contains(template), $"{page.Type.Name} ({template}) allows anonymous access; only the sign-in flow's pages may. Add @attribute [Authorize(Policy = DashboardPolicies.Viewer)] (or the policy it needs).");
            return;
        }
        Assert.True(authorize.Count > 0, $"{page.Type.Name} ({template}) names no policy. Add @attribute [Authorize(Policy = DashboardPolicies.Viewer)] (or CostReader, Operator).");
        foreach (var attribute in authorize)
        {
            Assert.True(DashboardPolicies.All.Contains(attribute.Policy), $"{page.Type.Name} ({template}) uses [Authorize] without a dashboard policy (Policy='{attribute.Policy}', Roles='{attribute.Roles}'). Name one of {string.Join(", ", DashboardPolicies.All)}.");
        }
    }

    [Fact]
    public void Every_mapped_endpoint_names_a_dashboard_policy_or_is_anonymous_by_design()
    {
        var endpoints = _factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.NotEmpty(endpoints);
        var problems = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var route = "/" + (endpoint.RoutePattern.RawText ?? string.Empty).TrimStart('/');
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            if (anonymous)
            {
                if (!AnonymousEndpoints.Contains(route) && !IsPublicStaticFile(endpoint, route))
                {
                    problems.Add($"{route} ({endpoint.DisplayName}) allows anonymous access");
                }
                continue;
            }
            if (IsDevelopmentStaticFileFallback(route))
            {
                continue;
            }
            var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(data => data.Policy).ToList();
            if (policies.Count == 0 || policies.Any(policy => !DashboardPolicies.All.Contains(policy)))
            {
                problems.Add($"{route} ({endpoint.DisplayName}) names no dashboard policy");
            }
        }
        Assert.True(problems.Count == 0, "Endpoints without a policy (add RequireAuthorization(DashboardPolicies.X)):" + Environment.NewLine + string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void The_health_and_sign_in_endpoints_are_mapped_and_anonymous()
    {
        var endpoints = _factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        foreach (var route in new[] { "/healthz/live", "/healthz/ready", DashboardAuthenticationUrls.SignIn })
        {
            var endpoint = Assert.Single(endpoints, endpoint => "/" + endpoint.RoutePattern.RawText?.TrimStart('/') == route);
            Assert.NotNull(endpoint.Metadata.GetMetadata<IAllowAnonymous>());
        }
    }

    /// <summary>CSS, scripts and fonts from MapStaticAssets or the framework script: public by nature, never data.</summary>
    private static bool IsPublicStaticFile(RouteEndpoint endpoint, string route) =>
        route.StartsWith("/_framework/", StringComparison.Ordinal)
        || endpoint.Metadata.Any(metadata => metadata.GetType().FullName == "Microsoft.AspNetCore.StaticAssets.StaticAssetDescriptor");

    /// <summary>
    /// MapStaticAssets adds, in Development only, a fallback that serves wwwroot files missing from the build manifest.
    /// Its conventions are not applied, so it falls under the fallback policy (signed-in user), which is the safe side.
    /// </summary>
    private static bool IsDevelopmentStaticFileFallback(string route) => route == "/{**path:file}";

    private static IEnumerable<(string Template, Type Type)> PageRoutes() =>
        typeof(DashboardPolicies).Assembly.GetTypes()
            .Where(type => typeof(IComponent).IsAssignableFrom(type))
            .SelectMany(type => type.GetCustomAttributes<RouteAttribute>().Select(route => (route.Template, type)));
}

/// <summary>A shared <see cref="DashboardFactory"/> for a test class.</summary>
public abstract class DashboardFactoryFixture(IReadOnlyDictionary<string, string?> settings) : IDisposable
{
    private readonly DashboardFactory _factory = new(settings);

    public IServiceProvider Services => _factory.Services;

    public void Dispose()
    {
        _factory.Dispose();
        GC.SuppressFinalize(this);
    }
}
