using System.Threading.RateLimiting;

namespace Dashboard.Server.Authentication;

/// <summary>
/// Rate limits (ASP.NET Core rate limiter): sign-in starts and the provider callback per client address, and
/// expensive endpoints per user. Endpoints opt in with <c>RequireRateLimiting(DashboardRateLimiting.ExpensivePolicy)</c>.
/// </summary>
public static class DashboardRateLimiting
{
    public const string SignInPolicy = "sign-in";
    public const string ExpensivePolicy = "expensive";

    internal static IServiceCollection AddDashboardRateLimiting(this IServiceCollection services, DashboardRateLimitingOptions options, IReadOnlyList<string> callbackPaths)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(SignInPolicy, context => PerClientAddress(context, options.SignInPermitsPerMinute));
            limiter.AddPolicy(ExpensivePolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                $"user:{context.User.Identity?.Name ?? context.Connection.RemoteIpAddress?.ToString() ?? "unknown"}",
                _ => Window(options.ExpensivePermitsPerMinute)));
            // The provider's callback is handled by the authentication middleware, not by an endpoint, so a global
            // limiter covers it.
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                callbackPaths.Any(path => context.Request.Path.Equals(path, StringComparison.OrdinalIgnoreCase))
                    ? PerClientAddress(context, options.SignInPermitsPerMinute)
                    : RateLimitPartition.GetNoLimiter("unlimited"));
        });
        return services;
    }

    private static RateLimitPartition<string> PerClientAddress(HttpContext context, int permitsPerMinute) =>
        RateLimitPartition.GetFixedWindowLimiter(
            $"address:{context.Connection.RemoteIpAddress?.ToString() ?? "unknown"}",
            _ => Window(permitsPerMinute));

    private static FixedWindowRateLimiterOptions Window(int permits) => new()
    {
        PermitLimit = permits,
        Window = TimeSpan.FromMinutes(1),
        QueueLimit = 0,
    };
}
