namespace Dashboard.Server.Authentication;

/// <summary>
/// Security headers on every response. The Content-Security-Policy allows scripts only from the dashboard itself
/// (Blazor Server and MudBlazor need no inline script or eval); styles allow 'unsafe-inline' because MudBlazor sets
/// style attributes and injects theme CSS variables at run time (see docs/security.md).
/// </summary>
internal sealed class SecurityHeadersMiddleware(RequestDelegate next, string contentSecurityPolicy)
{
    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = contentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            return Task.CompletedTask;
        });
        return next(context);
    }

    /// <summary>The policy; <paramref name="signInOrigins"/> are the identity provider origins that sign-out forms post through.</summary>
    public static string BuildPolicy(IEnumerable<string> signInOrigins)
    {
        var formAction = string.Join(' ', new[] { "'self'" }.Concat(signInOrigins.Distinct(StringComparer.OrdinalIgnoreCase)));
        return string.Join("; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            $"form-action {formAction}",
            "frame-ancestors 'none'");
    }
}
