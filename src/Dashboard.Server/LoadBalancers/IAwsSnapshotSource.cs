namespace Dashboard.Server.LoadBalancers;

/// <summary>
/// The server's one view of the region's load balancers and target health, kept fresh by the AWS pollers and shared
/// by every viewer: reading it never calls AWS.
/// </summary>
public interface IAwsSnapshotSource
{
    /// <summary>The latest snapshot; <see cref="AwsSnapshot.Empty"/> before the first read.</summary>
    AwsSnapshot Current { get; }

    /// <summary>
    /// Raised after each new snapshot is published (at most once per poll round), on the poller's thread: handlers
    /// must be quick and must not throw.
    /// </summary>
    event Action<AwsSnapshot>? Changed;

    /// <summary>
    /// Declares that a page shows these target groups: while the returned lease is not disposed they are read at the
    /// fast interval. Any number of viewers of the same group costs the same AWS calls as one.
    /// </summary>
    IDisposable MarkViewed(IEnumerable<string> targetGroupArns);
}
