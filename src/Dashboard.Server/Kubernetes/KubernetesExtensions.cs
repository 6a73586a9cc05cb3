namespace Dashboard.Server.Kubernetes;

/// <summary>The Kubernetes source (Dashboard:Source), its watch caches and the inventory feed.</summary>
public static class KubernetesExtensions
{
    public static WebApplicationBuilder AddDashboardKubernetes(this WebApplicationBuilder builder) => builder;
}
