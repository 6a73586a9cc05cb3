using Dashboard.Server.LoadBalancers;

namespace Dashboard.Server.ScaleOut;

/// <summary>
/// Which replica polls AWS and Cost Explorer (the leader) and who this replica is. The polling loops ask
/// <see cref="IPollingLeadership.IsLeader"/> before every round; followers serve what the leader publishes.
/// </summary>
public interface IReplicaLeadership : IPollingLeadership
{
    /// <summary>This replica's identity, as written in the Lease.</summary>
    string Replica { get; }

    /// <summary>The replica holding the Lease now, as last observed; null before anyone holds it.</summary>
    string? LeaseHolder { get; }

    /// <summary>How leadership is decided, for the status endpoint: <c>lease</c> or <c>single</c>.</summary>
    string Kind { get; }

    /// <summary>The Lease as <c>namespace/name</c>; null without election.</summary>
    string? Lease { get; }
}

/// <summary>One replica (the SQLite default): it always leads.</summary>
public sealed class SingleReplicaLeadership(string replica) : IReplicaLeadership
{
    public bool IsLeader => true;

    public string Replica => replica;

    public string? LeaseHolder => replica;

    public string Kind => "single";

    public string? Lease => null;
}
