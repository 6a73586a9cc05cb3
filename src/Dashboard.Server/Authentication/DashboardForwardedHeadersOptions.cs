namespace Dashboard.Server.Authentication;

/// <summary>
/// Which proxies may tell the dashboard the client's address and scheme (<c>Dashboard:ForwardedHeaders</c>).
/// X-Forwarded-* headers from anyone else are ignored; with nothing configured they are ignored from everyone.
/// </summary>
public sealed class DashboardForwardedHeadersOptions
{
    public const string SectionName = "Dashboard:ForwardedHeaders";

    /// <summary>IP addresses of trusted proxies, e.g. <c>10.0.1.17</c>.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>CIDR ranges of trusted proxies, e.g. the ALB subnets <c>10.0.0.0/16</c>.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>
    /// Host names a trusted proxy may name in <c>X-Forwarded-Host</c> (e.g. <c>dashboard.example.com</c>,
    /// <c>*.example.com</c>); with none, <c>X-Forwarded-Host</c> is ignored and the request's own Host is used.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>How many proxies deep to read X-Forwarded-For (1 for an ALB in front of the pod).</summary>
    public int ForwardLimit { get; set; } = 1;

    internal bool IsEnabled => KnownProxies.Count > 0 || KnownNetworks.Count > 0;
}

/// <summary>Limits on sign-in attempts and expensive endpoints (<c>Dashboard:RateLimiting</c>).</summary>
public sealed class DashboardRateLimitingOptions
{
    public const string SectionName = "Dashboard:RateLimiting";

    /// <summary>Sign-in starts and provider callbacks allowed per client address per minute.</summary>
    public int SignInPermitsPerMinute { get; set; } = 20;

    /// <summary>Anonymous requests (the sign-in flow's pages, unknown paths) allowed per client address per minute.</summary>
    public int AnonymousPermitsPerMinute { get; set; } = 60;

    /// <summary>Calls to an expensive endpoint (exports, Cost Explorer refresh) allowed per user per minute.</summary>
    public int ExpensivePermitsPerMinute { get; set; } = 10;
}
