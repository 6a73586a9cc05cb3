namespace Dashboard.Server.Authentication;

/// <summary>Sign-in, roles and policies (Dashboard:Auth).</summary>
public static class AuthenticationExtensions
{
    public static WebApplicationBuilder AddDashboardAuthentication(this WebApplicationBuilder builder) => builder;

    public static WebApplication UseDashboardAuthentication(this WebApplication app) => app;
}
