using Dashboard.Client.SmokeTests;
using Dashboard.Client.Verify;
using Dashboard.Server.Sandbox;
using Dashboard.Server.SmokeTests;
using Dashboard.Server.State;
using Dashboard.Server.Topology;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Dashboard.Server.Verify;

/// <summary>Verify, smoke tests and the sandbox-aware resolver (<c>Dashboard:Verify</c>).</summary>
public static class VerifyExtensions
{
    public static WebApplicationBuilder AddDashboardVerify(this WebApplicationBuilder builder)
    {
        builder.Services.AddDashboardVerify(builder.Configuration);
        return builder;
    }

    /// <summary>Needs the topology (<c>AddDashboardTopology</c>) and the state store; replaces the DNS lookup with the sandbox-aware one.</summary>
    public static IServiceCollection AddDashboardVerify(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<VerifyOptions>().Bind(configuration.GetSection(VerifyOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<VerifyOptions>, ValidateVerifyOptions>();
        services.TryAddSingleton<DnsLookup>();
        services.Replace(ServiceDescriptor.Singleton<IDnsLookup, SandboxDnsLookup>());
        services.AddSingleton<EndpointProbeBoard>();
        services.AddSingleton<EndpointTargets>();
        services.AddSingleton<VerifyService>();
        services.AddSingleton<IEndpointVerifier>(sp => sp.GetRequiredService<VerifyService>());
        services.AddStateMigration(SmokeTestLocks.Migration);
        services.AddSingleton(sp => new SmokeTestLocks(sp.GetRequiredService<IStateStore>(), sp.GetRequiredService<StateSchema>(),
            sp.GetRequiredService<ScaleOut.IReplicaLeadership>().Replica, sp.GetRequiredService<TimeProvider>()));
        services.AddStateMigration(SmokeTestRunStore.Migration);
        services.AddSingleton(sp => new SmokeTestRunStore(sp.GetRequiredService<IStateStore>(), sp.GetRequiredService<StateSchema>(),
            sp.GetRequiredService<ScaleOut.IReplicaLeadership>().Replica, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<SmokeTestService>();
        services.AddSingleton<ISmokeTests>(sp => sp.GetRequiredService<SmokeTestService>());
        return services;
    }

    /// <summary>Maps the verify and smoke-test routes of /api/v1.</summary>
    public static WebApplication MapDashboardVerify(this WebApplication app)
    {
        VerifyEndpoints.Map(app);
        return app;
    }
}
