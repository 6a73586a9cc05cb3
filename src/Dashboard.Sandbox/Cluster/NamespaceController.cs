using System.Text;
using System.Text.Json.Nodes;
using Dashboard.Sandbox.Kubernetes;

namespace Dashboard.Sandbox.Cluster;

/// <summary>
/// Namespaces: phase Active and the <c>kubernetes.io/metadata.name</c> label, a <c>default</c> ServiceAccount and
/// the <c>kube-root-ca.crt</c> ConfigMap in each; a namespace marked for deletion stays Terminating while its content
/// is deleted (see <c>NamespaceController.Termination.cs</c>); a namespace removed outright takes its objects with it.
/// </summary>
internal sealed partial class NamespaceController(ClusterRuntime runtime) : IClusterController
{
    private const string NameLabel = "kubernetes.io/metadata.name";
    private static readonly string _rootCa =
        "-----BEGIN CERTIFICATE-----\n" + Convert.ToBase64String(Encoding.UTF8.GetBytes("endpoint-dashboard sandbox cluster CA (not a real certificate)")) + "\n-----END CERTIFICATE-----\n";

    public void OnChange(ObjectChange change)
    {
        if (change.Type == ResourceTypes.Namespaces)
        {
            runtime.Enqueue(this, change.Name);
        }
    }

    public void Reconcile(string key)
    {
        var ns = runtime.Cache(ResourceTypes.Namespaces).Get(null, key);
        if (ns is null)
        {
            Purge(key);
            return;
        }
        if (ns["metadata"]?["deletionTimestamp"] is not null)
        {
            Terminate(key, ns);
            return;
        }
        if (JsonFields.Labels(ns).GetValueOrDefault(NameLabel) != key)
        {
            runtime.Mutate(ResourceTypes.Namespaces, null, key, n =>
            {
                JsonFields.Child(JsonFields.Child(n, "metadata"), "labels")[NameLabel] = key;
                return n;
            });
        }
        if (JsonFields.String(ns["status"], "phase") != "Active")
        {
            runtime.Mutate(ResourceTypes.Namespaces, null, key, n =>
            {
                n["status"] = new JsonObject { ["phase"] = "Active" };
                return n;
            }, statusOnly: true);
        }
        if (runtime.Store.Get(ResourceTypes.ServiceAccounts, key, "default") is null)
        {
            runtime.Create(ResourceTypes.ServiceAccounts, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "default", ["namespace"] = key } });
        }
        if (runtime.Store.Get(ResourceTypes.ConfigMaps, key, "kube-root-ca.crt") is null)
        {
            runtime.Create(ResourceTypes.ConfigMaps, new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["name"] = "kube-root-ca.crt",
                    ["namespace"] = key,
                    ["annotations"] = new JsonObject { ["kubernetes.io/description"] = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters." },
                },
                ["data"] = new JsonObject { ["ca.crt"] = _rootCa },
            });
        }
    }

    /// <summary>Deletes everything in the namespace: workloads first (so nothing is recreated), events last.</summary>
    private void Purge(string ns)
    {
        var order = ResourceTypes.All
            .Where(t => t.Namespaced && t != ResourceTypes.Namespaces)
            .OrderBy(t => t == ResourceTypes.Deployments ? 0 : t == ResourceTypes.Events ? 2 : 1);
        foreach (var type in order)
        {
            foreach (var obj in runtime.Store.List(type, ns).Items)
            {
                runtime.Delete(type, ns, JsonFields.Name(obj)!);
            }
        }
    }
}
