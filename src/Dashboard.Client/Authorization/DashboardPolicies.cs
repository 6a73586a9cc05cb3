namespace Dashboard.Client.Authorization;

/// <summary>
/// Names of the authorisation policies every page, component action and HTTP endpoint declares
/// (<c>@attribute [Authorize(Policy = DashboardPolicies.Viewer)]</c>). The server registers them; the
/// fallback policy denies anything that names none.
/// </summary>
public static class DashboardPolicies
{
    /// <summary>Endpoints, topology, triage, metrics: users in the Viewer or Operator role.</summary>
    public const string Viewer = "Viewer";

    /// <summary>Cost pages and exports: users in the CostReader role.</summary>
    public const string CostReader = "CostReader";

    /// <summary>Guided actions that change the cluster: users in the Operator role.</summary>
    public const string Operator = "Operator";

    /// <summary>Any signed-in user whatever their roles: the user menu, sign-out, the Blazor circuit itself.</summary>
    public const string SignedIn = "SignedIn";

    /// <summary>Every policy name, for enumeration in tests and diagnostics.</summary>
    public static IReadOnlyList<string> All { get; } = [Viewer, CostReader, Operator, SignedIn];
}
