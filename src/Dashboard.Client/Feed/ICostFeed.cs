using Dashboard.Client.Model;

namespace Dashboard.Client.Feed;

/// <summary>
/// Load balancer cost for the Cost page. The data changes slowly and Cost Explorer bills every request, so there are no
/// change batches: the server keeps one report (its sources cached for minutes to hours) and every viewer reads it.
/// Implemented in Dashboard.Server; tests supply their own.
/// </summary>
public interface ICostFeed
{
    /// <summary>The current report; the first call waits for the first one to be built.</summary>
    Task<CostReport> GetReportAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Rebuilds the report from its sources, re-reading only the parts whose cache has expired (a viewer can never make
    /// the server call Cost Explorer more often than configured).
    /// </summary>
    Task<CostReport> RefreshAsync(CancellationToken cancellationToken);
}
