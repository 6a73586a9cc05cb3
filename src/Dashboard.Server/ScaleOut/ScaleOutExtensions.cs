using Dashboard.Client.Authorization;
using Dashboard.Server.Api;
using Dashboard.Server.Feed;
using Dashboard.Server.Health;
using Dashboard.Server.LoadBalancers;
using Dashboard.Server.State;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Dashboard.Server.ScaleOut;

/// <summary>
/// Several replicas (ARCHITECTURE.md, Scale-out): the state store, leader election for the AWS poller, the AWS snapshot
/// shared through the store, and <c>GET /api/v1/status</c>. With the defaults (SQLite, no connection string) one replica
/// polls as before, and its restart is warm.
/// </summary>
public static class ScaleOutExtensions
{
    /// <summary>Call before <c>AddDashboardLoadBalancers</c>: the snapshot must be loaded before the poller's first round.</summary>
    public static WebApplicationBuilder AddDashboardScaleOut(this WebApplicationBuilder builder)
    {
        builder.Services.AddDashboardScaleOut(builder.Configuration);
        return builder;
    }

    public static IServiceCollection AddDashboardScaleOut(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddDashboardState(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SourceStatusRegistry>();
        services.TryAddSingleton<AwsSnapshotStore>();
        services.AddOptions<LeadershipOptions>().Bind(configuration.GetSection(LeadershipOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LeadershipOptions>, ValidateLeadershipOptions>());
        services.AddOptions<SharingOptions>().Bind(configuration.GetSection(SharingOptions.SectionName));

        var leadership = configuration.GetSection(LeadershipOptions.SectionName).Get<LeadershipOptions>() ?? new LeadershipOptions();
        var shared = !string.IsNullOrWhiteSpace(StateExtensions.ReadStateOptions(configuration).PostgresConnectionString);
        var elect = leadership.ParsedMode == LeadershipMode.Lease || (leadership.ParsedMode == LeadershipMode.Auto && shared);
        if (elect)
        {
            services.AddSingleton<LeaseLeadership>();
            services.AddSingleton<IReplicaLeadership>(sp => sp.GetRequiredService<LeaseLeadership>());
            services.AddHostedService(sp => sp.GetRequiredService<LeaseLeadership>());
            services.AddHostedService<ReplicaSourcePublisher>();
        }
        else
        {
            services.AddSingleton<IReplicaLeadership>(new SingleReplicaLeadership(leadership.EffectiveIdentity));
        }
        services.Replace(ServiceDescriptor.Singleton<IPollingLeadership>(sp => sp.GetRequiredService<IReplicaLeadership>()));

        // Charts: with a shared store, a CloudWatch series one replica read serves the others (Metrics/SharedSeriesTier).
        services.AddStateMigration(Metrics.SharedSeriesMigrations.Series);
        if (shared)
        {
            services.AddSingleton<Metrics.ISharedSeriesTier>(sp => new Metrics.PostgresSeriesTier(
                ((PostgresStateStore)sp.GetRequiredService<IStateStore>()).DataSource, sp.GetRequiredService<IReplicaLeadership>().Replica, sp.GetRequiredService<TimeProvider>()));
        }
        services.AddSingleton<AwsSnapshotSharing>();
        services.AddHostedService(sp => sp.GetRequiredService<AwsSnapshotSharing>());
        services.AddSingleton<CostSharing>();
        services.AddHostedService(sp => sp.GetRequiredService<CostSharing>());
        services.AddHealthChecks().AddCheck<ReplicaHealthCheck>("replica", tags: [HealthEndpoints.ReadyTag]);
        return services;
    }

    /// <summary>Maps <c>GET /api/v1/status</c> (Viewer). Call after <c>MapDashboardApi</c>.</summary>
    public static WebApplication MapDashboardScaleOut(this WebApplication app)
    {
        ApiEndpoints.V1Group(app)
            .MapGet("/status", GetStatus)
            .WithName("GetStatus").WithSummary("This replica, whether it polls AWS, the Lease holder and every source's state and age")
            .RequireAuthorization(DashboardPolicies.Viewer)
            .Produces<StatusDto>();
        return app;
    }

    internal static StatusDto Status(IReplicaLeadership leadership, IStateStore state, AwsSnapshotSharing sharing, SourceStatusRegistry sources, TimeProvider time)
    {
        var published = sharing.Published is { } p
            ? new PublishedDto(p.Replica, p.PublishedAt, Math.Round((time.GetUtcNow() - p.PublishedAt).TotalSeconds, 1), p.ListedAt)
            : null;
        return new StatusDto(
            leadership.Replica,
            leadership.IsLeader,
            leadership.LeaseHolder,
            leadership.Kind,
            leadership.Lease,
            state.Description,
            published,
            [.. sources.Broadcaster.Current.Values.Select(s => new StatusSourceDto(s.Key, s.DisplayName, s.State.ToString().ToLowerInvariant(), s.LastGoodAt, s.Message, s.Scope))]);
    }

    private static StatusDto GetStatus(IReplicaLeadership leadership, IStateStore state, AwsSnapshotSharing sharing, SourceStatusRegistry sources, TimeProvider time) =>
        Status(leadership, state, sharing, sources, time);
}

/// <summary>
/// Part of readiness: a follower is ready (it serves the leader's data); the check's description says which replica
/// polls and how old the published data is, for <c>/healthz/ready</c> readers.
/// </summary>
internal sealed class ReplicaHealthCheck(IReplicaLeadership leadership, AwsSnapshotSharing sharing, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        var description = leadership.IsLeader
            ? $"Replica {leadership.Replica} polls AWS."
            : sharing.Published is { } published
                ? $"Replica {leadership.Replica} serves the AWS snapshot replica {published.Replica} published {(time.GetUtcNow() - published.PublishedAt).TotalSeconds:0} s ago."
                : $"Replica {leadership.Replica} follows {leadership.LeaseHolder ?? "(no holder yet)"}; no snapshot published yet.";
        return Task.FromResult(HealthCheckResult.Healthy(description, new Dictionary<string, object>
        {
            ["replica"] = leadership.Replica,
            ["leader"] = leadership.IsLeader,
            ["leaseHolder"] = leadership.LeaseHolder ?? string.Empty,
        }));
    }
}
