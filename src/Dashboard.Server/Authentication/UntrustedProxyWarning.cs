namespace Dashboard.Server.Authentication;

/// <summary>
/// Says once, precisely, when a proxy that is not trusted sends <c>X-Forwarded-Proto</c>: the dashboard then sees HTTP
/// where the browser used HTTPS, so redirect URIs say http:// and, with <c>CookieSecurePolicy=SameAsRequest</c>, the
/// session cookie is not Secure and sign-in loops. Runs after the forwarded headers middleware, which removes the header
/// from requests it trusted.
/// </summary>
internal sealed partial class UntrustedProxyWarning(RequestDelegate next, ILogger<UntrustedProxyWarning> logger)
{
    private int _warned;

    public Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.IsHttps
            && context.Request.Headers.ContainsKey("X-Forwarded-Proto")
            && Interlocked.Exchange(ref _warned, 1) == 0)
        {
            LogUntrusted(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", LogValue.Sanitize(context.Request.Headers["X-Forwarded-Proto"].ToString()));
        }
        return next(context);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "A request from {Address} carries X-Forwarded-Proto '{ForwardedProto}', but that address is not a trusted proxy, so the header is " +
        "ignored and the request counts as HTTP. If it is the TLS-terminating load balancer, add its address or subnet to " +
        "Dashboard:ForwardedHeaders:KnownProxies or KnownNetworks; otherwise sign-in redirects and Secure cookies will be wrong. (Said once.)")]
    private partial void LogUntrusted(string address, string forwardedProto);
}
