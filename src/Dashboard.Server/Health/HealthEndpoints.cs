using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Dashboard.Server.Health;

/// <summary>
/// <c>/healthz/live</c> (the process answers) and <c>/healthz/ready</c> (every check tagged <see cref="ReadyTag"/>):
/// anonymous and not rate limited, for the kubelet's probes and the load balancer's health check.
/// </summary>
public static class HealthEndpoints
{
    /// <summary>Tag a health check with this to make it part of readiness.</summary>
    public const string ReadyTag = "ready";

    public static WebApplicationBuilder AddDashboardHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks().AddCheck<HostStartedHealthCheck>("host", tags: [ReadyTag]);
        return builder;
    }

    public static WebApplication MapDashboardHealth(this WebApplication app)
    {
        app.MapHealthChecks("/healthz/live", new HealthCheckOptions { Predicate = _ => false })
            .AllowAnonymous()
            .DisableRateLimiting();
        app.MapHealthChecks("/healthz/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) })
            .AllowAnonymous()
            .DisableRateLimiting();
        return app;
    }
}

/// <summary>A health check that is always healthy once the host runs: the ready endpoint's minimum.</summary>
internal sealed class HostStartedHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken) =>
        Task.FromResult(lifetime.ApplicationStarted.IsCancellationRequested
            ? HealthCheckResult.Healthy("The host has started.")
            : HealthCheckResult.Unhealthy("The host is still starting."));
}
