using Dashboard.Client.Model;
using Dashboard.Server.Feed;
using Dashboard.Server.LoadBalancers;

namespace Dashboard.Server.Topology;

public sealed partial class TopologyFeed
{
    private Func<SourceStatus?> _awsStatus = () => null;

    /// <summary>
    /// Joins with the AWS source's state: while it is stale, target states are frozen as last read, and the diagnoses that
    /// depend on elapsed time count only the fresh part (<see cref="TopologyContext.AwsStale"/>). A change of that state
    /// asks for a recompute, since no new snapshot arrives while AWS fails.
    /// </summary>
    internal void FollowAwsStatus(SourceStatusRegistry sources)
    {
        _awsStatus = () => sources.Get(AwsPoller.SourceKey);
        SourceState? last = null;
        sources.Changed += status =>
        {
            if (status.Key == AwsPoller.SourceKey && status.State != last)
            {
                last = status.State;
                Invalidate();
            }
        };
    }

    private AwsStaleness? CurrentAwsStaleness() =>
        _awsStatus() is { State: SourceState.Stale } status ? new AwsStaleness(status.LastGoodAt, AwsStaleness.ReasonOf(status.Message)) : null;
}
