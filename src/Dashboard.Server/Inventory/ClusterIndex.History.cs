using Dashboard.Server.Kubernetes;
using k8s.Models;

namespace Dashboard.Server.Inventory;

/// <summary>The index's bounded change history (<see cref="ObjectChangeHistory"/>), fed by the same batches it applies.</summary>
public sealed partial class ClusterIndex
{
    public ClusterIndex(TimeProvider? time = null)
    {
        History = new ObjectChangeHistory(time ?? TimeProvider.System);
        Changed += RecordHistory;
    }

    /// <summary>Recent annotation/spec edits of Services and Ingresses, rollouts and scales of Deployments. Read under <see cref="Gate"/>.</summary>
    public ObjectChangeHistory History { get; }

    private void RecordHistory(object batch)
    {
        switch (batch)
        {
            case IReadOnlyList<ResourceChange<V1Service>> services:
                History.Services(services);
                break;
            case IReadOnlyList<ResourceChange<V1Ingress>> ingresses:
                History.Ingresses(ingresses);
                break;
            case IReadOnlyList<ResourceChange<V1Deployment>> deployments:
                History.Deployments(deployments);
                break;
        }
    }
}
