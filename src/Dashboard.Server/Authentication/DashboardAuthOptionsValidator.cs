using System.Net;
using Dashboard.Server.Authentication.Sessions;
using Dashboard.Client.Authorization;

namespace Dashboard.Server.Authentication;

/// <summary>
/// The one validator of the security settings: collects every error, each naming its configuration key and the fix,
/// so start-up fails once with the whole list.
/// </summary>
public static class DashboardAuthOptionsValidator
{
    private static readonly string ModeKey = $"{DashboardAuthOptions.SectionName}:Mode";

    public static IReadOnlyList<string> Validate(
        DashboardAuthOptions auth,
        DashboardForwardedHeadersOptions forwardedHeaders,
        DashboardRateLimitingOptions rateLimiting,
        IReadOnlyList<ListeningUrl> configuredUrls,
        DashboardStateOptions? state = null)
    {
        ArgumentNullException.ThrowIfNull(auth);
        ArgumentNullException.ThrowIfNull(forwardedHeaders);
        ArgumentNullException.ThrowIfNull(rateLimiting);
        ArgumentNullException.ThrowIfNull(configuredUrls);

        var errors = new List<string>();
        var modes = string.Join(", ", Enum.GetNames<DashboardAuthMode>());
        if (string.IsNullOrWhiteSpace(auth.Mode))
        {
            errors.Add($"{ModeKey} is not set. Set it to one of: {modes} (Unsecured only for a dashboard listening on loopback).");
        }
        else if (!Enum.TryParse<DashboardAuthMode>(auth.Mode, ignoreCase: true, out var mode) || !Enum.IsDefined(mode) || int.TryParse(auth.Mode, out _))
        {
            errors.Add($"{ModeKey} is '{auth.Mode}', which is not a mode. Set it to one of: {modes}.");
        }
        else
        {
            switch (mode)
            {
                case DashboardAuthMode.Unsecured:
                    ValidateUnsecured(auth.Unsecured, configuredUrls, errors);
                    break;
                case DashboardAuthMode.EntraId:
                    ValidateEntraId(auth.EntraId, errors);
                    break;
                case DashboardAuthMode.Oidc:
                    ValidateOidc(auth.Oidc, errors);
                    break;
            }
            if (mode != DashboardAuthMode.Unsecured)
            {
                ValidateRoleMapping(auth.Roles, errors);
                ValidateCookieSecurePolicy(auth.CookieSecurePolicy, forwardedHeaders, configuredUrls, errors);
            }
        }

        if (auth.SessionLifetime <= TimeSpan.Zero)
        {
            errors.Add($"{DashboardAuthOptions.SectionName}:SessionLifetime must be positive, e.g. 08:00:00.");
        }
        if (auth.SessionRevalidationInterval <= TimeSpan.Zero)
        {
            errors.Add($"{DashboardAuthOptions.SectionName}:SessionRevalidationInterval must be positive, e.g. 00:00:30.");
        }
        ValidateForwardedHeaders(forwardedHeaders, errors);
        ValidateState(state ?? new DashboardStateOptions(), errors);
        if (rateLimiting.SignInPermitsPerMinute < 1)
        {
            errors.Add($"{DashboardRateLimitingOptions.SectionName}:SignInPermitsPerMinute must be at least 1.");
        }
        if (rateLimiting.AnonymousPermitsPerMinute < 1)
        {
            errors.Add($"{DashboardRateLimitingOptions.SectionName}:AnonymousPermitsPerMinute must be at least 1.");
        }
        if (rateLimiting.ExpensivePermitsPerMinute < 1)
        {
            errors.Add($"{DashboardRateLimitingOptions.SectionName}:ExpensivePermitsPerMinute must be at least 1.");
        }
        return errors;
    }

    /// <summary>The refusal message for a dashboard in the Unsecured mode that listens on <paramref name="address"/>.</summary>
    public static string NonLoopbackMessage(string address, string source) =>
        $"{ModeKey} is Unsecured, but the dashboard listens on {address} ({source}), which is not a loopback address. " +
        $"Either listen only on loopback (for example set ASPNETCORE_URLS or 'urls' to http://127.0.0.1:5000), " +
        $"or set {ModeKey} to EntraId or Oidc and configure sign-in.";

