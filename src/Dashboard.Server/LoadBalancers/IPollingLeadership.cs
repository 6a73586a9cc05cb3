namespace Dashboard.Server.LoadBalancers;

/// <summary>
/// Whether this replica is the one that polls AWS. With several replicas only the lease holder should poll, so AWS
/// spend does not grow with replicas (ARCHITECTURE.md: a coordination.k8s.io Lease through KubernetesClient's leader
/// election). Replace the registration of this interface to plug that in; followers then keep their last snapshot.
/// </summary>
public interface IPollingLeadership
{
    bool IsLeader { get; }
}

/// <summary>The single-replica default: this replica always polls.</summary>
public sealed class AlwaysPollingLeader : IPollingLeadership
{
    public bool IsLeader => true;
}
