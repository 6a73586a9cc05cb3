namespace Dashboard.Server.LoadBalancers;

/// <summary>
/// One minute of a target group's CloudWatch host counts: the fewest healthy and the most unhealthy hosts any load
/// balancer node reported in the minute starting at <see cref="Timestamp"/>.
/// </summary>
public sealed record HealthCountReading(double MinHealthy, double MaxUnhealthy, DateTimeOffset Timestamp)
{
    /// <summary>Same counts, whatever the minute.</summary>
    public bool SameCounts(HealthCountReading? other) =>
        other is not null && other.MinHealthy == MinHealthy && other.MaxUnhealthy == MaxUnhealthy;
}
