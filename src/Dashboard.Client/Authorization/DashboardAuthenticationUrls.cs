namespace Dashboard.Client.Authorization;

/// <summary>The URLs of the sign-in flow, built in one place for pages, the user menu and the server.</summary>
public static class DashboardAuthenticationUrls
{
    public const string SignIn = "/authentication/sign-in";
    public const string SignOut = "/authentication/sign-out";
    public const string SignedOut = "/authentication/signed-out";
    public const string AccessDenied = "/authentication/access-denied";

    /// <summary>The sign-in URL that brings the user back to <paramref name="returnUrl"/> (a local path) afterwards.</summary>
    public static string SignInWithReturn(string returnUrl) => $"{SignIn}?returnUrl={Uri.EscapeDataString(returnUrl)}";
}
