using Dashboard.Client.Authorization;

namespace Dashboard.Server.Authentication;

/// <summary>How people sign in to the dashboard (<c>Dashboard:Auth</c>).</summary>
public sealed class DashboardAuthOptions
{
    public const string SectionName = "Dashboard:Auth";

    /// <summary><c>EntraId</c>, <c>Oidc</c> or <c>Unsecured</c>; kept as text so an unknown value gets a clear message.</summary>
    public string? Mode { get; set; }

    public UnsecuredAuthOptions Unsecured { get; set; } = new();

    public EntraIdAuthOptions EntraId { get; set; } = new();

    public OidcAuthOptions Oidc { get; set; } = new();

    /// <summary>Which claim values (roles or groups from the provider) grant each dashboard role.</summary>
    public RoleMappingOptions Roles { get; set; } = new();

    /// <summary>How long a signed-in session lasts without activity (sliding).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>
    /// How often a live page checks that its session still exists in the shared store; a sign-out on the same replica
    /// ends the page's session at once, one on another replica within this interval.
    /// </summary>
    public TimeSpan SessionRevalidationInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// <c>Always</c> (default) marks the session cookie Secure even when the request arrived over HTTP (TLS ends at the ALB);
    /// <c>SameAsRequest</c> only for a local HTTP setup.
    /// </summary>
    public CookieSecurePolicy CookieSecurePolicy { get; set; } = CookieSecurePolicy.Always;

    /// <summary>The parsed <see cref="Mode"/>; call only after validation.</summary>
    internal DashboardAuthMode ParsedMode => Enum.Parse<DashboardAuthMode>(Mode!, ignoreCase: true);
}

/// <summary>The three ways to run the dashboard's sign-in.</summary>
public enum DashboardAuthMode
{
    /// <summary>No sign-in: every visitor is the configured local user. Only on loopback addresses.</summary>
    Unsecured,

    /// <summary>Microsoft Entra ID through Microsoft.Identity.Web, app roles from the token.</summary>
    EntraId,

    /// <summary>Any OpenID Connect provider (Cognito, Okta, Dex, Keycloak, Google).</summary>
    Oidc,
}

/// <summary>The local user of the Unsecured mode (<c>Dashboard:Auth:Unsecured</c>).</summary>
public sealed class UnsecuredAuthOptions
{
    public string UserName { get; set; } = "local-user";

    /// <summary>The dashboard roles the local user has; every role unless configured.</summary>
    public List<string> Roles { get; set; } = [];

    /// <summary>The roles in force: the configured ones, or every role when none is configured.</summary>
    internal IReadOnlyList<string> EffectiveRoles => Roles.Count == 0 ? DashboardRoles.All : Roles;
}

/// <summary>Microsoft Entra ID (<c>Dashboard:Auth:EntraId</c>): an app registration with app roles.</summary>
public sealed class EntraIdAuthOptions
{
    public string Instance { get; set; } = "https://login.microsoftonline.com/";
    public string? TenantId { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }
    public string CallbackPath { get; set; } = "/signin-oidc";
    public string SignedOutCallbackPath { get; set; } = "/signout-callback-oidc";
}

/// <summary>A generic OpenID Connect provider (<c>Dashboard:Auth:Oidc</c>).</summary>
public sealed class OidcAuthOptions
{
    /// <summary>The issuer URL; its <c>/.well-known/openid-configuration</c> is read at the first sign-in.</summary>
    public string? Authority { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }

    /// <summary>Scopes requested besides <c>openid</c>.</summary>
    public List<string> Scopes { get; set; } = ["profile", "email"];

    /// <summary>The token claim whose values are role names (Keycloak <c>roles</c>, Cognito <c>cognito:groups</c>).</summary>
    public string? RoleClaim { get; set; } = "roles";

    /// <summary>The token claim whose values are group names or ids (Okta, Dex, Entra <c>groups</c>).</summary>
    public string? GroupsClaim { get; set; } = "groups";

    /// <summary>The claim shown as the user's name.</summary>
    public string NameClaim { get; set; } = "name";

    public string CallbackPath { get; set; } = "/signin-oidc";
    public string SignedOutCallbackPath { get; set; } = "/signout-callback-oidc";

    /// <summary>Whether the authority must be HTTPS; false only for a provider on loopback in tests or development.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Proof Key for Code Exchange; on unless the provider cannot do it.</summary>
    public bool UsePkce { get; set; } = true;
}

/// <summary>
/// The values of the provider's role and group claims that grant each dashboard role (<c>Dashboard:Auth:Roles</c>).
/// Unconfigured roles map from a claim value equal to their own name, which suits Entra app roles named after them.
/// </summary>
public sealed class RoleMappingOptions
{
    public List<string> Viewer { get; set; } = [];
    public List<string> CostReader { get; set; } = [];
    public List<string> Operator { get; set; } = [];

    /// <summary>The claim values that grant <paramref name="role"/>.</summary>
    internal IReadOnlyList<string> ValuesFor(string role)
    {
        var configured = role switch
        {
            DashboardRoles.Viewer => Viewer,
            DashboardRoles.CostReader => CostReader,
            DashboardRoles.Operator => Operator,
            _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Not a dashboard role."),
        };
        return configured.Count == 0 ? [role] : configured;
    }
}
