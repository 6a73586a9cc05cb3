using Dashboard.Sandbox;
using Dashboard.Server.Configuration;
using Dashboard.Server.Feed;
using Dashboard.Server.Sandbox;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Dashboard.Server.Kubernetes;

/// <summary>The Kubernetes source (Dashboard:Source), its watch caches and the inventory feed.</summary>
public static class KubernetesExtensions
{
    public static WebApplicationBuilder AddDashboardKubernetes(this WebApplicationBuilder builder)
    {
        builder.Services.AddDashboardKubernetes(builder.Configuration);
        return builder;
    }

    public static IServiceCollection AddDashboardKubernetes(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<KubernetesSourceOptions>().Bind(configuration.GetSection(KubernetesSourceOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<KubernetesSourceOptions>, ValidateKubernetesSourceOptions>();
        services.AddOptions<SandboxOptions>().Bind(configuration.GetSection(SandboxOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SandboxOptions>, ValidateSandboxOptions>();

        services.AddSingleton<KubernetesConnection>();
        services.TryAddSingleton<SourceStatusRegistry>();
        services.AddSingleton<KubernetesCaches>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISourceScope, KubernetesContextScope>());

        // Order matters: hosted services start one after another, so the source (and the sandbox) is up before the caches run.
        services.AddSingleton<EmbeddedSandbox>();
        services.AddHostedService(sp => sp.GetRequiredService<EmbeddedSandbox>());
        services.AddSingleton<KubernetesSourceHostedService>();
        services.AddHostedService(sp => sp.GetRequiredService<KubernetesSourceHostedService>());
        services.AddHostedService<KubernetesCachesHostedService>();
        return services;
    }
}