    private static void ValidateUnsecured(UnsecuredAuthOptions unsecured, IReadOnlyList<ListeningUrl> urls, List<string> errors)
    {
        var section = $"{DashboardAuthOptions.SectionName}:Unsecured";
        if (string.IsNullOrWhiteSpace(unsecured.UserName))
        {
            errors.Add($"{section}:UserName is empty. Set the local user's name, e.g. local-user.");
        }
        foreach (var role in unsecured.Roles.Where(role => !DashboardRoles.All.Contains(role)))
        {
            errors.Add($"{section}:Roles contains '{role}', which is not a role. Use {string.Join(", ", DashboardRoles.All)}.");
        }
        foreach (var url in urls.Where(url => !url.IsLoopback))
        {
            errors.Add(NonLoopbackMessage(url.Address, url.Source));
        }
    }

    private static void ValidateEntraId(EntraIdAuthOptions entra, List<string> errors)
    {
        var section = $"{DashboardAuthOptions.SectionName}:EntraId";
        RequireHttpsUrl(entra.Instance, $"{section}:Instance", "https://login.microsoftonline.com/", errors);
        Require(entra.TenantId, $"{section}:TenantId", "the directory (tenant) id of the app registration", errors);
        Require(entra.ClientId, $"{section}:ClientId", "the application (client) id of the app registration", errors);
        Require(entra.ClientSecret, $"{section}:ClientSecret", "a client secret of the app registration (from a Kubernetes Secret mounted as an environment variable, Dashboard__Auth__EntraId__ClientSecret)", errors);
        RequirePath(entra.CallbackPath, $"{section}:CallbackPath", errors);
        RequirePath(entra.SignedOutCallbackPath, $"{section}:SignedOutCallbackPath", errors);
    }

