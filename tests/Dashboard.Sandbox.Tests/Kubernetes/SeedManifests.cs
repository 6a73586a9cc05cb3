using Seed = Dashboard.Sandbox.Cluster.Scenario.SeedManifests;

namespace Dashboard.Sandbox.Tests.Kubernetes;

/// <summary>The retail-forecast Service manifests of the seed workflow (reference/seed-elb-eks.md §2.1–2.2), namespace swapped per test.</summary>
internal static class SeedManifests
{
    public static string LoadBalancerService(string ns) =>
        Seed.Edit(Seed.Read("service-loadbalancer.yaml"), ("namespace: mlops", "namespace: " + ns));

    public static string NlbService(string ns, int port = 80, string scheme = "internet-facing") =>
        Seed.Edit(Seed.Read("service-nlb-advanced.yaml"),
            ("namespace: mlops", "namespace: " + ns),
            ("- port: 80\n", $"- port: {port}\n"),
            ("aws-load-balancer-scheme: \"internet-facing\"", $"aws-load-balancer-scheme: \"{scheme}\""));
}
