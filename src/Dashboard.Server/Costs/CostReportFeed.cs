using Dashboard.Client.Feed;
using Dashboard.Client.Model;
using Dashboard.Server.Feed;

namespace Dashboard.Server.Costs;

/// <summary>
/// The cost report as a live feed: every report <see cref="CostService"/> builds (by its refresh loop or a viewer's
/// Refresh) is published through one <see cref="FeedBroadcaster{T}"/> as an upsert of the single item keyed
/// <see cref="CostReport.SingletonKey"/>, so the Cost page updates as soon as a new report exists. Knows nothing of how
/// the report is built.
/// </summary>
public sealed class CostReportFeed : ICostReportFeed, ICostReportSource, IDisposable
{
    private readonly CostService _costs;
    private readonly FeedBroadcaster<CostReport> _reports;

    public CostReportFeed(CostService costs, TimeProvider time)
    {
        _costs = costs;
        _reports = new FeedBroadcaster<CostReport>(time);
        _costs.ReportBuilt += Publish;
        if (_costs.Current is { } built)
        {
            Publish(built);
        }
    }

    public IFeed<CostReport> Reports => _reports;

    public Task RefreshAsync(CancellationToken cancellationToken) => _costs.RefreshAsync(cancellationToken);

    public async Task<CostReport> GetReportAsync(CancellationToken cancellationToken) =>
        _reports.Current.GetValueOrDefault(CostReport.SingletonKey) ?? await _costs.GetReportAsync(cancellationToken);

    private void Publish(CostReport report) => _reports.Publish([FeedChange<CostReport>.Upsert(CostReport.SingletonKey, report)]);

    public void Dispose() => _costs.ReportBuilt -= Publish;
}
