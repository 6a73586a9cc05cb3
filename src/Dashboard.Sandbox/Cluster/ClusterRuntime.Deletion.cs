using System.Net;
using System.Text.Json.Nodes;
using Dashboard.Sandbox.Kubernetes;

namespace Dashboard.Sandbox.Cluster;

/// <summary>Deletes as a controller's client does: through the graceful path of the API server, caches kept in step.</summary>
internal sealed partial class ClusterRuntime
{
    /// <summary>
    /// Deletes with the API server's lifecycle (<see cref="ResourceStore.DeleteGracefully"/>): a pod on a node starts
    /// terminating, an object with finalizers is marked. Returns false when the object was already gone.
    /// </summary>
    public bool DeleteGracefully(ResourceType type, string? ns, string name, DeleteRequest? request = null)
    {
        try
        {
            var outcome = Store.DeleteGracefully(type, ns, name, request ?? new DeleteRequest());
            if (_caches.TryGetValue(type, out var cache))
            {
                Apply(outcome.Deleted
                    ? cache.ObserveDeleted(ns, name, JsonFields.ResourceVersion(outcome.Object))
                    : cache.Observe(outcome.Object));
            }
            return true;
        }
        catch (StoreException e) when (e.Code == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>Whether a write to an object being deleted removed its last finalizer, so that the store deleted it.</summary>
    private bool Finalized(ResourceType type, JsonObject stored) =>
        stored["metadata"]?["deletionTimestamp"] is not null && Store.Get(type, JsonFields.Namespace(stored), JsonFields.Name(stored)!) is null;
}
