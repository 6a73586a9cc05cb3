using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Dashboard.Server.Api;

/// <summary>
/// The read API's rate limit: <see cref="ApiOptions.PermitsPerMinute"/> requests per user per fixed minute, answered 429
/// with problem details and <c>Retry-After</c> beyond it. An endpoint filter rather than the rate-limiting middleware: the
/// filter runs after authentication, so the partition is the signed-in user (cookie or bearer), not the client address.
/// </summary>
public sealed class ApiRateLimiter : IEndpointFilter, IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public ApiRateLimiter(IOptions<ApiOptions> options)
    {
        var permits = options.Value.PermitsPerMinute;
        _limiter = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));
    }

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        using var lease = _limiter.AttemptAcquire(PartitionKey(http));
        if (!lease.IsAcquired)
        {
            if (lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
            {
                http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }
            return ApiProblems.Problem(StatusCodes.Status429TooManyRequests, "rateLimited", "Too many requests.",
                "The read API allows a limited number of requests per user per minute (Dashboard:Api:PermitsPerMinute). Wait for Retry-After seconds.");
        }
        http.Response.Headers.CacheControl = "no-store";
        return await next(context);
    }

    /// <summary>The user (name, else subject or client id of a token), else the client address.</summary>
    internal static string PartitionKey(HttpContext http)
    {
        var user = http.User;
        if (user.Identity?.IsAuthenticated == true)
        {
            var id = user.Identity.Name ?? First(user, "sub", "oid", "azp", "appid", ClaimTypes.NameIdentifier);
            if (id is not null)
            {
                return "user:" + id;
            }
        }
        return "address:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
    }

    private static string? First(ClaimsPrincipal user, params string[] types) =>
        types.Select(t => user.FindFirst(t)?.Value).FirstOrDefault(v => !string.IsNullOrEmpty(v));

    public void Dispose() => _limiter.Dispose();
}
