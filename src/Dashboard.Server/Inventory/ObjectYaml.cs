using k8s;
using k8s.Models;

namespace Dashboard.Server.Inventory;

/// <summary>A cached object as YAML for the detail panel: a copy without managedFields, apiVersion and kind filled in.</summary>
public static class ObjectYaml
{
    public static string Serialize<T>(T item, string apiVersion, string kind) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        // Round-trip through JSON for a deep copy: the cached object is shared and must not be changed.
        var copy = KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(item));
        copy.ApiVersion ??= apiVersion;
        copy.Kind ??= kind;
        if (copy.Metadata is not null)
        {
            copy.Metadata.ManagedFields = null;
        }
        return KubernetesYaml.Serialize(copy);
    }
}