    private static void ValidateOidc(OidcAuthOptions oidc, List<string> errors)
    {
        var section = $"{DashboardAuthOptions.SectionName}:Oidc";
        if (string.IsNullOrWhiteSpace(oidc.Authority))
        {
            errors.Add($"{section}:Authority is not set. Set the provider's issuer URL, e.g. https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf.");
        }
        else if (!Uri.TryCreate(oidc.Authority, UriKind.Absolute, out var authority) || (authority.Scheme != Uri.UriSchemeHttps && authority.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add($"{section}:Authority '{oidc.Authority}' is not an absolute http(s) URL. Set the provider's issuer URL.");
        }
        else if (authority.Scheme != Uri.UriSchemeHttps && oidc.RequireHttpsMetadata)
        {
            errors.Add($"{section}:Authority '{oidc.Authority}' is not HTTPS. Use the provider's HTTPS issuer URL (or, for a local test provider only, set {section}:RequireHttpsMetadata to false).");
        }
        Require(oidc.ClientId, $"{section}:ClientId", "the client (application) id registered at the provider", errors);
        Require(oidc.ClientSecret, $"{section}:ClientSecret", "the client secret registered at the provider (from a Kubernetes Secret, Dashboard__Auth__Oidc__ClientSecret)", errors);
        if (string.IsNullOrWhiteSpace(oidc.RoleClaim) && string.IsNullOrWhiteSpace(oidc.GroupsClaim))
        {
            errors.Add($"{section}:RoleClaim and {section}:GroupsClaim are both empty, so nobody could get a role. Set at least one, e.g. RoleClaim=roles or GroupsClaim=cognito:groups.");
        }
        if (string.IsNullOrWhiteSpace(oidc.NameClaim))
        {
            errors.Add($"{section}:NameClaim is empty. Set the claim shown as the user's name, e.g. name or email.");
        }
        foreach (var scope in oidc.Scopes.Where(scope => string.IsNullOrWhiteSpace(scope) || scope.Contains(' ', StringComparison.Ordinal)))
        {
            errors.Add($"{section}:Scopes contains '{scope}'. List one scope per entry, without spaces.");
        }
        RequirePath(oidc.CallbackPath, $"{section}:CallbackPath", errors);
        RequirePath(oidc.SignedOutCallbackPath, $"{section}:SignedOutCallbackPath", errors);
    }

    /// <summary>
    /// The session cookie is named <c>__Host-dashboard</c>, which browsers accept only when it is Secure: a policy that
    /// can leave it without the flag makes sign-in loop until the browser gives up.
    /// </summary>
    private static void ValidateCookieSecurePolicy(CookieSecurePolicy policy, DashboardForwardedHeadersOptions forwardedHeaders, IReadOnlyList<ListeningUrl> urls, List<string> errors)
    {
        var key = $"{DashboardAuthOptions.SectionName}:CookieSecurePolicy";
        switch (policy)
        {
            case CookieSecurePolicy.Always:
                return;
            case CookieSecurePolicy.None:
                errors.Add($"{key} is None, but the session cookie __Host-dashboard must be Secure or browsers drop it and sign-in loops. Set {key} to Always (the default).");
                return;
            case CookieSecurePolicy.SameAsRequest:
                // Secure only on HTTPS requests: the dashboard must see HTTPS, either on its own listener or through a
                // trusted proxy's X-Forwarded-Proto. Behind a TLS-terminating proxy that is not trusted every request
                // looks like HTTP, the cookie is not Secure, and sign-in loops.
                var servesHttps = urls.Any(url => url.Address.StartsWith("https://", StringComparison.OrdinalIgnoreCase));
                if (!servesHttps && !forwardedHeaders.IsEnabled)
                {
                    errors.Add(
                        $"{key} is SameAsRequest, but the dashboard listens only on HTTP and trusts no proxy's X-Forwarded-Proto " +
                        $"({DashboardForwardedHeadersOptions.SectionName}:KnownProxies and KnownNetworks are empty), so the session cookie " +
                        $"__Host-dashboard would never be Secure and sign-in would loop. Set {key} to Always (the default), or list the " +
                        $"TLS-terminating proxy in {DashboardForwardedHeadersOptions.SectionName}:KnownNetworks.");
                }
                return;
            default:
                errors.Add($"{key} is '{policy}', which is not a policy. Set it to Always.");
                return;
        }
    }

    private static void ValidateState(DashboardStateOptions state, List<string> errors)
    {
        var key = $"{DashboardStateOptions.SectionName}:PostgresConnectionString";
        if (string.IsNullOrWhiteSpace(state.PostgresConnectionString))
        {
            return;
        }
        try
        {
            // The value is never echoed: it usually holds a password.
            if (string.IsNullOrWhiteSpace(new Npgsql.NpgsqlConnectionStringBuilder(state.PostgresConnectionString).Host))
            {
                errors.Add($"{key} names no Host. Set it to e.g. Host=dashboard-db;Database=dashboard;Username=dashboard (password from a Secret).");
            }
        }
        catch (ArgumentException)
        {
            errors.Add($"{key} is not a valid connection string. Set it to e.g. Host=dashboard-db;Database=dashboard;Username=dashboard (password from a Secret).");
        }
    }

    private static void ValidateRoleMapping(RoleMappingOptions roles, List<string> errors)
    {
        foreach (var role in DashboardRoles.All)
        {
            if (roles.ValuesFor(role).Any(string.IsNullOrWhiteSpace))
            {
                errors.Add($"{DashboardAuthOptions.SectionName}:Roles:{role} contains an empty value. List the role or group values that grant {role}.");
            }
        }
    }

    private static void ValidateForwardedHeaders(DashboardForwardedHeadersOptions options, List<string> errors)
    {
        var section = DashboardForwardedHeadersOptions.SectionName;
        foreach (var proxy in options.KnownProxies.Where(proxy => !IPAddress.TryParse(proxy, out _)))
        {
            errors.Add($"{section}:KnownProxies contains '{proxy}', which is not an IP address. List proxy addresses such as 10.0.1.17.");
        }
        foreach (var network in options.KnownNetworks.Where(network => !IPNetwork.TryParse(network, out _)))
        {
            errors.Add($"{section}:KnownNetworks contains '{network}', which is not a CIDR range. List ranges such as 10.0.0.0/16.");
        }
        foreach (var host in options.AllowedHosts.Where(host => string.IsNullOrWhiteSpace(host) || host == "*" || host.Contains('/', StringComparison.Ordinal) || host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[')))
        {
            errors.Add($"{section}:AllowedHosts contains '{host}'. List host names the proxy may forward, e.g. dashboard.example.com or *.example.com (not '*', no scheme or path).");
        }
        if (options.ForwardLimit < 1)
        {
            errors.Add($"{section}:ForwardLimit must be at least 1 (1 for an ALB directly in front of the dashboard).");
        }
    }

    private static void Require(string? value, string key, string what, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add($"{key} is not set. Set it to {what}.");
        }
    }

    private static void RequireHttpsUrl(string? value, string key, string example, List<string> errors)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            errors.Add($"{key} '{value}' is not an absolute HTTPS URL. Set it to {example}.");
        }
    }

    private static void RequirePath(string? value, string key, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(value) || !value.StartsWith('/'))
        {
            errors.Add($"{key} '{value}' must be a path starting with '/', e.g. /signin-oidc.");
        }
    }
}
