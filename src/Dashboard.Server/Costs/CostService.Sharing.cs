using Dashboard.Client.Model;

namespace Dashboard.Server.Costs;

/// <summary>
/// The Cost Explorer parts of the report, as the polling leader publishes them (document <see cref="DocumentKey"/>):
/// followers build the same report from them and the same topology, without a Cost Explorer request of their own, and a
/// restart does not pay for the requests again before their cache expires.
/// </summary>
public sealed record CostExplorerParts(
    CachedPartState<CostByClusterTag> ByClusterTag,
    CachedPartState<CostByStackTag> ByStackTag,
    CachedPartState<CostByResource> ByResource,
    CachedPartState<CostForecastFigure> Forecast)
{
    public const string DocumentKey = "cost-explorer";
}

public sealed partial class CostService
{
    /// <summary>Asked before each refresh: false on a replica that does not poll (it imports the leader's parts instead).</summary>
    public Func<bool> MayReadCostExplorer { get; set; } = static () => true;

    public CostExplorerParts ExportCostExplorerParts() => new(_byClusterTag.Export(), _byStackTag.Export(), _byResource.Export(), _forecast.Export());

    /// <summary>
    /// Takes over published parts; with <paramref name="rebuild"/>, rebuilds the report from them at once (no Cost Explorer
    /// request: what is due is the leader's to read). Without, the next scheduled refresh builds it.
    /// </summary>
    public async Task ImportCostExplorerPartsAsync(CostExplorerParts parts, bool rebuild, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parts);
        CostReport? report = null;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _byClusterTag.Import(parts.ByClusterTag);
            _byStackTag.Import(parts.ByStackTag);
            _byResource.Import(parts.ByResource);
            _forecast.Import(parts.Forecast);
            if (rebuild)
            {
                report = Build();
                _report = report;
            }
        }
        finally
        {
            _gate.Release();
        }
        if (report is not null)
        {
            ReportBuilt?.Invoke(report);
        }
    }
}
