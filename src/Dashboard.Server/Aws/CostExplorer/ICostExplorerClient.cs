namespace Dashboard.Server.Aws.CostExplorer;

/// <summary>
/// Cost Explorer reads. Each request (and each page) costs USD 0.01: callers cache and budget. Paging
/// (NextPageToken) is followed inside. Shaped like AWSSDK.CostExplorer so that package can replace this client.
/// Failures throw <see cref="AwsServiceException"/>.
/// </summary>
public interface ICostExplorerClient
{
    Task<CostAndUsage> GetCostAndUsageAsync(CostAndUsageRequest request, CancellationToken cancellationToken = default);

    /// <summary>Resource-level costs (opt-in, last 14 days, DAILY or HOURLY); <see cref="CostAndUsageRequest.Filter"/> is required.</summary>
    Task<CostAndUsage> GetCostAndUsageWithResourcesAsync(CostAndUsageRequest request, CancellationToken cancellationToken = default);

    Task<CostForecast> GetCostForecastAsync(CostForecastRequest request, CancellationToken cancellationToken = default);
}
