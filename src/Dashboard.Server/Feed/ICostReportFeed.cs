using Dashboard.Client.Feed;
using Dashboard.Client.Model;

namespace Dashboard.Server.Feed;

/// <summary>
/// What the costs stage serves through <see cref="DashboardFeed"/> (implemented by <c>Costs/CostReportFeed</c>).
/// Declared beside the dashboard feed so the feed depends on no stage: each stage depends on the feed.
/// </summary>
public interface ICostReportFeed
{
    /// <summary>Zero items before the first report, then the latest one, keyed <see cref="CostReport.SingletonKey"/>.</summary>
    IFeed<CostReport> Reports { get; }

    /// <summary>Builds a report now (each part's cache decides what is re-read); it is published like any other.</summary>
    Task RefreshAsync(CancellationToken cancellationToken);
}
