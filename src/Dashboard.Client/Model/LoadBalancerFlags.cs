namespace Dashboard.Client.Model;

[Flags]
public enum LoadBalancerFlags
{
    None = 0,
    /// <summary>Tagged for this cluster, but the owning object is gone.</summary>
    Orphan = 1,
    /// <summary>Live AWS configuration differs from what the annotations ask for.</summary>
    Drift = 2,
    /// <summary>Every registered target is unhealthy (an ALB fails open).</summary>
    AllUnhealthy = 4,
    /// <summary>No target registered at all.</summary>
    NoTargets = 8,
    /// <summary>Shared by several Ingresses of one group.</summary>
    Shared = 16,
}
