using Dashboard.Client.Model;

namespace Dashboard.Server.Costs;

/// <summary>
/// The cost report for a one-off server-side read that must have a report (the CSV export): the current one, or — before
/// the first has been built — the first, built now. Pages use <see cref="Dashboard.Client.Feed.IDashboardFeed.CostReport"/>.
/// </summary>
public interface ICostReportSource
{
    Task<CostReport> GetReportAsync(CancellationToken cancellationToken);
}
