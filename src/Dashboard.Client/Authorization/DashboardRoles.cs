namespace Dashboard.Client.Authorization;

/// <summary>
/// The dashboard's own roles. Users receive them from configuration (claim values or groups mapped per role),
/// never directly from a token, so a provider's role called "Operator" grants nothing unless it is mapped.
/// </summary>
public static class DashboardRoles
{
    public const string Viewer = "Viewer";
    public const string CostReader = "CostReader";
    public const string Operator = "Operator";

    /// <summary>The claim type that carries a dashboard role; only the server's role mapping issues it.</summary>
    public const string ClaimType = "dashboard_role";

    /// <summary>The authentication type of the local user in the Unsecured mode (no sign-in, no sign-out).</summary>
    public const string UnsecuredAuthenticationType = "Unsecured";

    public static IReadOnlyList<string> All { get; } = [Viewer, CostReader, Operator];
}
