using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Dashboard.Client.Feed;

namespace Dashboard.Client.Model;

/// <summary>
/// How many targets are registered across every balancer and how many are healthy, as of the oldest AWS read
/// behind them. The Triage page's empty state says "All N targets healthy as of HH:mm:ss" from it.
/// </summary>
public sealed record TargetHealthSummary
{
    /// <summary>The key of the one summary item a subscription carries.</summary>
    public const string SingletonKey = "targets";

    public static TargetHealthSummary Empty { get; } = new() { TotalTargets = 0, HealthyTargets = 0 };

    public string Key => SingletonKey;

    public required int TotalTargets { get; init; }

    public required int HealthyTargets { get; init; }

    public int LoadBalancers { get; init; }

    /// <summary>The oldest AWS read among the balancers counted: every figure is at least this fresh.</summary>
    public DateTimeOffset? AsOf { get; init; }

    /// <summary>Sums the balancers' target counts.</summary>
    public static TargetHealthSummary From(IEnumerable<LoadBalancerViewModel> loadBalancers)
    {
        int total = 0, healthy = 0, count = 0;
        DateTimeOffset? asOf = null;
        foreach (var lb in loadBalancers)
        {
            count++;
            total += lb.TotalTargets;
            healthy += lb.HealthyTargets;
            if (lb.AsOf is { } read && (asOf is null || read < asOf))
            {
                asOf = read;
            }
        }
        return new TargetHealthSummary { TotalTargets = total, HealthyTargets = healthy, LoadBalancers = count, AsOf = asOf };
    }

    /// <summary>A feed of the summary, derived from a feed of load balancers (one item, recomputed per batch).</summary>
    public static IFeed<TargetHealthSummary> Follow(IFeed<LoadBalancerViewModel> loadBalancers) => new DerivedFeed(loadBalancers);

    /// <summary>
    /// A live summary derived from a load-balancer subscription: the snapshot holds one item, every batch of
    /// balancer changes yields one upsert of the recomputed summary.
    /// </summary>
    public static FeedSubscription<TargetHealthSummary> Derive(FeedSubscription<LoadBalancerViewModel> loadBalancers)
    {
        var byKey = new Dictionary<string, LoadBalancerViewModel>(StringComparer.Ordinal);
        foreach (var lb in loadBalancers.Snapshot)
        {
            byKey[lb.Key] = lb;
        }
        return new FeedSubscription<TargetHealthSummary>([From(byKey.Values)], Follow(loadBalancers.Changes, byKey, default));
    }

    private static async IAsyncEnumerable<IReadOnlyList<FeedChange<TargetHealthSummary>>> Follow(
        IAsyncEnumerable<IReadOnlyList<FeedChange<LoadBalancerViewModel>>> changes,
        Dictionary<string, LoadBalancerViewModel> byKey,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var batch in changes.WithCancellation(cancellationToken))
        {
            foreach (var change in batch)
            {
                if (change.Kind == FeedChangeKind.Upsert && change.Item is { } lb)
                {
                    byKey[change.Key] = lb;
                }
                else
                {
                    byKey.Remove(change.Key);
                }
            }
            yield return ImmutableArray.Create(FeedChange<TargetHealthSummary>.Upsert(SingletonKey, From(byKey.Values)));
        }
    }

    private sealed class DerivedFeed(IFeed<LoadBalancerViewModel> loadBalancers) : IFeed<TargetHealthSummary>
    {
        public ImmutableArray<TargetHealthSummary> Snapshot => [From(loadBalancers.Snapshot)];

        public FeedSubscription<TargetHealthSummary> Subscribe(CancellationToken cancellationToken) =>
            Derive(loadBalancers.Subscribe(cancellationToken));
    }
}
