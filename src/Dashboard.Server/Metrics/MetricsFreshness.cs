using System.Collections.Immutable;

namespace Dashboard.Server.Metrics;

/// <summary>What the newest live read said about one balancer's metrics: its newest datapoint (null: none) and when it was read.</summary>
public sealed record BalancerMetricsFreshness(DateTimeOffset? NewestDatapoint, DateTimeOffset ReadAt);

/// <summary>
/// Whether a balancer's CloudWatch metrics are flowing, as the shared series cache saw them (docs/metrics.md): every live
/// read (a range ending within the last minutes: sparklines, charts, the API) records the newest datapoint of each
/// balancer it covered. The endpoint checklist's "Monitoring present" row reads it; nothing here calls CloudWatch.
/// Keyed by the balancer's CloudWatch dimension (<c>app/name/id</c>).
/// </summary>
public sealed class MetricsFreshness
{
    private ImmutableDictionary<string, BalancerMetricsFreshness> _current = ImmutableDictionary<string, BalancerMetricsFreshness>.Empty.WithComparers(StringComparer.Ordinal);

    public ImmutableDictionary<string, BalancerMetricsFreshness> Current => Volatile.Read(ref _current);

    /// <summary>Raised when a balancer's answer changes (first read, a newer datapoint minute, datapoints stopping).</summary>
    public event Action? Changed;

    /// <summary>Records one live read of <paramref name="loadBalancerDimension"/>'s series: the newest datapoint among them, if any.</summary>
    public void Record(string loadBalancerDimension, DateTimeOffset? newest, DateTimeOffset readAt)
    {
        var changed = false;
        ImmutableInterlocked.AddOrUpdate(ref _current, loadBalancerDimension,
            _ =>
            {
                changed = true;
                return new BalancerMetricsFreshness(newest, readAt);
            },
            (_, old) =>
            {
                // Several reads of the same moment may cover different series: keep the newest datapoint any of them saw.
                var best = old.NewestDatapoint is { } previous && readAt - old.ReadAt < TimeSpan.FromSeconds(30) && (newest is null || previous > newest) ? previous : newest;
                changed = best != old.NewestDatapoint;
                return new BalancerMetricsFreshness(best, readAt);
            });
        if (changed)
        {
            Changed?.Invoke();
        }
    }
}
