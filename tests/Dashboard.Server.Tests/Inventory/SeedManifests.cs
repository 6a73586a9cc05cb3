using k8s;
using k8s.Models;
using Seed = Dashboard.Sandbox.Cluster.Scenario.SeedManifests;

namespace Dashboard.Server.Tests.Inventory;

/// <summary>The manifests of the seed document (reference/seed-elb-eks.md, sections 2.1, 2.2, 3.2, 3.3), verbatim, as decoded models.</summary>
internal static class SeedManifests
{
    private static readonly Lazy<List<object>> Objects = new(() => KubernetesYaml.LoadAllFromString(string.Join("\n---\n",
        new[] { "service-loadbalancer.yaml", "service-nlb-advanced.yaml", "ingress-alb.yaml", "ingress-alb-advanced.yaml" }.Select(Seed.Read))));

    public static V1Service Service(string name) => Prepare(Objects.Value.OfType<V1Service>().Single(s => s.Metadata.Name == name));

    public static V1Ingress Ingress(string name) => Prepare(Objects.Value.OfType<V1Ingress>().Single(i => i.Metadata.Name == name));

    /// <summary>A fresh copy with what the API server adds on create (uid, resourceVersion, creationTimestamp).</summary>
    private static T Prepare<T>(T item) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var copy = KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(item));
        copy.Metadata.Uid = "uid-" + copy.Metadata.Name;
        copy.Metadata.ResourceVersion = "1001";
        copy.Metadata.CreationTimestamp = new DateTime(2024, 1, 1, 12, 0, 0, DateTimeKind.Utc);
        return copy;
    }
}
