using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Dashboard.Server.Authentication;

/// <summary>
/// Rate limits (ASP.NET Core rate limiter), in two places of the pipeline:
/// <list type="bullet">
/// <item>before authentication, the provider's callbacks per client address (the authentication middleware answers them);</item>
/// <item>after authorization, so an anonymous request to a protected endpoint is refused before it counts: anonymous
/// requests per client address (<see cref="DashboardRateLimitingOptions.AnonymousPermitsPerMinute"/>), sign-in starts
/// per client address, and expensive endpoints per signed-in user
/// (<c>RequireRateLimiting(DashboardRateLimiting.ExpensivePolicy)</c>).</item>
/// </list>
/// The client address is the connection's, or the one a trusted proxy forwarded (forwarded headers run first).
/// </summary>
public static class DashboardRateLimiting
{
    public const string SignInPolicy = "sign-in";
    public const string ExpensivePolicy = "expensive";

    internal static IServiceCollection AddDashboardRateLimiting(this IServiceCollection services, DashboardRateLimitingOptions options)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(SignInPolicy, context => PerClientAddress("sign-in", context, options.SignInPermitsPerMinute));
            limiter.AddPolicy(ExpensivePolicy, context => PartitionKey(context) is { } user
                ? RateLimitPartition.GetFixedWindowLimiter($"expensive:user:{user}", _ => Window(options.ExpensivePermitsPerMinute))
                : PerClientAddress("expensive", context, options.ExpensivePermitsPerMinute));
            // Every anonymous request that reached an endpoint (the sign-in flow's pages, health is exempt) counts
            // against its address; signed-in users are limited only by endpoint policies.
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                context.User.Identity?.IsAuthenticated == true
                    ? RateLimitPartition.GetNoLimiter("signed-in")
                    : PerClientAddress("anonymous", context, options.AnonymousPermitsPerMinute));
        });
        return services;
    }

    /// <summary>The limiter of the provider's callbacks, which no endpoint answers: per client address, before authentication.</summary>
    internal static IApplicationBuilder UseCallbackRateLimiting(this IApplicationBuilder app, DashboardRateLimitingOptions options, IReadOnlyList<string> callbackPaths)
    {
        if (callbackPaths.Count == 0)
        {
            return app;
        }
        var callbackOptions = new RateLimiterOptions
        {
            RejectionStatusCode = StatusCodes.Status429TooManyRequests,
            GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => PerClientAddress("callback", context, options.SignInPermitsPerMinute)),
        };
        return app.UseWhen(
            context => callbackPaths.Any(path => context.Request.Path.Equals(path, StringComparison.OrdinalIgnoreCase)),
            branch => branch.UseRateLimiter(callbackOptions));
    }

    /// <summary>The signed-in user's stable id (subject, object id, name identifier, then name), or null when anonymous.</summary>
    internal static string? PartitionKey(HttpContext context)
    {
        var user = context.User;
        if (user.Identity?.IsAuthenticated != true)
        {
            return null;
        }
        return user.FindFirst("sub")?.Value
            ?? user.FindFirst("oid")?.Value
            ?? user.FindFirst(ClaimTypes.NameIdentifier)?.Value
            ?? user.Identity.Name
            ?? "signed-in";
    }

    private static RateLimitPartition<string> PerClientAddress(string purpose, HttpContext context, int permitsPerMinute) =>
        RateLimitPartition.GetFixedWindowLimiter(
            $"{purpose}:address:{context.Connection.RemoteIpAddress?.ToString() ?? "unknown"}",
            _ => Window(permitsPerMinute));

    private static FixedWindowRateLimiterOptions Window(int permits) => new()
    {
        PermitLimit = permits,
        Window = TimeSpan.FromMinutes(1),
        QueueLimit = 0,
    };
}
